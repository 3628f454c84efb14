import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { SampleSignIns } from '../../services/sample-data/sign-ins.js';
import { CheckboxGroup, CsrfField, DataTable, ErrorSummary, TextField } from '../views/components.js';

type Values = Record<string, unknown>;

/** Setup: the first administrator, while nobody exists. */
export function SetupView({ t, csrf, values, errors }: { t: Translate; csrf: string; values: Values; errors: FieldErrors | null }) {
  return (
    <>
      <p>{t('setup.lead')}</p>
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action="/setup" novalidate>
        <CsrfField token={csrf} />
        <TextField t={t} name="name" label={t('field.name')} value={String(values.name ?? '')} errors={errors} required autocomplete="name" />
        <TextField t={t} name="kana" label={t('field.kana')} value={String(values.kana ?? '')} errors={errors} required />
        <TextField t={t} name="email" type="email" label={t('field.email')} value={String(values.email ?? '')} errors={errors} required autocomplete="email" />
        <TextField t={t} name="password" type="password" label={t('field.password')} hint={t('password.policy')} errors={errors} required autocomplete="new-password" />
        <CheckboxGroup t={t} name="sampleData" label={t('field.sampleData')} values={values.sampleData ? ['on'] : []} options={[{ value: 'on', label: t('setup.sampleData') }]} />
        <button type="submit" class="button">
          {t('setup.submit')}
        </button>
      </form>
    </>
  );
}

/** The sign-ins to try each role, shown once after setup with sample data. */
export function SampleSignInsView({ t, signIns }: { t: Translate; signIns: SampleSignIns }) {
  return (
    <>
      <p>{t('newcomer.lead')}</p>
      <dl class="summary-list">
        <dt>{t('newcomer.password')}</dt>
        <dd>
          <code class="sample-password">{signIns.password}</code>
        </dd>
      </dl>
      <p class="notice" role="note">
        {t('newcomer.once')}
      </p>
      <DataTable
        t={t}
        caption={t('newcomer.caption')}
        rows={signIns.accounts}
        columns={[
          { key: 'role', label: t('newcomer.col.role'), rowHeader: true, cell: (a) => t(`newcomer.role.${a.role}`) },
          { key: 'email', label: t('newcomer.col.email'), cell: (a) => <code>{a.email}</code> },
          { key: 'name', label: t('newcomer.col.name'), cell: (a) => a.name },
        ]}
      />
      <p>
        <a class="button" href="/">
          {t('newcomer.continue')}
        </a>
      </p>
    </>
  );
}

export function LoginView({
  t,
  csrf,
  next,
  email,
  errors,
  sso = false,
  partnersOnly = false,
}: { t: Translate; csrf: string; next: string; email: string; errors: FieldErrors | null; sso?: boolean; partnersOnly?: boolean }) {
  return (
    <>
      <ErrorSummary t={t} errors={errors} />
      {sso && (
        <>
          <p>{t('login.ssoLead')}</p>
          <p>
            <a class="button" href={`/login/sso?next=${encodeURIComponent(next)}`}>
              {t('login.sso')}
            </a>
          </p>
          <h2>{t(partnersOnly ? 'login.partnersHeading' : 'login.passwordHeading')}</h2>
          {partnersOnly && <p>{t('login.partnersLead')}</p>}
        </>
      )}
      <form method="post" action={`/login?next=${encodeURIComponent(next)}`} novalidate>
        <CsrfField token={csrf} />
        <TextField t={t} name="email" type="email" label={t('field.email')} value={email} errors={errors} required autocomplete="username" />
        <TextField t={t} name="password" type="password" label={t('field.password')} errors={errors} required autocomplete="current-password" />
        <button type="submit" class="button">
          {t('login.submit')}
        </button>
      </form>
      <p>
        <a href="/password/forgot">{t('login.forgot')}</a>
      </p>
    </>
  );
}

export function ForgotPasswordView({ t, csrf, email, errors }: { t: Translate; csrf: string; email: string; errors: FieldErrors | null }) {
  return (
    <>
      <p>{t('password.forgotLead')}</p>
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action="/password/forgot" novalidate>
        <CsrfField token={csrf} />
        <TextField t={t} name="email" type="email" label={t('field.email')} value={email} errors={errors} required autocomplete="email" />
        <button type="submit" class="button">
          {t('password.forgotSubmit')}
        </button>
      </form>
    </>
  );
}

export function SetPasswordView({ t, csrf, token, errors }: { t: Translate; csrf: string; token: string; errors: FieldErrors | null }) {
  return (
    <>
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action={`/password/set/${encodeURIComponent(token)}`} novalidate>
        <CsrfField token={csrf} />
        <TextField t={t} name="password" type="password" label={t('field.password')} hint={t('password.policy')} errors={errors} required autocomplete="new-password" />
        <TextField t={t} name="passwordConfirm" type="password" label={t('field.passwordConfirm')} errors={errors} required autocomplete="new-password" />
        <button type="submit" class="button">
          {t('password.setSubmit')}
        </button>
      </form>
    </>
  );
}
