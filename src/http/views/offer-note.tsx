import { formatTokyo } from '../../domain/calendar.js';
import type { FieldOffer } from '../../db/schema.js';
import type { Translate } from '../../i18n/index.js';

/**
 * An offer whose scheduled session was deleted says so, with when and why, while it is back under
 * consideration (shared by the partner's pages and the admin's field-offer list).
 */
export function OfferNote({ t, lang, o }: { t: Translate; lang: 'ja' | 'en'; o: Pick<FieldOffer, 'status' | 'withdrawn_session_starts_at' | 'session_withdrawn_at' | 'session_withdrawn_reason'> }) {
  if (o.status !== 'offered' || !o.session_withdrawn_at) return null;
  return (
    <p class="hint">
      {t('offer.sessionWithdrawn', { when: o.withdrawn_session_starts_at ? formatTokyo(o.withdrawn_session_starts_at, lang, 'datetime') : '—', on: formatTokyo(o.session_withdrawn_at, lang, 'date') })}
      {o.session_withdrawn_reason ? <><br />{t('offer.sessionWithdrawnReason', { reason: o.session_withdrawn_reason })}</> : null}
    </p>
  );
}
