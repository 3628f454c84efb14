import type { MessageKey, Translate } from '../../i18n/index.js';
import type { SsoRefusalReason } from '../../services/sso.service.js';

/** What the person can do about each refusal. */
const TODO: Record<SsoRefusalReason, MessageKey> = {
  unknown: 'sso.todo.admin',
  inactive: 'sso.todo.admin',
  partner: 'sso.todo.partner',
  mismatch: 'sso.todo.admin',
  no_identifier: 'sso.todo.admin',
  incomplete: 'sso.todo.admin',
  no_role: 'sso.todo.admin',
  groups_missing: 'sso.todo.admin',
  state: 'sso.todo.retry',
  provider_error: 'sso.todo.retry',
  invalid_response: 'sso.todo.retry',
};

/** A sign-in through the provider that Kyodo refused: why, and what to do. */
export function SsoRefusedView({ t, reason }: { t: Translate; reason: SsoRefusalReason }) {
  return (
    <>
      <div class="error-summary" role="alert">
        <p>{t(`sso.refused.${reason}`)}</p>
      </div>
      <p>{t(TODO[reason])}</p>
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
