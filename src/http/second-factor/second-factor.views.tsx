import QRCode from 'qrcode';
import { formatTokyo } from '../../domain/calendar.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { Enrolment, SecondFactorStatus } from '../../services/second-factor.service.js';
import { CsrfField, ErrorSummary, TextField } from '../views/components.js';

/** An enrolment with its QR code: the otpauth:// URI drawn as inline SVG here (nothing is loaded from outside). */
export type ShownEnrolment = Enrolment & { qrSvg: string };
export async function withQr(enrolment: Enrolment): Promise<ShownEnrolment> {
  return { ...enrolment, qrSvg: await QRCode.toString(enrolment.uri, { type: 'svg', margin: 2, width: 220, errorCorrectionLevel: 'M' }) };
}

/** Scan (or type) the secret, then confirm with one code: on the account page and in a sign-in that must enrol. */
export function EnrolForm({ t, csrf, action, enrolment, errors, submit }: { t: Translate; csrf: string; action: string; enrolment: ShownEnrolment; errors: FieldErrors | null; submit: string }) {
  return (
    <section aria-labelledby="setup-heading" id="setup">
      <h2 id="setup-heading">{t('secondFactor.setupTitle')}</h2>
      <ol class="steps">
        <li>
          <p>{t('secondFactor.step1')}</p>
          <div class="second-factor-qr" role="img" aria-label={t('secondFactor.qrLabel')} dangerouslySetInnerHTML={{ __html: enrolment.qrSvg }}></div>
          <dl class="summary-list">
            <dt>{t('secondFactor.secretLabel')}</dt>
            <dd>
              <code class="second-factor-secret">{enrolment.secret.replace(/(.{4})(?=.)/g, '$1 ')}</code>
            </dd>
          </dl>
        </li>
        <li>
          <p>{t('secondFactor.step2')}</p>
          <ErrorSummary t={t} errors={errors} />
          <form method="post" action={action} novalidate>
            <CsrfField token={csrf} />
            <TextField t={t} name="code" label={t('secondFactor.codeLabel')} hint={t('secondFactor.codeHint')} errors={errors} required autocomplete="one-time-code" maxlength={20} />
            <button type="submit" class="button">
              {submit}
            </button>
          </form>
        </li>
      </ol>
    </section>
  );
}

/** /account/second-factor: the status, enrolment (or a new authenticator), and turning it off. */
export function AccountSecondFactorView(p: {
  t: Translate;
  lang: Lang;
  csrf: string;
  status: SecondFactorStatus;
  enrolment: ShownEnrolment | null;
  errors: FieldErrors | null;
  offErrors: FieldErrors | null;
}) {
  const { t, status } = p;
  return (
    <>
      <p>{t('secondFactor.lead')}</p>
      <p>{status.enrolled && status.confirmedAt ? t('secondFactor.statusOn', { date: formatTokyo(status.confirmedAt, p.lang, 'date') }) : t('secondFactor.statusOff')}</p>
      {status.enrolled ? <p>{t('secondFactor.recoveryLeft', { count: status.recoveryCodesLeft })}</p> : null}
      {status.required ? (
        <p class="notice" role="note">
          {t('secondFactor.requiredNote')}
        </p>
      ) : null}
      {p.enrolment ? (
        <EnrolForm t={t} csrf={p.csrf} action="/account/second-factor" enrolment={p.enrolment} errors={p.errors} submit={t('secondFactor.confirm')} />
      ) : (
        <form method="post" action="/account/second-factor/new">
          <CsrfField token={p.csrf} />
          <p class="hint">{t('secondFactor.replaceNote')}</p>
          <button type="submit" class="button button--secondary">
            {t('secondFactor.replace')}
          </button>
        </form>
      )}
      {status.enrolled && status.mayTurnOff ? (
        <section aria-labelledby="off-heading">
          <h2 id="off-heading">{t('secondFactor.offTitle')}</h2>
          <p>{t('secondFactor.offLead')}</p>
          <ErrorSummary t={t} errors={p.offErrors} idPrefix="off-" />
          <form method="post" action="/account/second-factor/off" novalidate>
            <CsrfField token={p.csrf} />
            <TextField t={t} idPrefix="off-" name="code" label={t('secondFactor.codeLabel')} errors={p.offErrors} required autocomplete="one-time-code" maxlength={20} />
            <button type="submit" class="button button--secondary">
              {t('secondFactor.off')}
            </button>
          </form>
        </section>
      ) : null}
    </>
  );
}

/** The recovery codes, shown once on the answer to the confirming POST. */
export function RecoveryCodesView({ t, codes, next }: { t: Translate; codes: string[]; next: string }) {
  return (
    <>
      <p class="notice" role="status">
        {t('secondFactor.enrolled')}
      </p>
      <h2>{t('secondFactor.recoveryTitle')}</h2>
      <p>{t('secondFactor.recoveryLead')}</p>
      <h3 id="recovery-caption">{t('secondFactor.recoveryCaption')}</h3>
      <ol class="recovery-codes" aria-labelledby="recovery-caption">
        {codes.map((code) => (
          <li>
            <code class="recovery-code">{code}</code>
          </li>
        ))}
      </ol>
      <p>
        <a class="button" href={next}>
          {t('secondFactor.continue')}
        </a>
      </p>
    </>
  );
}

/** /login/second-factor: a code (or a recovery code) for a pending sign-in. */
export function ChallengeView({ t, csrf, email, errors }: { t: Translate; csrf: string; email: string; errors: FieldErrors | null }) {
  return (
    <>
      <p>{t('secondFactor.account', { email })}</p>
      <p>{t('secondFactor.challengeLead')}</p>
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action="/login/second-factor" novalidate>
        <CsrfField token={csrf} />
        <TextField
          t={t}
          name="code"
          label={t('secondFactor.challengeCodeLabel')}
          hint={t('secondFactor.challengeCodeHint')}
          errors={errors}
          required
          autocomplete="one-time-code"
          maxlength={20}
        />
        <button type="submit" class="button">
          {t('secondFactor.challengeSubmit')}
        </button>
      </form>
      <p class="hint">{t('secondFactor.lostPhone')}</p>
      <StartOver t={t} csrf={csrf} />
    </>
  );
}

/** A sign-in that must enrol first (an admin under KYODO_ADMIN_SIGN_IN=totp without an authenticator). */
export function SignInEnrolView({ t, csrf, email, enrolment, errors }: { t: Translate; csrf: string; email: string; enrolment: ShownEnrolment; errors: FieldErrors | null }) {
  return (
    <>
      <p>{t('secondFactor.account', { email })}</p>
      <p>{t('secondFactor.enrolLead')}</p>
      <EnrolForm t={t} csrf={csrf} action="/login/second-factor" enrolment={enrolment} errors={errors} submit={t('secondFactor.confirm')} />
      <StartOver t={t} csrf={csrf} />
    </>
  );
}

/** The pending sign-in has expired, was used up by wrong codes, or never existed. */
export function ExpiredView({ t, message }: { t: Translate; message: string }) {
  return (
    <>
      <p role="alert">{message}</p>
      <p>
        <a class="button" href="/login">
          {t('login.title')}
        </a>
      </p>
    </>
  );
}

function StartOver({ t, csrf }: { t: Translate; csrf: string }) {
  return (
    <form method="post" action="/login/second-factor/cancel">
      <CsrfField token={csrf} />
      <button type="submit" class="button button--secondary">
        {t('secondFactor.startOver')}
      </button>
    </form>
  );
}
