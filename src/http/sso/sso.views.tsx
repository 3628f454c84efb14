import type { MessageKey, Translate } from '../../i18n/index.js';
import type { SsoRefusalReason } from '../../services/sso.service.js';

/** What the person can do about each refusal. */
const NEXT_STEP: Record<SsoRefusalReason, MessageKey> = {
  unknown: 'sso.nextStep.admin',
  inactive: 'sso.nextStep.admin',
  partner: 'sso.nextStep.partner',
  mismatch: 'sso.nextStep.admin',
  no_identifier: 'sso.nextStep.admin',
  incomplete: 'sso.nextStep.admin',
  no_role: 'sso.nextStep.admin',
  groups_missing: 'sso.nextStep.admin',
  state: 'sso.nextStep.retry',
  provider_error: 'sso.nextStep.retry',
  invalid_response: 'sso.nextStep.retry',
};

/** A sign-in through the provider that Kyodo refused: why, and what to do. */
export function SsoRefusedView({ t, reason }: { t: Translate; reason: SsoRefusalReason }) {
  return (
    <>
      <div class="error-summary" role="alert">
        <p>{t(`sso.refused.${reason}`)}</p>
      </div>
      <p>{t(NEXT_STEP[reason])}</p>
      <p>
        {reason === 'partner' ? (
          <a class="button" href="/login">
            {t('login.title')}
          </a>
        ) : (
          <a class="button" href="/login/sso">
            {t('sso.retry')}
          </a>
        )}
      </p>
    </>
  );
}

/** The provider cannot be reached. */
export function SsoUnavailableView({ t }: { t: Translate }) {
  return (
    <>
      <p>{t('sso.unavailable')}</p>
      <p>
        <a href="/login">{t('login.title')}</a>
      </p>
    </>
  );
}
