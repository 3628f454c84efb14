import { formatFiscalYear } from '../../domain/calendar.js';
import { PLAN_KPI_KEYS, PLAN_KPIS, type PlanKpi } from '../../domain/plan.js';
import { formatPercent } from '../../domain/rounding.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import { toLaidOutXlsx } from '../../lib/xlsx.js';
import {
  createItem,
  createMeasure,
  createPlan,
  deleteItem,
  deleteTarget,
  listPlans,
  repeatedUnder,
  moveMeasure,
  planItemSheet,
  planWithItems,
  removeMeasure,
  saveProgress,
  saveSchedule,
  saveTarget,
  type TargetRow,
  updateItem,
  updateMeasure,
  updatePlan,
} from '../../services/plan.service.js';
import type { MeasureFigures } from '../../services/report.service.js';
import { type FormBody, readForm, submit, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { CheckboxGroup, CsrfField, ErrorSummary, SelectField, TextArea, TextField } from '../views/components.js';
import { kpiText, rateText, TargetsTable } from '../views/plan-targets.js';
import { PROGRESS_STATUSES } from '../../domain/values.js';
import { listProgrammes } from '../../services/offering.service.js';

type Sheet = NonNullable<Awaited<ReturnType<typeof planItemSheet>>>;
const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');
const paragraphs = (text: string) => text.split(/\n+/).filter(Boolean).map((p) => <p>{p}</p>);

/** The figures of a measure in a year, as one line (only those that apply). */
export function figuresText(t: Translate, f: MeasureFigures | undefined): string {
  if (!f) return '';
  const parts = [
    f.sessionsHeld ? t('plan.fig.sessions', { n: f.sessionsHeld }) : '',
    f.fieldTrainingsHeld ? t('plan.fig.field', { n: f.fieldTrainingsHeld }) : '',
    f.participants ? t('plan.fig.participants', { n: f.participants, total: f.attendances }) : '',
    f.completions ? t('plan.fig.completions', { n: f.completions }) : '',
    f.coordinatorsCertified !== null && f.coordinatorsCertified > 0 ? t('plan.fig.coordinators', { n: f.coordinatorsCertified }) : '',
  ].filter(Boolean);
  return parts.length ? parts.join('、') : t('plan.fig.none');
}

/** The targets of the sheet's years, one row per target: year, measure, indicator, target, actual, 達成率. */
function targetLines(s: Sheet) {
  return s.years.flatMap((y) => s.measures.flatMap((m) => (m.targets.get(y) ?? []).map((r) => ({ y, m, r }))));
}

function SheetTargets({ t, lang, s }: { t: Translate; lang: Lang; s: Sheet }) {
  const lines = targetLines(s);
  if (!lines.length) return <p>{t('plan.noTargets')}</p>;
  return <TargetsTable t={t} lang={lang} caption={t('plan.targets')} className="plan-targets" rows={lines.map(({ y, m, r }) => ({ fiscalYear: y, measure: m.label, row: r }))} />;
}

const directionTitle = (t: Translate, s: Sheet, lang: Lang) => t('plan.direction', { fy: formatFiscalYear(s.plan.last_fiscal_year + 1, lang, 'wareki') });

function SheetView({ t, lang, s, editable }: { t: Translate; lang: Lang; s: Sheet; editable: boolean }) {
  const period = s.years.filter((y) => y <= s.plan.last_fiscal_year);
  return (
    <article class="plan-sheet">
      <table class="data-table sheet-head">
        <caption class="visually-hidden">{t('plan.item')}</caption>
        <tbody>
          <tr>
            <th scope="row">{t('plan.item')}</th>
            <td>
              {s.item.number} {s.item.title}
            </td>
            <th scope="row">{t('plan.owningUnits')}</th>
            <td>{s.item.owning_units}</td>
          </tr>
        </tbody>
      </table>
      <h2>{t('plan.section1')}</h2>
      {paragraphs(s.item.situation)}
      <h2>{t('plan.section2')}</h2>
      <h3>{t('plan.approach')}</h3>
      {paragraphs(s.item.approach)}
      <h3>{t('plan.measures')}</h3>
      {s.measures.map((m) => (
        <>
          <p>
            <strong>
              {m.label} {m.measure.title}
              {m.repeated ? t('plan.repeated') : ''}
            </strong>
          </p>
          {paragraphs(m.measure.description)}
        </>
      ))}
      <h3>{directionTitle(t, s, lang)}</h3>
      {paragraphs(s.item.direction)}
      <h2>{t('plan.section3')}</h2>
      <table class="data-table plan-grid">
        <caption>{t('plan.section3')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('plan.measure')}</th>
            {period.map((y) => (
              <th scope="col">{formatFiscalYear(y, lang, 'wareki')}</th>
            ))}
            {editable ? <th scope="col">{t('common.edit')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {s.measures.map((m) => (
            <tr>
              <th scope="row">
                {m.label} {m.measure.title}
              </th>
              {period.map((y) => {
                const c = m.cells.get(y);
                return <td>{c ? `${c.text}${c.arrow ? (c.text ? ' →' : '→') : ''}` : ''}</td>;
              })}
              {editable ? (
                <td>
                  <a href={`/admin/plan-measures/${m.measure.id}/schedule?item=${s.item.id}`} aria-label={`${t('plan.editGrid')}：${m.label}`}>
                    {t('plan.editGrid')}
                  </a>{' '}
                  ・{' '}
                  <a href={`/admin/plan-items/${s.item.id}/measures/${m.measure.id}/edit`} aria-label={`${t('plan.editMeasure')}：${m.label}`}>
                    {t('plan.editMeasure')}
                  </a>{' '}
                  ・{' '}
                  <a href={`/admin/plan-items/${s.item.id}/measures/${m.measure.id}/targets`} aria-label={`${t('plan.editTargets')}：${m.label}`}>
                    {t('plan.editTargets')}
                  </a>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('plan.section4')}</h2>
      <table class="data-table plan-actuals">
        <caption>{t('plan.section4')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('field.fiscalYear')}</th>
            <th scope="col">{t('plan.measure')}</th>
            <th scope="col">{t('plan.status')}</th>
            <th scope="col">{t('plan.rating')}</th>
            <th scope="col">{t('plan.results')}</th>
            <th scope="col">{t('plan.figures')}</th>
          </tr>
        </thead>
        <tbody>
          {s.pastYears.flatMap((y) => {
            const whole = s.progressOf(0, y);
            const rows = s.measures.map((m) => {
              const p = s.progressOf(m.measure.id, y);
              return (
                <tr>
                  <td>{m.label}</td>
                  <td>{p?.status ? t(`plan.status.${p.status}`) : '—'}</td>
                  <td>{p?.rating ?? '—'}</td>
                  <td>{p?.results ?? ''}</td>
                  <td>{figuresText(t, m.figures.get(y))}</td>
                </tr>
              );
            });
            return [
              <tr class={y > s.plan.last_fiscal_year ? 'after-period' : undefined}>
                <th scope="rowgroup" rowspan={s.measures.length + 1}>
                  {formatFiscalYear(y, lang, 'wareki')}
                  {y > s.plan.last_fiscal_year ? <span class="badge">{t('plan.afterPeriod')}</span> : null}
                  {editable ? (
                    <>
                      <br />
                      <a href={`/admin/plan-items/${s.item.id}/progress/${y}`} aria-label={t('plan.editProgressOf', { fy: formatFiscalYear(y, lang, 'wareki') })}>
                        {t('plan.editProgress')}
                      </a>
                    </>
                  ) : null}
                </th>
                <td>{t('plan.whole')}</td>
                <td>{whole?.status ? t(`plan.status.${whole.status}`) : '—'}</td>
                <td>{whole?.rating ?? '—'}</td>
                <td>
                  {whole?.results ?? ''}
                  {whole?.changes ? (
                    <>
                      <br />
                      {t('plan.changes')}：{whole.changes}
                    </>
                  ) : null}
                  {whole?.further ? (
                    <>
                      <br />
                      {t('plan.further')}：{whole.further}
                    </>
                  ) : null}
                </td>
                <td />
              </tr>,
              ...rows,
            ];
          })}
        </tbody>
      </table>
      <h3>{t('plan.targets')}</h3>
      <SheetTargets t={t} lang={lang} s={s} />
    </article>
  );
}

/** The sheet as rows for xlsx: the same sections, grid and actuals. */
function sheetRows(t: Translate, s: Sheet) {
  const period = s.years.filter((y) => y <= s.plan.last_fiscal_year);
  const width = Math.max(6, period.length + 1);
  const rows: (string | number | null)[][] = [];
  const merges: string[] = [];
  const bold: number[] = [];
  const col = (n: number) => String.fromCharCode(64 + n);
  const full = (text: string, isBold = false) => {
    rows.push([text, ...Array(width - 1).fill(null)]);
    merges.push(`A${rows.length}:${col(width)}${rows.length}`);
    if (isBold) bold.push(rows.length);
  };
  rows.push([t('plan.item'), `${s.item.number} ${s.item.title}`, null, t('plan.owningUnits'), s.item.owning_units, ...Array(Math.max(0, width - 5)).fill(null)]);
  merges.push(`B1:C1`);
  if (width > 5) merges.push(`E1:${col(width)}1`);
  full(t('plan.section1'), true);
  full(s.item.situation);
  full(t('plan.section2'), true);
  full(t('plan.approach'), true);
  full(s.item.approach);
  full(t('plan.measures'), true);
  for (const m of s.measures) full(`${m.label} ${m.measure.title}${m.repeated ? t('plan.repeated') : ''}\n${m.measure.description}`);
  full(directionTitle(t, s, 'ja'), true);
  full(s.item.direction);
  full(t('plan.section3'), true);
  rows.push([t('plan.measure'), ...period.map((y) => formatFiscalYear(y, 'ja', 'wareki')), ...Array(width - 1 - period.length).fill(null)]);
  bold.push(rows.length);
  for (const m of s.measures)
    rows.push([
      `${m.label} ${m.measure.title}`,
      ...period.map((y) => {
        const c = m.cells.get(y);
        return c ? `${c.text}${c.arrow ? (c.text ? ' →' : '→') : ''}` : '';
      }),
      ...Array(width - 1 - period.length).fill(null),
    ]);
  full(t('plan.section4'), true);
  rows.push([t('field.fiscalYear'), t('plan.measure'), t('plan.status'), t('plan.rating'), t('plan.results'), t('plan.figures'), ...Array(width - 6).fill(null)]);
  bold.push(rows.length);
  for (const y of s.pastYears) {
    const w = s.progressOf(0, y);
    const wareki = formatFiscalYear(y, 'ja', 'wareki');
    rows.push([wareki, t('plan.whole'), w?.status ? t(`plan.status.${w.status}`) : '', w?.rating ?? '', [w?.results, w?.changes ? `${t('plan.changes')}：${w.changes}` : '', w?.further ? `${t('plan.further')}：${w.further}` : ''].filter(Boolean).join('\n'), '', ...Array(width - 6).fill(null)]);
    for (const m of s.measures) {
      const p = s.progressOf(m.measure.id, y);
      rows.push([wareki, m.label, p?.status ? t(`plan.status.${p.status}`) : '', p?.rating ?? '', p?.results ?? '', figuresText(t, m.figures.get(y)), ...Array(width - 6).fill(null)]);
    }
  }
  full(t('plan.targets'), true);
  rows.push([t('field.fiscalYear'), t('plan.measure'), t('field.kpi'), t('plan.target'), t('plan.actual'), t('plan.rate'), ...Array(width - 6).fill(null)]);
  bold.push(rows.length);
  for (const { y, m, r } of targetLines(s))
    rows.push([formatFiscalYear(y, 'ja'), m.label, t(`plan.kpi.${r.kpi}`), r.target, r.actual, rateText(t, r), ...Array(width - 6).fill(null)]);
  return { rows, merges, bold, widths: [22, ...Array(width - 1).fill(18)] };
}

/** A deletion form that works without JavaScript: a checkbox to confirm, then the button. */
function confirmForm(c: Ctx, action: string, label: string, errors: FieldErrors | null) {
  const t = c.get('t');
  return (
    <form method="post" action={action} novalidate>
      <CsrfField token={c.get('csrf')} />
      <CheckboxGroup t={t} name="confirm" label={t('field.confirm')} values={[]} errors={errors} options={[{ value: 'yes', label: t('plan.confirmRemove') }]} />
      <button type="submit" class="button button--danger">
        {label}
      </button>
    </form>
  );
}

export function registerPlan(r: Router) {
  const plansPage = async (c: Ctx, errors: FieldErrors | null = null, values: FormBody = {}) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const plans = await listPlans(c.get('ctx'));
    const withItems = await Promise.all(plans.map((p) => planWithItems(c.get('ctx'), p.id)));
    return page(
      c,
      t('plan.title'),
      <>
        {withItems.length ? (
          withItems.map((w) => (
            <section>
              <h2>
                <a href={`/admin/plans/${w!.plan.id}`}>{w!.plan.title}</a>（{formatFiscalYear(w!.plan.first_fiscal_year, lang, 'wareki')}〜{formatFiscalYear(w!.plan.last_fiscal_year, lang, 'wareki')}）
              </h2>
              <ul class="link-list">
                {w!.items.map((i) => (
                  <li>
                    <a href={`/admin/plan-items/${i.id}`}>
                      {i.number} {i.title}
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          ))
        ) : (
          <p>{t('plan.none')}</p>
        )}
        <section class="no-print">
          <h2>{t('plan.newPlan')}</h2>
          <ErrorSummary t={t} errors={errors} />
          <form method="post" action="/admin/plans" novalidate>
            <CsrfField token={c.get('csrf')} />
            <TextField t={t} name="title" label={t('field.title')} value={str(values.title)} errors={errors} required maxlength={200} />
            <TextField t={t} name="firstFiscalYear" label={t('field.firstFiscalYear')} value={str(values.firstFiscalYear)} errors={errors} required maxlength={20} hint={t('plan.yearHint')} />
            <TextField t={t} name="lastFiscalYear" label={t('field.lastFiscalYear')} value={str(values.lastFiscalYear)} errors={errors} required maxlength={20} hint={t('plan.yearHint')} />
            <TextField t={t} name="ratingLabels" label={t('field.ratingLabels')} value={str(values.ratingLabels)} errors={errors} maxlength={300} hint={t('plan.ratingLabelsHint')} />
            <button type="submit" class="button">
              {t('plan.addPlan')}
            </button>
          </form>
        </section>
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('plan.title') }], status: errors ? 422 : 200 },
    );
  };
  r.get('/admin/plans', ['admin'], (c) => plansPage(c));
  r.post('/admin/plans', ['admin'], async (c) => {
    const form = await readForm(c);
    const res = await submit(
      () => createPlan(c.get('ctx'), c.get('user'), form),
      (errors) => plansPage(c, errors, form),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/plans/${res.value.id}?notice=saved`, 303);
  });

  const itemForm = (c: Ctx, action: string, values: FormBody, errors: FieldErrors | null) => {
    const t = c.get('t');
    return (
      <form method="post" action={action} novalidate>
        <CsrfField token={c.get('csrf')} />
        <TextField t={t} name="number" label={t('plan.number')} value={str(values.number)} errors={errors} required maxlength={20} hint="(16)" />
        <TextField t={t} name="title" label={t('field.title')} value={str(values.title)} errors={errors} required maxlength={200} />
        <TextField t={t} name="owningUnits" label={t('plan.owningUnits')} value={str(values.owningUnits)} errors={errors} maxlength={500} />
        <TextArea t={t} name="situation" label={t('plan.section1')} value={str(values.situation)} errors={errors} rows={8} />
        <TextArea t={t} name="approach" label={t('plan.approach')} value={str(values.approach)} errors={errors} rows={4} />
        <TextArea t={t} name="direction" label={t('plan.directionField')} value={str(values.direction)} errors={errors} rows={3} />
        <button type="submit" class="button">
          {t('common.save')}
        </button>
      </form>
    );
  };

  const planPage = async (c: Ctx, id: number, errors: FieldErrors | null = null, values: FormBody = {}) => {
    const t = c.get('t');
    const w = await planWithItems(c.get('ctx'), id);
    if (!w) return c.notFound();
    return page(
      c,
      w.plan.title,
      <>
        <ul class="link-list">
          {w.items.map((i) => (
            <li>
              <a href={`/admin/plan-items/${i.id}`}>
                {i.number} {i.title}
              </a>
            </li>
          ))}
        </ul>
        <h2>{t('plan.newItem')}</h2>
        <ErrorSummary t={t} errors={errors} />
        {itemForm(c, `/admin/plans/${id}/items`, values, errors)}
        <p>
          <a href={`/admin/plans/${id}/edit`}>{t('plan.editPlan')}</a>
        </p>
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('plan.title'), href: '/admin/plans' }, { label: w.plan.title }], status: errors ? 422 : 200, notice: !errors && c.req.query('notice') === 'saved' ? t('common.saved') : null },
    );
  };
  r.get('/admin/plans/:id', ['admin'], (c) => planPage(c, toId(c.req.param('id'))));

  const planEditPage = async (c: Ctx, id: number, errors: FieldErrors | null = null, values: FormBody | null = null) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const w = await planWithItems(c.get('ctx'), id);
    if (!w) return c.notFound();
    const v = values ?? { title: w.plan.title, firstFiscalYear: formatFiscalYear(w.plan.first_fiscal_year, lang, 'wareki'), lastFiscalYear: formatFiscalYear(w.plan.last_fiscal_year, lang, 'wareki'), ratingLabels: w.plan.rating_labels.join('、') };
    return page(
      c,
      t('plan.editPlan'),
      <>
        <ErrorSummary t={t} errors={errors} />
        <form method="post" action={`/admin/plans/${id}/edit`} novalidate>
          <CsrfField token={c.get('csrf')} />
          <TextField t={t} name="title" label={t('field.title')} value={str(v.title)} errors={errors} required maxlength={200} />
          <TextField t={t} name="firstFiscalYear" label={t('field.firstFiscalYear')} value={str(v.firstFiscalYear)} errors={errors} required maxlength={20} hint={t('plan.yearHint')} />
          <TextField t={t} name="lastFiscalYear" label={t('field.lastFiscalYear')} value={str(v.lastFiscalYear)} errors={errors} required maxlength={20} hint={t('plan.yearHint')} />
          <TextField t={t} name="ratingLabels" label={t('field.ratingLabels')} value={str(v.ratingLabels)} errors={errors} maxlength={300} hint={t('plan.ratingLabelsHint')} />
          <button type="submit" class="button">
            {t('common.save')}
          </button>
        </form>
      </>,
      { crumbs: [{ label: t('plan.title'), href: '/admin/plans' }, { label: w.plan.title, href: `/admin/plans/${id}` }, { label: t('plan.editPlan') }], status: errors ? 422 : 200 },
    );
  };
  r.get('/admin/plans/:id/edit', ['admin'], (c) => planEditPage(c, toId(c.req.param('id'))));
  r.post('/admin/plans/:id/edit', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const form = await readForm(c);
    const res = await submit(
      () => updatePlan(c.get('ctx'), c.get('user'), id, form),
      (errors) => planEditPage(c, id, errors, form),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/plans/${id}?notice=saved`, 303);
  });
  r.post('/admin/plans/:id/items', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const form = await readForm(c);
    const res = await submit(
      () => createItem(c.get('ctx'), c.get('user'), id, form),
      (errors) => planPage(c, id, errors, form),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/plan-items/${res.value.id}?notice=saved`, 303);
  });

  // --- The plan-item sheet ------------------------------------------------------------------------
  const sheetPage = async (c: Ctx, id: number, measureErrors: FieldErrors | null = null, measureValues: FormBody = {}) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const s = await planItemSheet(c.get('ctx'), id);
    if (!s) return c.notFound();
    const [programmes, siblings] = await Promise.all([listProgrammes(c.get('ctx')), planWithItems(c.get('ctx'), s.plan.id)]);
    return page(
      c,
      `${s.item.number} ${s.item.title}`,
      <>
        <p class="actions no-print">
          <a class="button button--secondary" href={`/admin/plan-items/${id}/edit`}>
            {t('plan.editItem')}
          </a>{' '}
          <a class="button button--secondary" href={`/admin/plan-items/${id}/sheet.xlsx`}>
            {t('common.downloadXlsx')}
          </a>{' '}
          <a class="button button--secondary" href={`/admin/plan-items/${id}/print`}>
            {t('plan.print')}
          </a>
        </p>
        <SheetView t={t} lang={lang} s={s} editable />
        <section class="no-print">
          <h2>{t('plan.newMeasure')}</h2>
          <ErrorSummary t={t} errors={measureErrors} />
          <form method="post" action={`/admin/plan-items/${id}/measures`} novalidate>
            <CsrfField token={c.get('csrf')} />
            <TextField t={t} name="title" label={t('field.title')} value={str(measureValues.title)} errors={measureErrors} required maxlength={200} />
            <TextArea t={t} name="description" label={t('field.description')} value={str(measureValues.description)} errors={measureErrors} rows={3} />
            <CheckboxGroup t={t} name="programmeIds" label={t('plan.programmes')} values={[]} errors={measureErrors} options={programmes.map((p) => ({ value: String(p.id), label: p.name }))} />
            <CheckboxGroup t={t} name="alsoItemIds" label={t('plan.alsoUnder')} values={[]} errors={measureErrors} options={(siblings?.items ?? []).filter((i) => i.id !== id).map((i) => ({ value: String(i.id), label: `${i.number} ${i.title}` }))} />
            <button type="submit" class="button">
              {t('plan.addMeasure')}
            </button>
          </form>
        </section>
      </>,
      {
        crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('plan.title'), href: '/admin/plans' }, { label: s.plan.title, href: `/admin/plans/${s.plan.id}` }, { label: s.item.number }],
        notice: c.req.query('notice') === 'saved' ? t('common.saved') : null,
        status: measureErrors ? 422 : 200,
      },
    );
  };
  r.get('/admin/plan-items/:id', ['admin'], (c) => sheetPage(c, toId(c.req.param('id'))));
  r.get('/admin/plan-items/:id/print', ['admin'], async (c) => {
    const t = c.get('t');
    const s = await planItemSheet(c.get('ctx'), toId(c.req.param('id')));
    if (!s) return c.notFound();
    return page(c, `${s.item.number} ${s.item.title}`, <SheetView t={t} lang={c.get('lang')} s={s} editable={false} />, {
      crumbs: [{ label: t('plan.title'), href: '/admin/plans' }, { label: s.item.number, href: `/admin/plan-items/${s.item.id}` }, { label: t('plan.print') }],
    });
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
  r.post('/admin/plan-items/:id/measures', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const form = await readForm(c);
    const res = await submit(
      () => createMeasure(c.get('ctx'), c.get('user'), id, form),
      (errors) => sheetPage(c, id, errors, form),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/plan-items/${id}?notice=saved`, 303);
  });

  const editPage = async (c: Ctx, id: number, errors: FieldErrors | null = null, values: FormBody | null = null) => {
    const t = c.get('t');
    const s = await planItemSheet(c.get('ctx'), id);
    if (!s) return c.notFound();
    const v = values ?? { number: s.item.number, title: s.item.title, owningUnits: s.item.owning_units, situation: s.item.situation, approach: s.item.approach, direction: s.item.direction };
    return page(
      c,
      t('plan.editItem'),
      <>
        <ErrorSummary t={t} errors={errors} />
        {itemForm(c, `/admin/plan-items/${id}/edit`, v, errors)}
        <section>
          <h2>{t('plan.deleteItem')}</h2>
          <p>{t('plan.deleteItemHint')}</p>
          {confirmForm(c, `/admin/plan-items/${id}/delete`, t('plan.deleteItem'), errors)}
        </section>
      </>,
      { crumbs: [{ label: t('plan.title'), href: '/admin/plans' }, { label: s.item.number, href: `/admin/plan-items/${id}` }, { label: t('plan.editItem') }], status: errors ? 422 : 200 },
    );
  };
  r.get('/admin/plan-items/:id/edit', ['admin'], (c) => editPage(c, toId(c.req.param('id'))));
  r.post('/admin/plan-items/:id/delete', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const form = await readForm(c);
    const res = await submit(
      () => deleteItem(c.get('ctx'), c.get('user'), id, form),
      (errors) => editPage(c, id, errors),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/plans/${res.value.plan_id}?notice=saved`, 303);
  });

  // --- A measure as listed under an item: edit, reorder, take off -------------------------------
  const measurePage = async (c: Ctx, itemId: number, measureId: number, errors: FieldErrors | null = null, values: FormBody | null = null) => {
    const t = c.get('t');
    const s = await planItemSheet(c.get('ctx'), itemId);
    const m = s?.measures.find((x) => x.measure.id === measureId);
    if (!s || !m) return c.notFound();
    const [programmes, siblings, listed] = await Promise.all([listProgrammes(c.get('ctx')), planWithItems(c.get('ctx'), s.plan.id), repeatedUnder(c.get('ctx'), measureId)]);
    const arr = (k: string, fallback: string[]) => (values ? (Array.isArray(values[k]) ? (values[k] as string[]) : typeof values[k] === 'string' ? [values[k] as string] : []) : fallback);
    const base = `/admin/plan-items/${itemId}/measures/${measureId}`;
    const index = s.measures.indexOf(m);
    return page(
      c,
      `${t('plan.editMeasure')}：${m.label} ${m.measure.title}`,
      <>
        <ErrorSummary t={t} errors={errors} />
        <form method="post" action={`${base}/edit`} novalidate>
          <CsrfField token={c.get('csrf')} />
          <TextField t={t} name="title" label={t('field.title')} value={values ? str(values.title) : m.measure.title} errors={errors} required maxlength={200} />
          <TextArea t={t} name="description" label={t('field.description')} value={values ? str(values.description) : m.measure.description} errors={errors} rows={4} />
          <CheckboxGroup t={t} name="programmeIds" label={t('plan.programmes')} values={arr('programmeIds', m.measure.programme_ids.map(String))} errors={errors} options={programmes.map((p) => ({ value: String(p.id), label: p.name }))} />
          <CheckboxGroup
            t={t}
            name="alsoItemIds"
            label={t('plan.alsoUnder')}
            values={arr('alsoItemIds', listed.map(String))}
            errors={errors}
            options={(siblings?.items ?? []).filter((i) => i.id !== m.measure.home_item_id).map((i) => ({ value: String(i.id), label: `${i.number} ${i.title}` }))}
          />
          <button type="submit" class="button">
            {t('common.save')}
          </button>
        </form>
        <section>
          <h2>{t('plan.order')}</h2>
          <form method="post" action={`${base}/move`} class="inline-form">
            <CsrfField token={c.get('csrf')} />
            <button type="submit" class="button button--secondary" name="direction" value="up" disabled={index === 0}>
              {t('plan.moveUp')}
            </button>{' '}
            <button type="submit" class="button button--secondary" name="direction" value="down" disabled={index === s.measures.length - 1}>
              {t('plan.moveDown')}
            </button>
          </form>
        </section>
        <section>
          <h2>{t('plan.removeMeasure')}</h2>
          <p>{m.repeated ? t('plan.removeRepeated') : t('plan.removeHome')}</p>
          {confirmForm(c, `${base}/remove`, t('plan.removeMeasure'), errors)}
        </section>
      </>,
      { crumbs: [{ label: t('plan.title'), href: '/admin/plans' }, { label: s.item.number, href: `/admin/plan-items/${itemId}` }, { label: t('plan.editMeasure') }], status: errors ? 422 : 200 },
    );
  };
  const measureIds = (c: Ctx) => ({ itemId: toId(c.req.param('id')), measureId: toId(c.req.param('measureId')) });
  r.get('/admin/plan-items/:id/measures/:measureId/edit', ['admin'], (c) => {
    const { itemId, measureId } = measureIds(c);
    return measurePage(c, itemId, measureId);
  });
  r.post('/admin/plan-items/:id/measures/:measureId/edit', ['admin'], async (c) => {
    const { itemId, measureId } = measureIds(c);
    const form = await readForm(c);
    const res = await submit(
      () => updateMeasure(c.get('ctx'), c.get('user'), itemId, measureId, form),
      (errors) => measurePage(c, itemId, measureId, errors, form),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/plan-items/${itemId}?notice=saved`, 303);
  });
  r.post('/admin/plan-items/:id/measures/:measureId/move', ['admin'], async (c) => {
    const { itemId, measureId } = measureIds(c);
    const form = await readForm(c);
    const res = await submit(
      () => moveMeasure(c.get('ctx'), c.get('user'), itemId, measureId, form.direction),
      (errors) => measurePage(c, itemId, measureId, errors),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/plan-items/${itemId}/measures/${measureId}/edit`, 303);
  });
  r.post('/admin/plan-items/:id/measures/:measureId/remove', ['admin'], async (c) => {
    const { itemId, measureId } = measureIds(c);
    const form = await readForm(c);
    const res = await submit(
      () => removeMeasure(c.get('ctx'), c.get('user'), itemId, measureId, form),
      (errors) => measurePage(c, itemId, measureId, errors),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/plan-items/${itemId}?notice=saved`, 303);
  });
  r.post('/admin/plan-items/:id/edit', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const form = await readForm(c);
    const res = await submit(
      () => updateItem(c.get('ctx'), c.get('user'), id, form),
      (errors) => editPage(c, id, errors, form),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/plan-items/${id}?notice=saved`, 303);
  });

  // --- A measure's numeric targets (数値目標) ---------------------------------------------------------
  const targetsPage = async (c: Ctx, itemId: number, measureId: number, errors: FieldErrors | null = null, values: FormBody = {}, deleting: number | null = null) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const s = await planItemSheet(c.get('ctx'), itemId);
    const m = s?.measures.find((x) => x.measure.id === measureId);
    if (!s || !m) return c.notFound();
    const base = `/admin/plan-items/${itemId}/measures/${measureId}/targets`;
    const rows = s.years.flatMap((y) => (m.targets.get(y) ?? []).map((r) => ({ y, r })));
    return page(
      c,
      t('plan.targetsOf', { label: `${m.label} ${m.measure.title}` }),
      <>
        {deleting !== null ? <ErrorSummary t={t} errors={errors} idPrefix={`t${deleting}-`} /> : null}
        {rows.length ? (
          <table class="data-table">
            <caption>{t('plan.targets')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('field.fiscalYear')}</th>
                <th scope="col">{t('field.kpi')}</th>
                <th scope="col">{t('plan.target')}</th>
                <th scope="col">{t('plan.actual')}</th>
                <th scope="col">{t('plan.rate')}</th>
                <th scope="col">{t('plan.delete')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ y, r }) => (
                <tr>
                  <td>{formatFiscalYear(y, lang)}</td>
                  <td>{t(`plan.kpi.${r.kpi}`)}</td>
                  <td class="num">{kpiText(t, r.kpi, r.target)}</td>
                  <td class="num">{kpiText(t, r.kpi, r.actual)}</td>
                  <td class="num">{rateText(t, r)}</td>
                  <td>
                    <form method="post" action={`${base}/${r.id}/delete`} novalidate>
                      <CsrfField token={c.get('csrf')} />
                      <CheckboxGroup
                        t={t}
                        idPrefix={`t${r.id}-`}
                        name="confirm"
                        label={`${formatFiscalYear(y, lang)} ${t(`plan.kpi.${r.kpi}`)}`}
                        values={[]}
                        errors={deleting === r.id ? errors : null}
                        options={[{ value: 'yes', label: t('plan.confirmRemove') }]}
                      />
                      <button type="submit" class="button button--danger">
                        {t('plan.deleteTarget')}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>{t('plan.noTargets')}</p>
        )}
        <section>
          <h2>{t('plan.addTarget')}</h2>
          <p>{t('plan.targetHint')}</p>
          <ErrorSummary t={t} errors={deleting !== null ? null : errors} />
          <form method="post" action={base} novalidate>
            <CsrfField token={c.get('csrf')} />
            <SelectField t={t} name="fiscalYear" label={t('field.fiscalYear')} value={str(values.fiscalYear)} errors={deleting !== null ? null : errors} required blank="—" options={s.years.map((y) => ({ value: y, label: formatFiscalYear(y, lang) }))} />
            <SelectField
              t={t}
              name="kpi"
              label={t('field.kpi')}
              value={str(values.kpi)}
              errors={deleting !== null ? null : errors}
              required
              blank="—"
              options={PLAN_KPI_KEYS.map((k) => ({ value: k, label: `${t(`plan.kpi.${k}`)}（${t(`plan.kpiScope.${PLAN_KPIS[k].scope}`)}）` }))}
            />
            <TextField t={t} name="target" label={t('field.target')} value={str(values.target)} errors={deleting !== null ? null : errors} required maxlength={20} hint={t('plan.targetValueHint')} />
            <button type="submit" class="button">
              {t('plan.addTarget')}
            </button>
          </form>
        </section>
      </>,
      { crumbs: [{ label: t('plan.title'), href: '/admin/plans' }, { label: s.item.number, href: `/admin/plan-items/${itemId}` }, { label: t('plan.editTargets') }], status: errors ? 422 : 200, notice: !errors && c.req.query('notice') === 'saved' ? t('common.saved') : null },
    );
  };
  r.get('/admin/plan-items/:id/measures/:measureId/targets', ['admin'], (c) => {
    const { itemId, measureId } = measureIds(c);
    return targetsPage(c, itemId, measureId);
  });
  r.post('/admin/plan-items/:id/measures/:measureId/targets', ['admin'], async (c) => {
    const { itemId, measureId } = measureIds(c);
    const form = await readForm(c);
    const res = await submit(
      () => saveTarget(c.get('ctx'), c.get('user'), itemId, measureId, form),
      (errors) => targetsPage(c, itemId, measureId, errors, form),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/plan-items/${itemId}/measures/${measureId}/targets?notice=saved`, 303);
  });
  r.post('/admin/plan-items/:id/measures/:measureId/targets/:targetId/delete', ['admin'], async (c) => {
    const { itemId, measureId } = measureIds(c);
    const targetId = toId(c.req.param('targetId'));
    const form = await readForm(c);
    const res = await submit(
      () => deleteTarget(c.get('ctx'), c.get('user'), itemId, measureId, targetId, form),
      (errors) => targetsPage(c, itemId, measureId, errors, {}, targetId),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/plan-items/${itemId}/measures/${measureId}/targets?notice=saved`, 303);
  });

  // --- Schedule grid: one measure's row ----------------------------------------------------------
  const gridPage = async (c: Ctx, measureId: number, itemId: number, errors: FieldErrors | null = null, values: FormBody | null = null) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const s = await planItemSheet(c.get('ctx'), itemId);
    const m = s?.measures.find((x) => x.measure.id === measureId);
    if (!s || !m) return c.notFound();
    return page(
      c,
      `${t('plan.editGrid')}：${m.label} ${m.measure.title}`,
      <>
        <ErrorSummary t={t} errors={errors} />
        <form method="post" action={`/admin/plan-measures/${measureId}/schedule?item=${itemId}`} novalidate>
          <CsrfField token={c.get('csrf')} />
          <table class="data-table">
            <caption>{t('plan.section3')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('field.fiscalYear')}</th>
                <th scope="col">{t('plan.cellText')}</th>
                <th scope="col">{t('plan.arrow')}</th>
              </tr>
            </thead>
            <tbody>
              {s.years.map((y) => {
                const cell = m.cells.get(y);
                const text = values ? str(values[`cell-${y}`]) : (cell?.text ?? '');
                const arrow = values ? values[`arrow-${y}`] === 'on' : !!cell?.arrow;
                const label = formatFiscalYear(y, lang, 'wareki');
                return (
                  <tr>
                    <th scope="row">{label}</th>
                    <td>
                      <input type="text" id={`f-cell-${y}`} name={`cell-${y}`} value={text} maxlength={100} aria-label={`${label} ${t('plan.cellText')}`} class={errors?.[`cell-${y}`] ? 'input--error' : undefined} />
                    </td>
                    <td>
                      <input type="checkbox" id={`f-arrow-${y}`} name={`arrow-${y}`} value="on" checked={arrow} aria-label={`${label} ${t('plan.arrow')}`} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <button type="submit" class="button">
            {t('common.save')}
          </button>
        </form>
      </>,
      { crumbs: [{ label: t('plan.title'), href: '/admin/plans' }, { label: s.item.number, href: `/admin/plan-items/${itemId}` }, { label: t('plan.editGrid') }], status: errors ? 422 : 200 },
    );
  };
  r.get('/admin/plan-measures/:id/schedule', ['admin'], (c) => gridPage(c, toId(c.req.param('id')), toId(c.req.query('item'))));
  r.post('/admin/plan-measures/:id/schedule', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const itemId = toId(c.req.query('item'));
    const form = await readForm(c);
    const res = await submit(
      () => saveSchedule(c.get('ctx'), c.get('user'), id, form),
      (errors) => gridPage(c, id, itemId, errors, form),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/plan-items/${itemId}?notice=saved`, 303);
  });

  // --- Yearly progress -----------------------------------------------------------------------------
  const progressPage = async (c: Ctx, itemId: number, fy: number, errors: FieldErrors | null = null, values: FormBody | null = null) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const s = await planItemSheet(c.get('ctx'), itemId);
    if (!s || !s.years.includes(fy)) return c.notFound();
    const part = (prefix: string, measureId: number, heading: string, figures: string | null, targets: TargetRow[] = []) => {
      const p = s.progressOf(measureId, fy);
      const val = (k: string) => (values ? str(values[`${prefix}${k}`]) : ((p?.[k as 'results'] as string | null | undefined) ?? ''));
      return (
        <fieldset class="survey-question">
          <legend>{heading}</legend>
          {figures ? <p>{t('plan.figures')}：{figures}</p> : null}
          {targets.length ? (
            <ul>
              {targets.map((r) => (
                <li>
                  {t(`plan.kpi.${r.kpi}`)}：{t('plan.target')} {kpiText(t, r.kpi, r.target)}／{t('plan.actual')} {kpiText(t, r.kpi, r.actual)}／{t('plan.rate')} {rateText(t, r)}
                </li>
              ))}
            </ul>
          ) : null}
          <SelectField t={t} name={`${prefix}status`} label={t('plan.status')} value={val('status')} errors={errors} blank="—" options={PROGRESS_STATUSES.map((x) => ({ value: x, label: t(`plan.status.${x}`) }))} />
          <SelectField t={t} name={`${prefix}rating`} label={t('plan.rating')} value={val('rating')} errors={errors} blank="—" options={s.ratingLabels.map((x) => ({ value: x, label: x }))} />
          <TextArea t={t} name={`${prefix}results`} label={t('plan.results')} value={val('results')} errors={errors} rows={3} />
          <TextArea t={t} name={`${prefix}changes`} label={t('plan.changes')} value={val('changes')} errors={errors} rows={2} />
          <TextArea t={t} name={`${prefix}further`} label={t('plan.further')} value={val('further')} errors={errors} rows={2} />
        </fieldset>
      );
    };
    const title = `${s.item.number} ${t('plan.progressOf', { fy: formatFiscalYear(fy, lang) })}`;
    // The summary names each field as the form does: the measure, then the field (「ア 評価」).
    const fieldNames = { status: t('plan.status'), rating: t('plan.rating'), results: t('plan.results'), changes: t('plan.changes'), further: t('plan.further') };
    const labels = Object.fromEntries(
      s.measures.flatMap((m) => Object.entries(fieldNames).map(([k, v]) => [`m${m.measure.id}-${k}`, `${m.label} ${v}`])).concat(Object.entries(fieldNames)),
    );
    return page(
      c,
      title,
      <>
        <ErrorSummary t={t} errors={errors} labels={labels} />
        <form method="post" action={`/admin/plan-items/${itemId}/progress/${fy}`} novalidate>
          <CsrfField token={c.get('csrf')} />
          {part('', 0, t('plan.whole'), null)}
          {s.measures.map((m) => part(`m${m.measure.id}-`, m.measure.id, `${m.label} ${m.measure.title}`, figuresText(t, m.figures.get(fy)), m.targets.get(fy)))}
          <button type="submit" class="button">
            {t('common.save')}
          </button>
        </form>
      </>,
      { crumbs: [{ label: t('plan.title'), href: '/admin/plans' }, { label: s.item.number, href: `/admin/plan-items/${itemId}` }, { label: formatFiscalYear(fy, lang, 'wareki') }], status: errors ? 422 : 200 },
    );
  };
  r.get('/admin/plan-items/:id/progress/:fy', ['admin'], (c) => progressPage(c, toId(c.req.param('id')), toId(c.req.param('fy'))));
  r.post('/admin/plan-items/:id/progress/:fy', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const fy = toId(c.req.param('fy'));
    const form = await readForm(c);
    const res = await submit(
      () => saveProgress(c.get('ctx'), c.get('user'), id, fy, form),
      (errors) => progressPage(c, id, fy, errors, form),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/plan-items/${id}?notice=saved`, 303);
  });
}
