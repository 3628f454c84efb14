import { formatFiscalYear } from '../../domain/calendar.js';
import type { FieldErrors } from '../../lib/validation.js';
import { toLaidOutXlsx } from '../../lib/xlsx.js';
import {
  createItem,
  createMeasure,
  createPlan,
  deleteItem,
  deleteTarget,
  listPlans,
  moveMeasure,
  planItemSheet,
  planWithItems,
  removeMeasure,
  repeatedUnder,
  saveProgress,
  saveSchedule,
  saveTarget,
  updateItem,
  updateMeasure,
  updatePlan,
} from '../../services/plan.service.js';
import { type FormBody, formAction, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { GridView, MeasureEditView, ProgressFormView, TargetsView } from './plan-measure.views.js';
import { SheetPageView, SheetView } from './plan-sheet.views.js';
import { ItemEditView, PlanEditView, PlansView, PlanView, type ViewReq } from './plan.views.js';
import { sheetRows } from './presenter.js';

const req = (c: Ctx): ViewReq => ({ t: c.get('t'), lang: c.get('lang'), csrf: c.get('csrf') });
const saved = (c: Ctx, errors: FieldErrors | null) => (!errors && c.req.query('notice') === 'saved' ? c.get('t')('common.saved') : null);
/** The crumbs of the pages under an item: the plans, the item, then the page. */
const itemCrumbs = (c: Ctx, s: { item: { id: number; number: string } }, label: string) => [{ label: c.get('t')('plan.title'), href: '/admin/plans' }, { label: s.item.number, href: `/admin/plan-items/${s.item.id}` }, { label }];

export function registerPlanPages(r: Router) {
  // --- Plans and their items -------------------------------------------------------------------
  const plansPage = async (c: Ctx, errors: FieldErrors | null = null, values: FormBody = {}) => {
    const t = c.get('t');
    const plans = await listPlans(c.get('ctx'));
    const withItems = (await Promise.all(plans.map((p) => planWithItems(c.get('ctx'), p.id)))).filter((w) => w !== null && w !== undefined);
    return page(c, t('plan.title'), <PlansView {...req(c)} plans={withItems} errors={errors} values={values} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('plan.title') }],
      status: errors ? 422 : 200,
    });
  };
  r.get('/admin/plans', ['admin'], (c) => plansPage(c));
  r.post('/admin/plans', ['admin'], (c) =>
    formAction(c, {
      run: (form) => createPlan(c.get('ctx'), c.get('user'), form),
      invalid: (form, errors) => plansPage(c, errors, form),
      done: (plan) => `/admin/plans/${plan.id}?notice=saved`,
    }),
  );

  const planPage = async (c: Ctx, id: number, errors: FieldErrors | null = null, values: FormBody = {}) => {
    const t = c.get('t');
    const w = await planWithItems(c.get('ctx'), id);
    if (!w) return c.notFound();
    return page(c, w.plan.title, <PlanView {...req(c)} w={w} errors={errors} values={values} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('plan.title'), href: '/admin/plans' }, { label: w.plan.title }],
      status: errors ? 422 : 200,
      notice: saved(c, errors),
    });
  };
  r.get('/admin/plans/:id', ['admin'], (c) => planPage(c, toId(c.req.param('id'))));

  const planEditPage = async (c: Ctx, id: number, errors: FieldErrors | null = null, values: FormBody | null = null) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const w = await planWithItems(c.get('ctx'), id);
    if (!w) return c.notFound();
    const v = values ?? { title: w.plan.title, firstFiscalYear: formatFiscalYear(w.plan.first_fiscal_year, lang, 'wareki'), lastFiscalYear: formatFiscalYear(w.plan.last_fiscal_year, lang, 'wareki'), ratingLabels: w.plan.rating_labels.join('、') };
    return page(c, t('plan.editPlan'), <PlanEditView {...req(c)} id={id} values={v} errors={errors} />, {
      crumbs: [{ label: t('plan.title'), href: '/admin/plans' }, { label: w.plan.title, href: `/admin/plans/${id}` }, { label: t('plan.editPlan') }],
      status: errors ? 422 : 200,
    });
  };
  r.get('/admin/plans/:id/edit', ['admin'], (c) => planEditPage(c, toId(c.req.param('id'))));
  r.post('/admin/plans/:id/edit', ['admin'], (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: (form) => updatePlan(c.get('ctx'), c.get('user'), id, form),
      invalid: (form, errors) => planEditPage(c, id, errors, form),
      done: () => `/admin/plans/${id}?notice=saved`,
    });
  });
  r.post('/admin/plans/:id/items', ['admin'], (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: (form) => createItem(c.get('ctx'), c.get('user'), id, form),
      invalid: (form, errors) => planPage(c, id, errors, form),
      done: (item) => `/admin/plan-items/${item.id}?notice=saved`,
    });
  });

  // --- The plan-item sheet ------------------------------------------------------------------------
  const sheetPage = async (c: Ctx, id: number, measureErrors: FieldErrors | null = null, measureValues: FormBody = {}) => {
    const t = c.get('t');
    const s = await planItemSheet(c.get('ctx'), id, { choices: true });
    if (!s?.choices) return c.notFound();
    return page(c, `${s.item.number} ${s.item.title}`, <SheetPageView {...req(c)} s={s} programmes={s.choices.programmes} siblings={s.choices.siblings} errors={measureErrors} values={measureValues} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('plan.title'), href: '/admin/plans' }, { label: s.plan.title, href: `/admin/plans/${s.plan.id}` }, { label: s.item.number }],
      notice: c.req.query('notice') === 'saved' ? t('common.saved') : null,
      status: measureErrors ? 422 : 200,
    });
  };
  r.get('/admin/plan-items/:id', ['admin'], (c) => sheetPage(c, toId(c.req.param('id'))));
  r.get('/admin/plan-items/:id/print', ['admin'], async (c) => {
    const t = c.get('t');
    const s = await planItemSheet(c.get('ctx'), toId(c.req.param('id')));
    if (!s) return c.notFound();
    return page(c, `${s.item.number} ${s.item.title}`, <SheetView t={t} lang={c.get('lang')} s={s} editable={false} />, { crumbs: itemCrumbs(c, s, t('plan.print')) });
  });
  r.get('/admin/plan-items/:id/sheet.xlsx', ['admin'], async (c) => {
    const s = await planItemSheet(c.get('ctx'), toId(c.req.param('id')));
    if (!s) return c.notFound();
    const laid = sheetRows(c.get('t'), s);
    const buf = await toLaidOutXlsx({ name: `実施項目${s.item.number}`, a4: true, ...laid });
    const name = `plan-item-${s.item.id}.xlsx`;
    return c.body(new Uint8Array(buf) as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-store',
    });
  });
  r.post('/admin/plan-items/:id/measures', ['admin'], (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: (form) => createMeasure(c.get('ctx'), c.get('user'), id, form),
      invalid: (form, errors) => sheetPage(c, id, errors, form),
      done: () => `/admin/plan-items/${id}?notice=saved`,
    });
  });

  const editPage = async (c: Ctx, id: number, errors: FieldErrors | null = null, values: FormBody | null = null) => {
    const t = c.get('t');
    const s = await planItemSheet(c.get('ctx'), id);
    if (!s) return c.notFound();
    const v = values ?? { number: s.item.number, title: s.item.title, owningUnits: s.item.owning_units, situation: s.item.situation, approach: s.item.approach, direction: s.item.direction };
    return page(c, t('plan.editItem'), <ItemEditView {...req(c)} id={id} values={v} errors={errors} />, { crumbs: itemCrumbs(c, s, t('plan.editItem')), status: errors ? 422 : 200 });
  };
  r.get('/admin/plan-items/:id/edit', ['admin'], (c) => editPage(c, toId(c.req.param('id'))));
  r.post('/admin/plan-items/:id/edit', ['admin'], (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: (form) => updateItem(c.get('ctx'), c.get('user'), id, form),
      invalid: (form, errors) => editPage(c, id, errors, form),
      done: () => `/admin/plan-items/${id}?notice=saved`,
    });
  });
  r.post('/admin/plan-items/:id/delete', ['admin'], (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: (form) => deleteItem(c.get('ctx'), c.get('user'), id, form),
      invalid: (_form, errors) => editPage(c, id, errors),
      done: (item) => `/admin/plans/${item.plan_id}?notice=saved`,
    });
  });

  // --- A measure as listed under an item: edit, reorder, take off -------------------------------
  const measureIds = (c: Ctx) => ({ itemId: toId(c.req.param('id')), measureId: toId(c.req.param('measureId')) });
  const measurePage = async (c: Ctx, itemId: number, measureId: number, errors: FieldErrors | null = null, values: FormBody | null = null) => {
    const t = c.get('t');
    const s = await planItemSheet(c.get('ctx'), itemId, { choices: true });
    const m = s?.measures.find((x) => x.measure.id === measureId);
    if (!s?.choices || !m) return c.notFound();
    const listed = await repeatedUnder(c.get('ctx'), measureId);
    return page(c, `${t('plan.editMeasure')}：${m.label} ${m.measure.title}`, <MeasureEditView {...req(c)} s={s} m={m} programmes={s.choices.programmes} siblings={s.choices.siblings} listed={listed} errors={errors} values={values} />, {
      crumbs: itemCrumbs(c, s, t('plan.editMeasure')),
      status: errors ? 422 : 200,
    });
  };
  r.get('/admin/plan-items/:id/measures/:measureId/edit', ['admin'], (c) => {
    const { itemId, measureId } = measureIds(c);
    return measurePage(c, itemId, measureId);
  });
  r.post('/admin/plan-items/:id/measures/:measureId/edit', ['admin'], (c) => {
    const { itemId, measureId } = measureIds(c);
    return formAction(c, {
      run: (form) => updateMeasure(c.get('ctx'), c.get('user'), itemId, measureId, form),
      invalid: (form, errors) => measurePage(c, itemId, measureId, errors, form),
      done: () => `/admin/plan-items/${itemId}?notice=saved`,
    });
  });
  r.post('/admin/plan-items/:id/measures/:measureId/move', ['admin'], (c) => {
    const { itemId, measureId } = measureIds(c);
    return formAction(c, {
      run: (form) => moveMeasure(c.get('ctx'), c.get('user'), itemId, measureId, form.direction),
      invalid: (_form, errors) => measurePage(c, itemId, measureId, errors),
      done: () => `/admin/plan-items/${itemId}/measures/${measureId}/edit`,
    });
  });
  r.post('/admin/plan-items/:id/measures/:measureId/remove', ['admin'], (c) => {
    const { itemId, measureId } = measureIds(c);
    return formAction(c, {
      run: (form) => removeMeasure(c.get('ctx'), c.get('user'), itemId, measureId, form),
      invalid: (_form, errors) => measurePage(c, itemId, measureId, errors),
      done: () => `/admin/plan-items/${itemId}?notice=saved`,
    });
  });

  // --- A measure's numeric targets (数値目標) ---------------------------------------------------------
  const targetsPage = async (c: Ctx, itemId: number, measureId: number, errors: FieldErrors | null = null, values: FormBody = {}, deleting: number | null = null) => {
    const t = c.get('t');
    const s = await planItemSheet(c.get('ctx'), itemId);
    const m = s?.measures.find((x) => x.measure.id === measureId);
    if (!s || !m) return c.notFound();
    return page(c, t('plan.targetsOf', { label: `${m.label} ${m.measure.title}` }), <TargetsView {...req(c)} s={s} m={m} errors={errors} values={values} deleting={deleting} />, {
      crumbs: itemCrumbs(c, s, t('plan.editTargets')),
      status: errors ? 422 : 200,
      notice: saved(c, errors),
    });
  };
  const targetsDone = (itemId: number, measureId: number) => () => `/admin/plan-items/${itemId}/measures/${measureId}/targets?notice=saved`;
  r.get('/admin/plan-items/:id/measures/:measureId/targets', ['admin'], (c) => {
    const { itemId, measureId } = measureIds(c);
    return targetsPage(c, itemId, measureId);
  });
  r.post('/admin/plan-items/:id/measures/:measureId/targets', ['admin'], (c) => {
    const { itemId, measureId } = measureIds(c);
    return formAction(c, {
      run: (form) => saveTarget(c.get('ctx'), c.get('user'), itemId, measureId, form),
      invalid: (form, errors) => targetsPage(c, itemId, measureId, errors, form),
      done: targetsDone(itemId, measureId),
    });
  });
  r.post('/admin/plan-items/:id/measures/:measureId/targets/:targetId/delete', ['admin'], (c) => {
    const { itemId, measureId } = measureIds(c);
    const targetId = toId(c.req.param('targetId'));
    return formAction(c, {
      run: (form) => deleteTarget(c.get('ctx'), c.get('user'), itemId, measureId, targetId, form),
      invalid: (_form, errors) => targetsPage(c, itemId, measureId, errors, {}, targetId),
      done: targetsDone(itemId, measureId),
    });
  });

  // --- Schedule grid: one measure's row ----------------------------------------------------------
  const gridPage = async (c: Ctx, measureId: number, itemId: number, errors: FieldErrors | null = null, values: FormBody | null = null) => {
    const t = c.get('t');
    const s = await planItemSheet(c.get('ctx'), itemId);
    const m = s?.measures.find((x) => x.measure.id === measureId);
    if (!s || !m) return c.notFound();
    return page(c, `${t('plan.editGrid')}：${m.label} ${m.measure.title}`, <GridView {...req(c)} s={s} m={m} errors={errors} values={values} />, {
      crumbs: itemCrumbs(c, s, t('plan.editGrid')),
      status: errors ? 422 : 200,
    });
  };
  r.get('/admin/plan-measures/:id/schedule', ['admin'], (c) => gridPage(c, toId(c.req.param('id')), toId(c.req.query('item'))));
  r.post('/admin/plan-measures/:id/schedule', ['admin'], (c) => {
    const id = toId(c.req.param('id'));
    const itemId = toId(c.req.query('item'));
    return formAction(c, {
      run: (form) => saveSchedule(c.get('ctx'), c.get('user'), id, form),
      invalid: (form, errors) => gridPage(c, id, itemId, errors, form),
      done: () => `/admin/plan-items/${itemId}?notice=saved`,
    });
  });

  // --- Yearly progress -----------------------------------------------------------------------------
  const progressPage = async (c: Ctx, itemId: number, fy: number, errors: FieldErrors | null = null, values: FormBody | null = null) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const s = await planItemSheet(c.get('ctx'), itemId);
    if (!s || !s.years.includes(fy)) return c.notFound();
    return page(c, `${s.item.number} ${t('plan.progressOf', { fy: formatFiscalYear(fy, lang) })}`, <ProgressFormView {...req(c)} s={s} fy={fy} errors={errors} values={values} />, {
      crumbs: itemCrumbs(c, s, formatFiscalYear(fy, lang, 'wareki')),
      status: errors ? 422 : 200,
    });
  };
  r.get('/admin/plan-items/:id/progress/:fy', ['admin'], (c) => progressPage(c, toId(c.req.param('id')), toId(c.req.param('fy'))));
  r.post('/admin/plan-items/:id/progress/:fy', ['admin'], (c) => {
    const id = toId(c.req.param('id'));
    const fy = toId(c.req.param('fy'));
    return formAction(c, {
      run: (form) => saveProgress(c.get('ctx'), c.get('user'), id, fy, form),
      invalid: (form, errors) => progressPage(c, id, fy, errors, form),
      done: () => `/admin/plan-items/${id}?notice=saved`,
    });
  });
}
