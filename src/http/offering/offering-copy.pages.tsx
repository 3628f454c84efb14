import { formatFiscalYear } from '../../domain/calendar.js';
import type { FieldErrors } from '../../lib/validation.js';
import { ServiceError } from '../../services/context.js';
import { getOffering } from '../../services/offering.service.js';
import { copyOffering, previewOfferingCopy } from '../../services/offering-copy.service.js';
import { readForm, submit, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { Copied, CopyOffering } from './offering-copy.views.js';
import { str } from './offering.views.js';

/** Copying an offering into another fiscal year (issue 16 §2.1). */
export function registerOfferingCopyPages(r: Router) {
  const crumbs = (c: Ctx, o: { id: number; title: string }, label: string) => [
    { label: c.get('t')('nav.home'), href: '/' },
    { label: c.get('t')('nav.offerings'), href: '/admin/offerings' },
    { label: o.title, href: `/admin/offerings/${o.id}` },
    { label },
  ];

  // Copy: choose the year (GET form), see where each session goes, then copy (POST).
  const copyPage = async (c: Ctx, id: number, fiscalYear: string | undefined, errors: FieldErrors | null = null, status: 200 | 404 | 422 = 200) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const d = await getOffering(ctx, id);
    if (!d) return c.notFound();
    let plan = null as Awaited<ReturnType<typeof previewOfferingCopy>> | null;
    if (fiscalYear !== undefined && !errors) {
      try {
        plan = await previewOfferingCopy(ctx, id, { fiscalYear }, lang);
      } catch (e) {
        if (!(e instanceof ServiceError) || e.status !== 422) throw e;
        errors = e.fields;
        status = 422;
      }
    }
    const value = fiscalYear ?? String(d.offering.fiscal_year + 1);
    return page(c, t('bulk.copyTitle', { title: d.offering.title }), <CopyOffering t={t} lang={lang} csrf={c.get('csrf')} id={id} value={value} errors={errors} plan={plan} />, {
      crumbs: crumbs(c, d.offering, t('bulk.copy')),
      status,
    });
  };
  r.get('/admin/offerings/:id/copy', ['admin'], (c) => copyPage(c, toId(c.req.param('id')), c.req.query('fiscalYear')));
  r.post('/admin/offerings/:id/copy', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const body = await readForm(c);
    const t = c.get('t');
    const lang = c.get('lang');
    // The result is a page of its own (where each session went), not a redirect.
    const res = await submit(
      () => copyOffering(c.get('ctx'), c.get('user'), id, { fiscalYear: str(body.fiscalYear) }),
      (errors) => copyPage(c, id, str(body.fiscalYear), errors, 422),
    );
    if (!res.ok) return res.response;
    const { offering, sessions, surveys } = res.value;
    const fy = formatFiscalYear(offering.fiscal_year, lang);
    return page(c, t('bulk.copyTitle', { title: offering.title }), <Copied t={t} lang={lang} offering={offering} sessions={sessions} surveys={surveys} />, {
      crumbs: crumbs(c, offering, t('bulk.copy')),
      notice: `${t('bulk.copied', { fy, count: sessions.length, moved: sessions.filter((s) => s.moved).length })}${t('bulk.copiedSurveys', { count: surveys.filter((s) => !s.closed).length })}`,
    });
  });
}
