import { readFileSync } from 'node:fs';
import type { Child } from 'hono/jsx';
import { mayRevokeCertificate, mayViewCertificate } from '../../domain/policies/certificate.js';
import { certificatesForOffering, getCertificate, revokeCertificate, verifyCertificate } from '../../services/completion.service.js';
import { ServiceError } from '../../services/context.js';
import { getOffering } from '../../services/offering.service.js';
import { clientIp } from '../client-ip.js';
import { readForm, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { CertificateSheet, RevokeForm, VerifyView } from './certificate.views.js';

/** Certificates (修了証): an offering's sheets to print, one certificate's page, revoking, and the public verification by code. */
export function registerCertificatePages(r: Router) {
  const sheets = async (c: Ctx, offeringId: number): Promise<Child[]> => {
    const ctx = c.get('ctx');
    const certs = await certificatesForOffering(ctx, offeringId);
    return Promise.all(certs.map((cert) => CertificateSheet({ t: c.get('t'), lang: c.get('lang'), c: cert, baseUrl: ctx.config.baseUrl, prefecture: ctx.config.prefectureName })));
  };
  r.get('/admin/offerings/:id/certificates', ['admin'], async (c) => {
    const t = c.get('t');
    const id = toId(c.req.param('id'));
    const d = await getOffering(c.get('ctx'), id);
    if (!d) return c.notFound();
    return page(c, `${t('certificate.title')}：${d.offering.title}`, <div class="certificates">{await sheets(c, id)}</div>);
  });
  r.get('/admin/offerings/:id/certificates.html', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const d = await getOffering(c.get('ctx'), id);
    if (!d) return c.notFound();
    const css = readFileSync(new URL('../assets/app.css', import.meta.url), 'utf8');
    const body = (await Promise.all((await sheets(c, id)).map((s) => String(s)))).join('\n');
    const title = d.offering.title.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
    const html = `<!doctype html><html lang="${c.get('lang')}"><head><meta charset="utf-8"><title>${title}</title><style>${css}</style></head><body><main>${body}</main></body></html>`;
    return c.body(html, 200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Disposition': `attachment; filename="certificates-${id}.html"` });
  });
  r.get('/certificates/:number', 'user', async (c) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const cert = await getCertificate(ctx, c.req.param('number') ?? '');
    // Someone else's certificate does not exist for the reader (404), as in the API.
    if (!cert || !mayViewCertificate(user, cert)) return c.notFound();
    return page(
      c,
      t('certificate.title'),
      <>
        {await CertificateSheet({ t, lang: c.get('lang'), c: cert, baseUrl: ctx.config.baseUrl, prefecture: ctx.config.prefectureName })}
        <p class="actions"><a class="button button--secondary" href={`/certificates/${encodeURIComponent(cert.number)}/certificate.pdf`} type="application/pdf">{t('paper.certificatePdf')}</a>{cert.revoked_at ? null : <a class="button button--secondary" href={`/certificates/${encodeURIComponent(cert.number)}/credential`} type="application/vc+jwt" download>{t('credential.download')}</a>}</p>
        {mayRevokeCertificate(user) && !cert.revoked_at ? <RevokeForm t={t} csrf={c.get('csrf')} number={cert.number} /> : null}
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('certificate.title') }] },
    );
  });
  r.post('/admin/certificates/:number/revoke', ['admin'], async (c) => {
    const number = c.req.param('number') ?? '';
    // No form to show again here: a refusal (no reason, already revoked) is the status page with its message.
    await revokeCertificate(c.get('ctx'), c.get('user'), number, await readForm(c));
    return c.redirect(`/certificates/${number}`, 303);
  });

  // --- Public verification by code: only number, name, programme, date and validity -------------
  const verifyPage = async (c: Ctx, code: string | null) => {
    const t = c.get('t');
    let throttled: string | null = null;
    let v: Awaited<ReturnType<typeof verifyCertificate>> = null;
    if (code) {
      try {
        v = await verifyCertificate(c.get('ctx'), code, { ip: clientIp(c) });
      } catch (e) {
        if (!(e instanceof ServiceError) || e.status !== 429) throw e;
        throttled = t(e.messageKey, e.params);
      }
    }
    return page(c, t('verify.title'), <VerifyView t={t} lang={c.get('lang')} code={code} v={v} throttled={throttled} />, { status: throttled ? 429 : code && !v ? 404 : 200 });
  };
  r.get('/verify', 'public', (c) => verifyPage(c, c.req.query('code')?.slice(0, 60) || null));
  r.get('/verify/:code', 'public', (c) => verifyPage(c, (c.req.param('code') ?? '').slice(0, 60)));
}
