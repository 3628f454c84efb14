import { fiscalYearOf, formatFiscalYear, formatWareki, tokyoDateOf } from '../../domain/calendar.js';
import { sheetYears } from '../../domain/plan.js';
import { formatPercent, roundHalfUp } from '../../domain/rounding.js';
import { COMPETENCIES } from '../../domain/survey.js';
import type { Lang, Translate } from '../../i18n/index.js';
import { toXlsx } from '../../lib/xlsx.js';
import type { GapIndicators } from '../../services/gap.service.js';
import { listPlans, planWithItems, type ProgressEntry } from '../../services/plan.service.js';
import { defaultPlanId, type ProgressReport, progressReport } from '../../services/progress-report.service.js';
import { toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { SelectField } from '../views/components.js';
import { kpiText, rateText, TargetsTable } from '../views/plan-targets.js';

/** A change on the 5-point scale: signed, two places, rounded half up. */
const signed = (v: number) => `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(roundHalfUp(v, 2)).toFixed(2)}`;
const points = (t: Translate, v: number | null) => (v === null ? '—' : t('plan.unit.points', { n: signed(v) }));
const shareText = (t: Translate, share: number, n: number, total: number) => t('progress.shareOf', { pct: formatPercent(roundHalfUp(share * 100, 1)), n, total });

/** The year's three gap indicators as lines of [gap, indicator, figure]: the page's tables and the xlsx sheet. */
export function gapLines(t: Translate, g: GapIndicators): { gap: 'understanding' | 'opportunity' | 'talent'; label: string; value: string }[] {
  const u = g.understanding;
  const o = g.opportunity;
  const k = g.talent;
  return [
    { gap: 'understanding', label: t('progress.meanChange'), value: points(t, u.meanChange) },
    { gap: 'understanding', label: t('progress.pairs'), value: String(u.n) },
    { gap: 'understanding', label: t('progress.ci95'), value: u.ci95 ? `${signed(u.ci95[0])} 〜 ${signed(u.ci95[1])}` : t('progress.ciTooFew') },
    { gap: 'opportunity', label: t('progress.fieldTrainings'), value: t('plan.unit.times', { n: o.fieldTrainings }) },
    { gap: 'opportunity', label: t('progress.fieldParticipants'), value: t('plan.unit.people', { n: o.participants }) },
    { gap: 'opportunity', label: t('progress.unitsReached'), value: shareText(t, o.unitsReachedShare, o.unitsReached, o.units) },
    { gap: 'opportunity', label: t('progress.municipalitiesReached'), value: shareText(t, o.municipalitiesReachedShare, o.municipalitiesReached, o.municipalities) },
    { gap: 'opportunity', label: t('progress.hostPartners'), value: t('plan.unit.organisations', { n: o.hostPartners }) },
    { gap: 'talent', label: t('progress.activeCoordinators'), value: t('plan.unit.people', { n: k.activeCoordinators }) },
    { gap: 'talent', label: t('progress.consultationsServed'), value: t('plan.unit.cases', { n: k.consultationsServed }) },
    { gap: 'talent', label: t('progress.municipalitiesServed'), value: shareText(t, k.municipalitiesServedShare, k.municipalitiesServed, k.municipalities) },
  ];
}

/** The headline figure of each indicator, per year, for the trend table. */
const trendRows = (t: Translate): { label: string; value: (g: GapIndicators) => string }[] => [
  { label: t('progress.meanChange'), value: (g) => (g.understanding.meanChange === null ? '—' : signed(g.understanding.meanChange)) },
  { label: t('progress.pairs'), value: (g) => String(g.understanding.n) },
  { label: t('progress.fieldTrainings'), value: (g) => String(g.opportunity.fieldTrainings) },
  { label: t('progress.fieldParticipants'), value: (g) => String(g.opportunity.participants) },
  { label: t('progress.unitsReached'), value: (g) => formatPercent(roundHalfUp(g.opportunity.unitsReachedShare * 100, 1)) },
  { label: t('progress.municipalitiesReached'), value: (g) => formatPercent(roundHalfUp(g.opportunity.municipalitiesReachedShare * 100, 1)) },
  { label: t('progress.hostPartners'), value: (g) => String(g.opportunity.hostPartners) },
  { label: t('progress.activeCoordinators'), value: (g) => String(g.talent.activeCoordinators) },
  { label: t('progress.consultationsServed'), value: (g) => String(g.talent.consultationsServed) },
  { label: t('progress.municipalitiesServed'), value: (g) => formatPercent(roundHalfUp(g.talent.municipalitiesServedShare * 100, 1)) },
];

type Row = { item: ProgressReport['items'][number]; label: string; entry: ProgressEntry | null };
/** Each item's lines: the item as a whole, then its measures (ア, イ …). */
const linesOf = (t: Translate, item: ProgressReport['items'][number]): Row[] => [
  { item, label: t('progress.whole'), entry: item.progress },
  ...item.measures.map((m) => ({ item, label: `${m.label} ${m.measure.title}${m.repeated ? t('progress.repeated') : ''}`, entry: m.progress })),
];
const statusText = (t: Translate, e: ProgressEntry | null) => (e?.status ? t(`plan.status.${e.status}`) : '—');
const text = (t: Translate, v: string | undefined) => (v?.trim() ? v : t('progress.notRecorded'));

function Paragraphs({ value }: { value: string }) {
  return (
    <>
      {value.split(/\n+/).map((p) => (
        <p>{p}</p>
      ))}
    </>
  );
}

function ItemSection({ t, r, it }: { t: Translate; r: ProgressReport; it: ProgressReport['items'][number] }) {
  const lines = linesOf(t, it);
  const targets = it.measures.flatMap((m) => m.targets.map((x) => ({ m, x })));
  const notes = (key: 'changes' | 'further') => lines.filter((l) => l.entry?.[key]?.trim());
  return (
    <section class="progress-item">
      <h2>
        {it.item.number} {it.item.title}
      </h2>
      <table class="data-table">
        <caption>{t('progress.situation')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('plan.measure')}</th>
            <th scope="col">{t('plan.status')}</th>
            <th scope="col">{t('plan.rating')}</th>
            <th scope="col">{t('progress.situation')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr>
              <th scope="row">{l.label}</th>
              <td>{statusText(t, l.entry)}</td>
              <td>{l.entry?.rating ?? '—'}</td>
              <td class="progress-text">{text(t, l.entry?.results)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {targets.length ? (
        <TargetsTable t={t} caption={t('progress.targets')} rows={targets.map(({ m, x }) => ({ measure: m.label, row: x }))} />
      ) : (
        <p>{t('progress.noTargets')}</p>
      )}
      {(['changes', 'further'] as const).map((key) => (
        <>
          <h3>{t(key === 'changes' ? 'progress.issues' : 'progress.next')}</h3>
          {notes(key).length ? (
            <dl class="progress-notes">
              {notes(key).map((l) => (
                <>
                  <dt>{l.label}</dt>
                  <dd>
                    <Paragraphs value={l.entry![key]} />
                  </dd>
                </>
              ))}
            </dl>
          ) : (
            <p>{t('progress.notRecorded')}</p>
          )}
        </>
      ))}
    </section>
  );
}

function GapsSection({ t, lang, r }: { t: Translate; lang: Lang; r: ProgressReport }) {
  const g = r.gaps;
  return (
    <section class="progress-gaps">
      <h2>{t('progress.gaps')}</h2>
      <p>{t('progress.gapsLead')}</p>
      {!g ? (
        <p>{t('progress.notYet')}</p>
      ) : (
        <>
          {(['understanding', 'opportunity', 'talent'] as const).map((gap) => (
            <table class="data-table">
              <caption>{t(`progress.gap.${gap}`)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('progress.indicator')}</th>
                  <th scope="col">{formatFiscalYear(r.fiscalYear, lang)}</th>
                </tr>
              </thead>
              <tbody>
                {gapLines(t, g)
                  .filter((l) => l.gap === gap)
                  .map((l) => (
                    <tr>
                      <th scope="row">{l.label}</th>
                      <td class="num">{l.value}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          ))}
          <table class="data-table">
            <caption>{t('progress.byCompetency')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('progress.competency')}</th>
                <th scope="col">{t('progress.meanChange')}</th>
                <th scope="col">n</th>
                <th scope="col">{t('progress.ci95')}</th>
              </tr>
            </thead>
            <tbody>
              {COMPETENCIES.map((c) => {
                const x = g.understanding.byCompetency.find((y) => y.competency === c);
                return (
                  <tr>
                    <th scope="row">{t(`competency.${c}`)}</th>
                    <td class="num">{points(t, x?.meanChange ?? null)}</td>
                    <td class="num">{x?.n ?? 0}</td>
                    <td class="num">{x?.ci95 ? `${signed(x.ci95[0])} 〜 ${signed(x.ci95[1])}` : t('progress.ciTooFew')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {r.trend.length > 1 ? (
            <div class="chart__scroll">
              <table class="data-table">
                <caption>{t('progress.trend')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('progress.indicator')}</th>
                    {r.trend.map((y) => (
                      <th scope="col">{formatFiscalYear(y.fiscalYear, lang, lang === 'ja' ? 'wareki' : 'short')}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {trendRows(t).map((row) => (
                    <tr>
                      <th scope="row">{row.label}</th>
                      {r.trend.map((y) => (
                        <td class="num">{row.value(y)}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}

export function registerProgress(r: Router) {
  /** ?plan=&fy=&item=: the plan (default the first), the year (default the current one), the item (default all). */
  const query = async (c: Ctx) => {
    const ctx = c.get('ctx');
    const planId = await defaultPlanId(ctx, toId(c.req.query('plan')));
    const asked = toId(c.req.query('fy'));
    const fy = asked >= 1950 && asked <= 2100 ? asked : fiscalYearOf(ctx.now());
    const item = toId(c.req.query('item'));
    return { planId, fy, itemId: item || undefined };
  };

  r.get('/admin/reports/progress', ['admin'], async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const q = await query(c);
    const crumbs = [{ label: t('nav.home'), href: '/' }, { label: t('report.title'), href: '/admin/reports' }, { label: t('progress.title') }];
    if (q.planId === null) return page(c, t('progress.title'), <p>{t('progress.noPlan')}</p>, { crumbs });
    const [rep, plan, plans] = await Promise.all([progressReport(ctx, q.planId, q.fy, q.itemId), planWithItems(ctx, q.planId), listPlans(ctx)]);
    if (!rep || !plan) return c.notFound();
    const years = sheetYears(plan.plan.first_fiscal_year, plan.plan.last_fiscal_year, fiscalYearOf(ctx.now()));
    if (!years.includes(q.fy)) years.push(q.fy);
    years.sort((a, b) => a - b);
    const title = t('progress.titleOf', { fy: formatFiscalYear(q.fy, lang) });
    const only = q.itemId ? rep.items[0] : null;
    const qs = `plan=${q.planId}&fy=${q.fy}${q.itemId ? `&item=${q.itemId}` : ''}`;
    return page(
      c,
      title,
      <>
        <form method="get" action="/admin/reports/progress" class="filters" role="search">
          {plans.length > 1 ? (
            <SelectField t={t} plain name="plan" label={t('progress.plan')} value={q.planId} options={plans.map((p) => ({ value: p.id, label: p.title }))} />
          ) : (
            <input type="hidden" name="plan" value={String(q.planId)} />
          )}
          <SelectField t={t} plain name="fy" label={t('field.fiscalYear')} value={q.fy} options={years.map((y) => ({ value: y, label: formatFiscalYear(y, lang) }))} />
          <SelectField t={t} plain name="item" label={t('progress.item')} value={q.itemId ?? ''} options={[{ value: '', label: t('progress.allItems') }, ...plan.items.map((i) => ({ value: i.id, label: `${i.number} ${i.title}` }))]} />
          <button type="submit" class="button">
            {t('common.show')}
          </button>
        </form>
        <p class="no-print">{t('progress.lead')}</p>
        <ul class="actions downloads">
          <li>
            <a href={`/admin/reports/progress.xlsx?${qs}`} download>
              {t('progress.xlsx')}
            </a>
          </li>
          <li>
            <a href={`/admin/reports/map?fy=${q.fy}`}>{t('progress.mapPage')}</a>
          </li>
        </ul>
        <article class="progress-report">
          <p class="progress-meta">
            {rep.plan.title}
            <br />
            {only ? t('progress.scopeItem', { number: only.item.number, title: only.item.title }) : t('progress.scopeAll', { count: rep.items.length })}
            <br />
            {t('progress.preparedOn', { date: formatWareki(tokyoDateOf(ctx.now()), lang) })}
          </p>
          {rep.items.map((it) => (
            <ItemSection t={t} r={rep} it={it} />
          ))}
          <GapsSection t={t} lang={lang} r={rep} />
        </article>
      </>,
      { crumbs },
    );
  });

  r.get('/admin/reports/progress.xlsx', ['admin'], async (c) => {
    const t = c.get('t');
    const q = await query(c);
    if (q.planId === null) return c.notFound();
    const rep = await progressReport(c.get('ctx'), q.planId, q.fy, q.itemId);
    if (!rep) return c.notFound();
    const fyJa = formatFiscalYear(q.fy, 'ja');
    const lines = rep.items.flatMap((it) => linesOf(t, it));
    const body = await toXlsx([
      {
        name: t('progress.situation'),
        columns: [
          { header: t('plan.item'), key: 'item', width: 30 },
          { header: t('plan.measure'), key: 'measure', width: 30 },
          { header: t('plan.status'), key: 'status', width: 16 },
          { header: t('plan.rating'), key: 'rating', width: 8 },
          { header: t('progress.situation'), key: 'results', width: 60 },
          { header: t('progress.issues'), key: 'changes', width: 50 },
          { header: t('progress.next'), key: 'further', width: 50 },
        ],
        rows: lines.map((l) => ({
          item: `${l.item.item.number} ${l.item.item.title}`,
          measure: l.label,
          status: statusText(t, l.entry),
          rating: l.entry?.rating ?? '',
          results: l.entry?.results ?? '',
          changes: l.entry?.changes ?? '',
          further: l.entry?.further ?? '',
        })),
      },
      {
        name: t('progress.targets'),
        columns: [
          { header: t('plan.item'), key: 'item', width: 30 },
          { header: t('plan.measure'), key: 'measure', width: 8 },
          { header: t('field.kpi'), key: 'kpi', width: 40 },
          { header: t('plan.target'), key: 'target', width: 10 },
          { header: t('plan.actual'), key: 'actual', width: 10 },
          { header: `${t('plan.rate')}（%）`, key: 'rate', width: 10, numFmt: '0.0' },
          { header: t('plan.met'), key: 'met', width: 10 },
        ],
        rows: rep.items.flatMap((it) =>
          it.measures.flatMap((m) =>
            m.targets.map((x) => ({
              item: `${it.item.number} ${it.item.title}`,
              measure: m.label,
              kpi: t(`plan.kpi.${x.kpi}`),
              target: x.target,
              actual: x.actual,
              rate: x.rate,
              met: x.met === null ? t('plan.notYet') : t(x.met ? 'plan.met' : 'plan.notMet'),
            })),
          ),
        ),
      },
      {
        name: t('progress.gaps'),
        columns: [
          { header: t('progress.section'), key: 'gap', width: 36 },
          { header: t('progress.indicator'), key: 'label', width: 50 },
          { header: fyJa, key: 'value', width: 24 },
        ],
        rows: rep.gaps ? gapLines(t, rep.gaps).map((l) => ({ gap: t(`progress.gap.${l.gap}`), label: l.label, value: l.value })) : [{ gap: '', label: t('progress.notYet'), value: '' }],
      },
      {
        name: t('progress.trend'),
        columns: [{ header: t('progress.indicator'), key: 'label', width: 50 }, ...rep.trend.map((y) => ({ header: formatFiscalYear(y.fiscalYear, 'ja'), key: `y${y.fiscalYear}`, width: 14 }))],
        rows: trendRows(t).map((row) => ({ label: row.label, ...Object.fromEntries(rep.trend.map((y) => [`y${y.fiscalYear}`, row.value(y)])) })),
      },
    ]);
    const name = `progress-report-${q.fy}${q.itemId ? `-item${q.itemId}` : ''}.xlsx`;
    return c.body(new Uint8Array(body), 200, {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-store',
    });
  });
}
