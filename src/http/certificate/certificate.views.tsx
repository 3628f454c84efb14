import QRCode from 'qrcode';
import { formatWareki } from '../../domain/calendar.js';
import { formatCode } from '../../domain/certificate-code.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { getCertificate, verifyCertificate } from '../../services/completion.service.js';
import { CsrfField, TextField } from '../views/components.js';

type CertificateView = NonNullable<Awaited<ReturnType<typeof getCertificate>>>;
type Verified = NonNullable<Awaited<ReturnType<typeof verifyCertificate>>>;

/** One A4 certificate: number, name, programme, date, validity, and a QR code to the public verification page. */
export async function CertificateSheet({ t, lang, c, baseUrl, prefecture }: { t: Translate; lang: Lang; c: CertificateView; baseUrl: string; prefecture: string }) {
  const code = formatCode(c.verification_code);
  const url = `${baseUrl}/verify/${code}`;
  const qr = await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return (
    <article class="certificate">
      <p class="certificate__number">
        {t('certificate.number')}：{c.number}
      </p>
      <h2 class="certificate__title">{t('certificate.title')}</h2>
      <p class="certificate__name">
        {c.person_name}
        {lang === 'ja' ? ' 様' : ''}
      </p>
      <p class="certificate__body">{t('certificate.body', { programme: lang === 'en' ? c.programme_name_en : c.programme_name, title: c.title })}</p>
      <dl class="certificate__meta">
        <dt>{t('certificate.completedOn')}</dt>
        <dd>{formatWareki(c.completed_on, lang)}</dd>
        {c.valid_until ? (
          <>
            <dt>{t('certificate.validUntil')}</dt>
            <dd>{formatWareki(c.valid_until, lang)}</dd>
          </>
        ) : null}
      </dl>
      <p class="certificate__issuer">{t('certificate.issuer', { prefecture })}</p>
      <div class="certificate__verify">
        <div class="qr" role="img" aria-label={`${t('certificate.verifyAt')}${url}`} dangerouslySetInnerHTML={{ __html: qr }}></div>
        <p class="small">
          {t('certificate.verifyAt')}
          {url}
        </p>
        <p class="small certificate__code">
          {t('certificate.code')}：<span class="code">{code}</span>
        </p>
      </div>
      {c.revoked_at ? <p class="error-text">{t('certificate.revoked', { reason: c.revoke_reason ?? '' })}</p> : null}
    </article>
  );
}

/** The form to revoke a standing certificate, with its reason (admins). */
export function RevokeForm({ t, csrf, number }: { t: Translate; csrf: string; number: string }) {
  return (
    <form method="post" action={`/admin/certificates/${number}/revoke`} class="actions">
      <CsrfField token={csrf} />
      <TextField t={t} name="reason" label={t('field.reason')} required maxlength={500} />
      <button type="submit" class="button button--danger">{t('certificate.revoke')}</button>
    </form>
  );
}

/** The public verification page: the code field, then what was found (only its five fields) or why not. */
export function VerifyView({ t, lang, code, v, throttled }: { t: Translate; lang: Lang; code: string | null; v: Verified | null; throttled: string | null }) {
  return (
    <>
      <p>{t('verify.lead')}</p>
      <form method="get" action="/verify" role="search">
        <TextField t={t} name="code" label={t('certificate.code')} hint={t('verify.codeHint')} value={code ?? ''} autocomplete="off" plain />
        <button type="submit" class="button">{t('verify.submit')}</button>
      </form>
      {throttled ? (
        <p class="error-summary" role="alert">
          {throttled}
        </p>
      ) : code && !v ? (
        <p class="error-summary" role="alert">
          {t('verify.notFound')}
        </p>
      ) : null}
      {v ? (
        <section class={v.status === 'valid' ? 'notice' : 'error-summary'} role="status">
          <h2>{t(`verify.${v.status}`)}</h2>
          <dl class="meta">
            <dt>{t('certificate.number')}</dt>
            <dd>{v.number}</dd>
            <dt>{t('certificate.code')}</dt>
            <dd>{v.code}</dd>
            <dt>{t('verify.name')}</dt>
            <dd>{v.name}</dd>
            <dt>{t('verify.programme')}</dt>
            <dd>{v.programme}</dd>
            <dt>{t('certificate.completedOn')}</dt>
            <dd>{formatWareki(v.completedOn, lang)}</dd>
            {v.validUntil ? (
              <>
                <dt>{t('certificate.validUntil')}</dt>
                <dd>{formatWareki(v.validUntil, lang)}</dd>
              </>
            ) : null}
          </dl>
        </section>
      ) : null}
    </>
  );
}
