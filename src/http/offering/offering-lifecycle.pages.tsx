import type { Offering } from '../../db/schema.js';
import type { FieldErrors } from '../../lib/validation.js';
import { lotteryPreview, runLottery } from '../../services/application.service.js';
import { invalid } from '../../services/context.js';
import { cancellationPreview, cancelOffering, deleteOffering, getOffering } from '../../services/offering.service.js';
import { type FormBody, formAction, readForm, submit, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { CancelOffering, confirmed, DeleteOffering, Lottery, LotteryDrawn, lotteryRefusalText } from './offering-lifecycle.views.js';
import { str } from './offering.views.js';

// --- Cancelling (中止), deleting, and the lottery: each asks first, saying how many it touches ----------

const num = toId;
const confirmMissing: FieldErrors = { confirm: { key: 'operations.error.confirm' } };

export function registerOfferingLifecyclePages(r: Router) {
  const crumbs = (c: Ctx, o: Offering, label: string) => [
    { label: c.get('t')('nav.home'), href: '/' },
    { label: c.get('t')('nav.offerings'), href: '/admin/offerings' },
    { label: o.title, href: `/admin/offerings/${o.id}` },
    { label },
  ];

  const cancelPage = async (c: Ctx, id: number, values: FormBody = {}, errors: FieldErrors | null = null, status: 200 | 409 | 422 = 200) => {
    const t = c.get('t');
    const p = await cancellationPreview(c.get('ctx'), id);
    if (!p) return c.notFound();
    return page(c, t('offerings.cancelTitle', { title: p.offering.title }), <CancelOffering t={t} lang={c.get('lang')} csrf={c.get('csrf')} offering={p.offering} applicants={p.applicants} values={values} errors={errors} />, {
      crumbs: crumbs(c, p.offering, t('offerings.cancel')),
      status,
    });
  };
  r.get('/admin/offerings/:id/cancel', ['admin'], (c) => cancelPage(c, num(c.req.param('id'))));
  r.post('/admin/offerings/:id/cancel', ['admin'], (c) => {
    const id = num(c.req.param('id'));
    return formAction(c, {
      run: async (body) => {
        if (!confirmed(body)) throw invalid({ ...(str(body.reason).trim() ? {} : { reason: { key: 'error.required' } }), ...confirmMissing });
        return cancelOffering(c.get('ctx'), c.get('user'), id, { reason: body.reason });
      },
      invalid: (body, errors, status) => cancelPage(c, id, body, errors, status === 409 ? 409 : 422),
      done: (r) => `/admin/offerings/${id}?notice=offerings.cancelled&count=${r.told}`,
    });
  });

  const deletePage = async (c: Ctx, id: number, errors: FieldErrors | null = null, status: 200 | 409 | 422 = 200) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const [p, d] = await Promise.all([cancellationPreview(ctx, id), getOffering(ctx, id)]);
    if (!p || !d) return c.notFound();
    return page(c, t('offerings.deleteTitle', { title: p.offering.title }), <DeleteOffering t={t} csrf={c.get('csrf')} offering={p.offering} applications={p.applications} sessions={d.sessions.length} errors={errors} />, {
      crumbs: crumbs(c, p.offering, t('offerings.delete')),
      status,
    });
  };
  r.get('/admin/offerings/:id/delete', ['admin'], (c) => deletePage(c, num(c.req.param('id'))));
  r.post('/admin/offerings/:id/delete', ['admin'], async (c) => {
    const id = num(c.req.param('id'));
    const before = await getOffering(c.get('ctx'), id);
    if (!before) return c.notFound();
    return formAction(c, {
      run: async (body) => {
        if (!confirmed(body)) throw invalid(confirmMissing);
        await deleteOffering(c.get('ctx'), c.get('user'), id);
      },
      invalid: (_body, errors, status) => deletePage(c, id, errors, status === 409 ? 409 : 422),
      done: () => `/admin/offerings?fy=${before.offering.fiscal_year}&notice=offerings.deleted`,
    });
  });

  const lotteryPage = async (c: Ctx, id: number, errors: FieldErrors | null = null, status: 200 | 409 | 422 = 200) => {
    const t = c.get('t');
    const p = await lotteryPreview(c.get('ctx'), id);
    if (!p) return c.notFound();
    const o = p.offering;
    const counts = { applicants: p.applicants, seats: p.seats, capacity: p.capacity, confirmed: p.confirmed };
    return page(c, t('offerings.lotteryConfirmTitle', { title: o.title }), <Lottery t={t} csrf={c.get('csrf')} offering={o} why={lotteryRefusalText(t, c.get('lang'), o, p.refusal)} counts={counts} errors={errors} />, {
      crumbs: crumbs(c, o, t('offerings.lottery')),
      status,
    });
  };
  r.get('/admin/offerings/:id/lottery', ['admin'], (c) => lotteryPage(c, num(c.req.param('id'))));
  r.post('/admin/offerings/:id/lottery', ['admin'], async (c) => {
    const id = num(c.req.param('id'));
    const body = await readForm(c);
    // The result is a page of its own (the seed and the counts), not a redirect.
    const res = await submit(
      async () => {
        const p = await lotteryPreview(c.get('ctx'), id);
        // A lottery that cannot run yet is said so by the page itself, whatever was ticked.
        if (p && !p.refusal && !confirmed(body)) throw invalid(confirmMissing);
        return runLottery(c.get('ctx'), c.get('user')!, id);
      },
      (errors, status, e) => (Object.keys(e.fields).length ? lotteryPage(c, id, errors, 422) : lotteryPage(c, id, null, status === 409 ? 409 : 422)),
    );
    if (!res.ok) return res.response;
    const r = res.value;
    const t = c.get('t');
    const o = (await getOffering(c.get('ctx'), id))!.offering;
    return page(
      c,
      t('offerings.lotteryConfirmTitle', { title: o.title }),
      <LotteryDrawn t={t} offeringId={id} />,
      { crumbs: crumbs(c, o, t('offerings.lottery')), notice: t('offerings.lotteryResult', { seed: r.seed, confirmed: r.confirmed, waitlisted: r.waitlisted, notSelected: r.notSelected }) },
    );
  });
}
