import type { Translate } from '../../i18n/index.js';

/** Certificates a change revokes, in words (the confirmation says it even when none). Used by the offering's add-session and the session pages. */
export function CertificatesLine({ t, effect }: { t: Translate; effect: { certificatesRevoked: number; completionsLost: number } }) {
  return (
    <li>
      {effect.certificatesRevoked || effect.completionsLost ? (
        <strong>{t('sessions.certificatesRevoked', { certificates: effect.certificatesRevoked, completions: effect.completionsLost })}</strong>
      ) : (
        t('sessions.noCertificatesRevoked')
      )}
    </li>
  );
}
