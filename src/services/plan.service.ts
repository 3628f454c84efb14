import type { RawBuilder } from 'kysely';
import { z } from 'zod';
import { fiscalYearBounds, fiscalYearOf, fiscalYearRange, parseFiscalYear, tokyoDateOf } from '../domain/calendar.js';
import { meanInterval, pairChanges, shareOf, windowStart } from '../domain/gap.js';
import { COMPETENCIES } from '../domain/survey.js';
import { achievement, DEFAULT_RATING_LABELS, isPlanKpi, measureLabel, PLAN_KPIS, type PlanKpi, parseRatingLabels, RATING_LABELS_MAX, sheetYears, type TargetVerdict } from '../domain/plan.js';
import { roundHalfUp } from '../domain/rounding.js';
import { planRepository } from '../db/repositories/plan.repository.js';
import { type GapPart, reportStatements } from '../db/repositories/report.repository.js';
import { programmeRepository } from '../db/repositories/programme.repository.js';
import { type Plan, type PlanItem, type PlanMeasure } from '../db/schema.js';
import { optionalText, requiredText, validate } from '../lib/validation.js';
import { audit } from './audit.service.js';
import { type Actor, type AppContext, invalid, ServiceError } from './context.js';
import { type GapIndicators, gapIndicators } from './gap.service.js';
import { type MeasureFigures, programmeYearFigures, programmeYearFiguresWith } from './report.service.js';
import { PROGRESS_STATUSES } from '../domain/values.js';

const notFound = () => new ServiceError(404, 'not_found', 'error.notFound');

export function listPlans(ctx: AppContext) {
  return planRepository.plans(ctx.db);
}

export async function planWithItems(ctx: AppContext, planId: number) {
  const plan = await planRepository.findPlan(ctx.db, planId);
  if (!plan) return null;
  return { plan, items: await planRepository.items(ctx.db, planId) };
}

export interface SheetMeasure {
  measure: PlanMeasure;
  label: string;
  /** Listed here again from another item (【再掲】). */
  repeated: boolean;
  cells: Map<number, { text: string; arrow: boolean }>;
  figures: Map<number, MeasureFigures>;
  /** Numeric targets by fiscal year, each with the actual value, 達成率 and the verdict (達成, 未達成, 年度途中). */
  targets: Map<number, TargetRow[]>;
}

export interface TargetRow {
  id: number;
  kpi: PlanKpi;
  target: number;
  /** The KPI's value computed from records; null for a year not begun yet or a KPI that does not apply. */
  actual: number | null;
  /** 達成率 (%), one decimal, rounded half up. */
  rate: number | null;
  /** 達成 / 未達成 once the year has ended, 年度途中 during it (domain/plan.ts targetVerdict); null for a year not begun or without an actual. */
  verdict: TargetVerdict | null;
  /** The verdict as the API has always answered it: true met, false not met, null not judged yet (in progress or not begun). */
  met: boolean | null;
}

/** A KPI's value for a measure in a year, from the measure's figures or the year's gap indicators (shares as %, one decimal). */
export function kpiValue(kpi: PlanKpi, figures: MeasureFigures | undefined, gaps: GapIndicators | undefined): number | null {
  const pct = (share: number) => roundHalfUp(share * 100, 1);
  if (PLAN_KPIS[kpi].scope === 'measure') {
    if (!figures) return null;
    switch (kpi) {
      case 'fieldTrainings':
        return figures.fieldTrainingsHeld;
      case 'sessions':
        return figures.sessionsHeld;
      case 'participants':
        return figures.participants;
      case 'completions':
        return figures.completions;
      case 'coordinatorsCertified':
        return figures.coordinatorsCertified;
    }
  }
  if (!gaps) return null;
  switch (kpi) {
    case 'coordinatorsActive':
      return gaps.talent.activeCoordinators;
    case 'consultationsServed':
      return gaps.talent.consultationsServed;
    case 'hostPartners':
      return gaps.opportunity.hostPartners;
    case 'unitsReachedShare':
      return pct(gaps.opportunity.unitsReachedShare);
    case 'municipalitiesReachedShare':
      return pct(gaps.opportunity.municipalitiesReachedShare);
    case 'municipalitiesServedShare':
      return pct(gaps.talent.municipalitiesServedShare);
    case 'competencyChange':
      return gaps.understanding.meanChange;
    default:
      return null;
  }
}

/** Targets with their actuals: the year's gap indicators are computed once per year, only where a target needs them. */
async function targetRows(
  ctx: AppContext,
  rows: { id: number; measure_id: number; fiscal_year: number; kpi: string; target: number }[],
  figuresOf: (measureId: number, fy: number) => Promise<MeasureFigures | undefined>,
  now: Date,
  yearValue?: (kpi: YearKpi, fy: number) => number | null,
) {
  const current = fiscalYearOf(now);
  const gaps = new Map<number, Promise<GapIndicators>>();
  const out = new Map<number, Map<number, TargetRow[]>>();
  for (const r of rows) {
    if (!isPlanKpi(r.kpi)) continue;
    const kpi = r.kpi;
    let actual: number | null = null;
    if (r.fiscal_year <= current) {
      if (PLAN_KPIS[kpi].scope === 'measure') actual = kpiValue(kpi, await figuresOf(r.measure_id, r.fiscal_year), undefined);
      else if (yearValue) actual = yearValue(kpi as YearKpi, r.fiscal_year);
      else {
        if (!gaps.has(r.fiscal_year)) gaps.set(r.fiscal_year, gapIndicators(ctx, r.fiscal_year));
        actual = kpiValue(kpi, undefined, await gaps.get(r.fiscal_year));
      }
    }
    const target = Number(r.target);
    const byYear = out.get(r.measure_id) ?? new Map<number, TargetRow[]>();
    out.set(r.measure_id, byYear);
    const { rate, verdict } = achievement({ kpi, fiscalYear: r.fiscal_year, target, actual }, now);
    const met = verdict === 'met' ? true : verdict === 'not_met' ? false : null;
    byYear.set(r.fiscal_year, [...(byYear.get(r.fiscal_year) ?? []), { id: r.id, kpi, target, actual, rate, verdict, met }]);
  }
  return out;
}

type YearKpi = Exclude<PlanKpi, 'fieldTrainings' | 'sessions' | 'participants' | 'completions' | 'coordinatorsCertified'>;

/** The parts of a year's gap indicators (statements of gap.repository) each year-wide KPI reads. */
const GAP_PARTS: Record<YearKpi, GapPart[]> = {
  coordinatorsActive: ['coordinators'],
  consultationsServed: ['served'],
  hostPartners: ['hosts'],
  unitsReachedShare: ['reach'],
  municipalitiesReachedShare: ['reach'],
  municipalitiesServedShare: ['municipalities', 'coordinators'],
  competencyChange: ['pairs'],
};

/**
 * The statements behind the year-wide KPIs of `targets` (years up to the current one), to be read in one
 * round trip beside the sheet's stored figures, and the KPI values from their rows: the same statements
 * and the same arithmetic as `gapIndicators` (services/gap.service.ts), but only the parts a target reads.
 */
function yearKpiReads(ctx: AppContext, targets: readonly { fiscal_year: number; kpi: string }[], current: number) {
  const now = ctx.now();
  const name = (fy: number, part: GapPart) => `gap_${fy}_${part}`;
  const statements: Record<string, RawBuilder<unknown>> = {};
  for (const t of targets) {
    if (t.fiscal_year > current || !isPlanKpi(t.kpi) || PLAN_KPIS[t.kpi].scope !== 'year') continue;
    const fy = t.fiscal_year;
    const { startUtc, endUtcExclusive } = fiscalYearBounds(fy);
    const asOf = now.getTime() < endUtcExclusive.getTime() ? tokyoDateOf(now) : fiscalYearRange(fy).end;
    const y = { fy, from: startUtc, to: endUtcExclusive, windowFrom: fiscalYearBounds(windowStart(fy)).startUtc, asOf, now, items: COMPETENCIES };
    for (const part of GAP_PARTS[t.kpi as YearKpi]) statements[name(fy, part)] ??= reportStatements.gapPart(part, y);
  }
  const value = (rows: Record<string, unknown[]>) => (kpi: YearKpi, fy: number): number | null => {
    const part = <T>(p: GapPart) => (rows[name(fy, p)] ?? []) as T[];
    const pct = (share: number) => roundHalfUp(share * 100, 1);
    switch (kpi) {
      case 'coordinatorsActive':
        return part('coordinators').length;
      case 'consultationsServed':
        return Number(part<{ n: number }>('served')[0]?.n ?? 0);
      case 'hostPartners':
        return Number(part<{ hosts: number }>('hosts')[0]?.hosts ?? 0);
      case 'unitsReachedShare':
      case 'municipalitiesReachedShare': {
        const r = part<{ units: number; units_reached: number; municipalities: number; municipalities_reached: number }>('reach')[0];
        return kpi === 'unitsReachedShare' ? pct(shareOf(Number(r?.units_reached ?? 0), Number(r?.units ?? 0))) : pct(shareOf(Number(r?.municipalities_reached ?? 0), Number(r?.municipalities ?? 0)));
      }
      case 'municipalitiesServedShare': {
        const withCoordinator = new Set(part<{ unit_id: number | null; unit_kind: string | null }>('coordinators').filter((c) => c.unit_kind === 'municipality' && c.unit_id !== null).map((c) => c.unit_id));
        const municipalities = part<{ id: number; served: boolean }>('municipalities');
        return pct(shareOf(municipalities.filter((m) => Boolean(m.served) || withCoordinator.has(m.id)).length, municipalities.length));
      }
      case 'competencyChange': {
        const scores = part<{ person_id: number; offering_id: number; item: string; pre: number; post: number }>('pairs');
        return meanInterval([...pairChanges(scores.map((r) => ({ key: `${r.offering_id}:${r.person_id}`, item: r.item, pre: Number(r.pre), post: Number(r.post) }))).values()]).meanChange;
      }
    }
  };
  return { statements, value };
}

export interface ProgressEntry {
  status: (typeof PROGRESS_STATUSES)[number] | null;
  /** The office's own rating, one of the plan's rating labels. */
  rating: string | null;
  results: string;
  changes: string;
  further: string;
}

/**
 * Everything the plan-item sheet shows: the item's sections, its measures with their schedule grid,
 * and, for each year up to the current one, the recorded progress and the figures computed from the
 * programmes each measure is carried out by.
 */
export async function planItemSheet(ctx: AppContext, itemId: number, opts: { choices?: boolean } = {}) {
  // The plan's rows in one statement, then every figure in one more when the figures are stored.
  const rows = await planRepository.sheet(ctx.db, itemId, opts.choices ?? false);
  if (!rows) return null;
  const { item, plan, measures, cells, progress: progressRows, targets: targetList } = rows;
  const now = ctx.now();
  const current = fiscalYearOf(now);
  const years = sheetYears(plan.first_fiscal_year, plan.last_fiscal_year, current);
  const pastYears = years.filter((y) => y <= current);
  const sheetMeasures: SheetMeasure[] = [];
  const figuresOf = new Map<number, Map<number, MeasureFigures>>();
  // Every measure and year in one batch, with the year-wide targets' figures: stored figures are read with one statement (decision 0022).
  const requests = measures.flatMap((m) => pastYears.map((fy) => ({ measure: m, programmeIds: m.programme_ids, fy })));
  const yearKpis = yearKpiReads(ctx, targetList, current);
  const { figures: computed, also } = await programmeYearFiguresWith(ctx, requests, yearKpis.statements);
  for (const m of measures) figuresOf.set(m.id, new Map());
  requests.forEach((r, i) => figuresOf.get(r.measure.id)!.set(r.fy, computed[i]!));
  const targets = await targetRows(
    ctx,
    targetList,
    async (measureId, fy) => figuresOf.get(measureId)?.get(fy) ?? programmeYearFigures(ctx, measures.find((m) => m.id === measureId)!.programme_ids, fy),
    now,
    yearKpis.value(also),
  );
  for (const [i, m] of measures.entries()) {
    const figures = figuresOf.get(m.id)!;
    sheetMeasures.push({
      measure: m,
      label: measureLabel(i),
      repeated: m.home_item_id !== item.id,
      cells: new Map(cells.filter((c) => c.measure_id === m.id).map((c) => [c.fiscal_year, { text: c.text, arrow: c.arrow }])),
      figures,
      targets: targets.get(m.id) ?? new Map(),
    });
  }
  const progress = new Map<string, ProgressEntry>(progressRows.map((p) => [`${p.measure_id}:${p.fiscal_year}`, { status: p.status, rating: p.rating, results: p.results, changes: p.changes, further: p.further }]));
  return {
    plan,
    item,
    years,
    pastYears,
    current,
    measures: sheetMeasures,
    ratingLabels: plan.rating_labels,
    progressOf: (measureId: number, fy: number): ProgressEntry | undefined => progress.get(`${measureId}:${fy}`),
    /** With `choices`: the plan with its items and every programme (id and name), for the sheet's forms. */
    choices: rows.choices ? { siblings: { plan, items: rows.choices.items }, programmes: rows.choices.programmes } : null,
  };
}

/** The longest plan period accepted (a 行革 implementation plan runs three to five years). */
const PLAN_MAX_YEARS = 10;
const fiscalYearField = () =>
  z.preprocess((v) => (typeof v === 'string' ? (parseFiscalYear(v) ?? v) : v), z.number({ message: 'error.fiscalYear' }).int({ message: 'error.fiscalYear' }).min(1989, { message: 'error.fiscalYear' }).max(2100, { message: 'error.fiscalYear' }));
export const planSchema = z.object({ title: requiredText(200), firstFiscalYear: fiscalYearField(), lastFiscalYear: fiscalYearField(), ratingLabels: optionalText(300) });

/** Creates a plan (実施計画) for a period of fiscal years, entered as 2011 or 平成23年度. */
function validatePlan(input: Record<string, unknown>) {
  const v = validate(planSchema, input);
  if (!v.ok) throw invalid(v.errors);
  const { firstFiscalYear, lastFiscalYear } = v.data;
  if (lastFiscalYear < firstFiscalYear) throw invalid({ lastFiscalYear: { key: 'error.planPeriodOrder' } });
  if (lastFiscalYear - firstFiscalYear + 1 > PLAN_MAX_YEARS) throw invalid({ lastFiscalYear: { key: 'error.planPeriodLength', params: { max: PLAN_MAX_YEARS } } });
  // The plan's rating scale (評価の区分), typed as 「A、B、C」; left blank, it is A/B/C (or stays as it was).
  const ratingLabels = v.data.ratingLabels === undefined ? undefined : parseRatingLabels(v.data.ratingLabels);
  if (ratingLabels === null) throw invalid({ ratingLabels: { key: 'error.ratingLabels', params: { max: RATING_LABELS_MAX } } });
  return { ...v.data, ratingLabels };
}

export async function createPlan(ctx: AppContext, actor: Actor, input: Record<string, unknown>): Promise<Plan> {
  const { title, firstFiscalYear, lastFiscalYear, ratingLabels } = validatePlan(input);
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    const row = await planRepository.insertPlan(trx, { title, first_fiscal_year: firstFiscalYear, last_fiscal_year: lastFiscalYear, rating_labels: JSON.stringify(ratingLabels ?? DEFAULT_RATING_LABELS), created_at: now, updated_at: now });
    await audit(trx, ctx, actor, 'create', 'plan', row.id, undefined, row);
    return row;
  });
}

export const itemSchema = z.object({
  number: requiredText(20),
  title: requiredText(200),
  owningUnits: optionalText(500),
  situation: optionalText(20_000),
  approach: optionalText(20_000),
  direction: optionalText(20_000),
});

const itemColumns = (d: z.output<typeof itemSchema>) => ({
  number: d.number,
  title: d.title,
  owning_units: d.owningUnits ?? '',
  situation: d.situation ?? '',
  approach: d.approach ?? '',
  direction: d.direction ?? '',
});

export async function createItem(ctx: AppContext, actor: Actor, planId: number, input: Record<string, unknown>): Promise<PlanItem> {
  const v = validate(itemSchema, input);
  if (!v.ok) throw invalid(v.errors);
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await planRepository.findPlan(trx, planId))) throw notFound();
    const items = await planRepository.items(trx, planId);
    if (items.some((i) => i.number === v.data.number)) throw invalid({ number: { key: 'error.codeTaken' } });
    const now = ctx.now();
    const row = await planRepository.insertItem(trx, { plan_id: planId, ...itemColumns(v.data), created_at: now, updated_at: now });
    await audit(trx, ctx, actor, 'create', 'plan_item', row.id, undefined, row);
    return row;
  });
}

export async function updateItem(ctx: AppContext, actor: Actor, id: number, input: Record<string, unknown>): Promise<PlanItem> {
  const v = validate(itemSchema, input);
  if (!v.ok) throw invalid(v.errors);
  return ctx.db.transaction().execute(async (trx) => {
    const before = await planRepository.findItem(trx, id);
    if (!before) throw notFound();
    const items = await planRepository.items(trx, before.plan_id);
    if (items.some((i) => i.number === v.data.number && i.id !== id)) throw invalid({ number: { key: 'error.codeTaken' } });
    const after = await planRepository.updateItem(trx, id, { ...itemColumns(v.data), updated_at: ctx.now() });
    await audit(trx, ctx, actor, 'update', 'plan_item', id, before, after);
    return after;
  });
}

const ids = (v: unknown) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]);
export const measureSchema = z.object({
  title: requiredText(200),
  description: optionalText(10_000),
  programmeIds: z.preprocess(ids, z.array(z.coerce.number().int().positive().max(2147483647)).max(20)),
  /** Items to list the measure under as well (【再掲】). */
  alsoItemIds: z.preprocess(ids, z.array(z.coerce.number().int().positive().max(2147483647)).max(20)),
});

/** Adds a measure to an item (its home), linked to the programmes that carry it out; optionally repeated under other items. */
export async function createMeasure(ctx: AppContext, actor: Actor, itemId: number, input: Record<string, unknown>): Promise<PlanMeasure> {
  const v = validate(measureSchema, input);
  if (!v.ok) throw invalid(v.errors);
  return ctx.db.transaction().execute(async (trx) => {
    const item = await planRepository.findItem(trx, itemId);
    if (!item) throw notFound();
    const known = new Set((await programmeRepository.names(trx)).map((p) => p.id));
    if (v.data.programmeIds.some((id) => !known.has(id))) throw invalid({ programmeIds: { key: 'error.choice' } });
    const siblings = new Set((await planRepository.items(trx, item.plan_id)).map((i) => i.id));
    if (v.data.alsoItemIds.some((id) => !siblings.has(id))) throw invalid({ alsoItemIds: { key: 'error.choice' } });
    const now = ctx.now();
    const m = await planRepository.insertMeasure(trx, {
      plan_id: item.plan_id,
      home_item_id: item.id,
      title: v.data.title,
      description: v.data.description ?? '',
      programme_ids: JSON.stringify(v.data.programmeIds),
      created_at: now,
      updated_at: now,
    });
    await planRepository.attach(trx, item.id, m.id);
    for (const other of v.data.alsoItemIds) await planRepository.attach(trx, other, m.id);
    await audit(trx, ctx, actor, 'create', 'plan_measure', m.id, undefined, m);
    return m;
  });
}

/**
 * Edits a measure as listed under an item: its title, description and programmes, and the other items
 * it is listed under as well (【再掲】; its home item always keeps it).
 */
export async function updateMeasure(ctx: AppContext, actor: Actor, itemId: number, measureId: number, input: Record<string, unknown>): Promise<PlanMeasure> {
  const v = validate(measureSchema, input);
  if (!v.ok) throw invalid(v.errors);
  return ctx.db.transaction().execute(async (trx) => {
    const before = await planRepository.findMeasure(trx, measureId);
    const listed = before ? await planRepository.itemIdsOf(trx, measureId) : [];
    if (!before || !listed.includes(itemId)) throw notFound();
    const known = new Set((await programmeRepository.names(trx)).map((p) => p.id));
    if (v.data.programmeIds.some((id) => !known.has(id))) throw invalid({ programmeIds: { key: 'error.choice' } });
    const siblings = new Set((await planRepository.items(trx, before.plan_id)).map((i) => i.id));
    const also = new Set(v.data.alsoItemIds.filter((id) => id !== before.home_item_id));
    if ([...also].some((id) => !siblings.has(id))) throw invalid({ alsoItemIds: { key: 'error.choice' } });
    const after = await planRepository.updateMeasure(trx, measureId, {
      title: v.data.title,
      description: v.data.description ?? '',
      programme_ids: JSON.stringify(v.data.programmeIds),
      updated_at: ctx.now(),
    });
    for (const id of listed) if (id !== before.home_item_id && !also.has(id)) await planRepository.detach(trx, id, measureId);
    for (const id of also) if (!listed.includes(id)) await planRepository.attach(trx, id, measureId);
    await audit(trx, ctx, actor, 'update', 'plan_measure', measureId, { ...before, itemIds: listed }, { ...after, itemIds: [before.home_item_id, ...also] });
    return after;
  });
}

/** The items a measure is listed under as 【再掲】 (other than its home item). */
export async function repeatedUnder(ctx: AppContext, measureId: number): Promise<number[]> {
  const m = await planRepository.findMeasure(ctx.db, measureId);
  if (!m) return [];
  return (await planRepository.itemIdsOf(ctx.db, measureId)).filter((id) => id !== m.home_item_id);
}

/** Moves a measure one place up or down among an item's measures (ア, イ, … follow the order). */
export async function moveMeasure(ctx: AppContext, actor: Actor, itemId: number, measureId: number, direction: unknown) {
  if (direction !== 'up' && direction !== 'down') throw invalid({ direction: { key: 'error.choice' } });
  return ctx.db.transaction().execute(async (trx) => {
    const measures = await planRepository.measuresOf(trx, itemId);
    const i = measures.findIndex((m) => m.id === measureId);
    if (i < 0) throw notFound();
    const j = direction === 'up' ? i - 1 : i + 1;
    if (j < 0 || j >= measures.length) return;
    const order = measures.map((m) => m.id);
    [order[i], order[j]] = [order[j], order[i]];
    for (const [k, id] of order.entries()) await planRepository.setPosition(trx, itemId, id, k + 1);
    await audit(trx, ctx, actor, 'update', 'plan_item_measures', itemId, { order: measures.map((m) => m.id) }, { order });
  });
}

/**
 * Takes a measure off an item. Under an item where it is 【再掲】 it is only unlisted there; under its
 * home item the measure itself is deleted with its grid and progress, which is refused while other
 * items still list it. Confirmation is required either way.
 */
export async function removeMeasure(ctx: AppContext, actor: Actor, itemId: number, measureId: number, input: Record<string, unknown>) {
  if (input.confirm !== 'yes') throw invalid({ confirm: { key: 'error.confirmRequired' } });
  return ctx.db.transaction().execute(async (trx) => {
    const m = await planRepository.findMeasure(trx, measureId);
    const listed = m ? await planRepository.itemIdsOf(trx, measureId) : [];
    if (!m || !listed.includes(itemId)) throw notFound();
    if (m.home_item_id !== itemId) {
      await planRepository.detach(trx, itemId, measureId);
      await audit(trx, ctx, actor, 'unlist', 'plan_measure', measureId, { itemIds: listed }, { itemIds: listed.filter((id) => id !== itemId) });
      return;
    }
    if (listed.some((id) => id !== itemId)) throw invalid({ confirm: { key: 'error.measureRepeatedElsewhere' } });
    const cells = await planRepository.cells(trx, [measureId]);
    const progress = await planRepository.progressOfMeasure(trx, measureId);
    await planRepository.deleteMeasure(trx, measureId);
    await audit(trx, ctx, actor, 'delete', 'plan_measure', measureId, { ...m, cells, progress }, undefined);
  });
}

/** Deletes an item with its progress, once it has no measures of its own (take them off first). */
export async function deleteItem(ctx: AppContext, actor: Actor, itemId: number, input: Record<string, unknown>) {
  if (input.confirm !== 'yes') throw invalid({ confirm: { key: 'error.confirmRequired' } });
  return ctx.db.transaction().execute(async (trx) => {
    const item = await planRepository.findItem(trx, itemId);
    if (!item) throw notFound();
    const own = await planRepository.measuresAtHome(trx, itemId);
    if (own.length) throw invalid({ confirm: { key: 'error.itemHasMeasures', params: { count: own.length } } });
    const progress = await planRepository.progress(trx, itemId);
    await planRepository.deleteItem(trx, itemId);
    await audit(trx, ctx, actor, 'delete', 'plan_item', itemId, { ...item, progress }, undefined);
    return item;
  });
}

/** Changes a plan's title or period (cells and progress outside a shortened period are kept, not shown). */
export async function updatePlan(ctx: AppContext, actor: Actor, planId: number, input: Record<string, unknown>): Promise<Plan> {
  const v = validatePlan(input);
  return ctx.db.transaction().execute(async (trx) => {
    const before = await planRepository.findPlan(trx, planId);
    if (!before) throw notFound();
    const after = await planRepository.updatePlan(trx, planId, {
      title: v.title,
      first_fiscal_year: v.firstFiscalYear,
      last_fiscal_year: v.lastFiscalYear,
      ...(v.ratingLabels ? { rating_labels: JSON.stringify(v.ratingLabels) } : {}),
      updated_at: ctx.now(),
    });
    await audit(trx, ctx, actor, 'update', 'plan', planId, before, after);
    return after;
  });
}

const CELL_MAX = 100;

/**
 * Saves a measure's row of the schedule grid from a form: `cell-<fy>` (text such as 継続実施) and
 * `arrow-<fy>` (the continuation arrow →) for each year of the sheet.
 */
export async function saveSchedule(ctx: AppContext, actor: Actor, measureId: number, input: Record<string, unknown>) {
  return ctx.db.transaction().execute(async (trx) => {
    const m = await planRepository.findMeasure(trx, measureId);
    if (!m) throw notFound();
    const plan = (await planRepository.findPlan(trx, m.plan_id))!;
    const years = sheetYears(plan.first_fiscal_year, plan.last_fiscal_year, fiscalYearOf(ctx.now()));
    const errors: Record<string, { key: 'error.tooLong'; params: { max: number } }> = {};
    const cells = years.map((fy) => {
      const raw = input[`cell-${fy}`];
      const text = typeof raw === 'string' ? raw.trim() : '';
      if (text.length > CELL_MAX) errors[`cell-${fy}`] = { key: 'error.tooLong', params: { max: CELL_MAX } };
      const a = input[`arrow-${fy}`];
      return { fy, text, arrow: a === 'on' || a === true || a === 'true' };
    });
    if (Object.keys(errors).length) throw invalid(errors);
    const before = await planRepository.cells(trx, [measureId]);
    for (const c of cells) await planRepository.setCell(trx, measureId, c.fy, c.text, c.arrow);
    await audit(trx, ctx, actor, 'update', 'plan_schedule', measureId, before, cells);
  });
}

const progressFields = (prefix: string, ratingLabels: string[]) =>
  z.object({
    [`${prefix}status`]: z.preprocess((v) => (v === '' ? undefined : v), z.enum(PROGRESS_STATUSES).optional()),
    [`${prefix}rating`]: z.preprocess((v) => (v === '' ? undefined : v), z.enum(ratingLabels as [string, ...string[]], { message: 'error.choice' }).optional()),
    [`${prefix}results`]: optionalText(10_000),
    [`${prefix}changes`]: optionalText(10_000),
    [`${prefix}further`]: optionalText(10_000),
  });

/**
 * Saves a year's progress for an item and each of its measures, from one form: `status`, `results`,
 * `changes`, `further` for the item, and the same prefixed `m<id>-` for each measure.
 */
export async function saveProgress(ctx: AppContext, actor: Actor, itemId: number, fy: number, input: Record<string, unknown>) {
  return ctx.db.transaction().execute(async (trx) => {
    const item = await planRepository.findItem(trx, itemId);
    if (!item) throw notFound();
    const plan = (await planRepository.findPlan(trx, item.plan_id))!;
    if (!sheetYears(plan.first_fiscal_year, plan.last_fiscal_year, fiscalYearOf(ctx.now())).includes(fy)) throw notFound();
    const measures = await planRepository.measuresOf(trx, itemId);
    const parts = [{ measureId: 0, prefix: '' }, ...measures.map((m) => ({ measureId: m.id, prefix: `m${m.id}-` }))];
    const schema = parts.reduce((s, p) => s.extend(progressFields(p.prefix, plan.rating_labels).shape), z.object({}));
    const v = validate(schema, input);
    if (!v.ok) throw invalid(v.errors);
    const d = v.data as Record<string, string | undefined>;
    for (const p of parts) {
      const before = await planRepository.findProgress(trx, itemId, p.measureId, fy);
      const row = {
        item_id: itemId,
        measure_id: p.measureId,
        fiscal_year: fy,
        status: (d[`${p.prefix}status`] ?? null) as (typeof PROGRESS_STATUSES)[number] | null,
        rating: d[`${p.prefix}rating`] ?? null,
        results: d[`${p.prefix}results`] ?? '',
        changes: d[`${p.prefix}changes`] ?? '',
        further: d[`${p.prefix}further`] ?? '',
        updated_by: actor?.id ?? null,
        updated_at: ctx.now(),
      };
      const same = before && before.status === row.status && before.rating === row.rating && before.results === row.results && before.changes === row.changes && before.further === row.further;
      if (same || (!before && !row.status && !row.rating && !row.results && !row.changes && !row.further)) continue;
      await planRepository.saveProgress(trx, row);
      await audit(trx, ctx, actor, before ? 'update' : 'create', 'plan_progress', `${itemId}:${p.measureId}:${fy}`, before, row);
    }
  });
}

// --- Numeric targets (数値目標) -------------------------------------------------------------------

const TARGET_MAX = 1_000_000;
/** A target as typed: 3, 60, 0.5, full-width digits too; more than zero, at most two decimals. */
const targetField = () =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (v.normalize('NFKC').trim() === '' ? undefined : Number(v.normalize('NFKC').trim())) : v),
    z
      .number({ error: (iss) => (iss.input === undefined || iss.input === null ? 'error.required' : 'error.targetNumber') })
      .refine((n) => Number.isFinite(n) && n > 0 && n <= TARGET_MAX, { message: 'error.targetNumber' })
      .refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-9, { message: 'error.targetNumber' }),
  );
export const targetSchema = z.object({
  fiscalYear: z.preprocess((v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : (parseFiscalYear(v) ?? v)) : v), z.number({ error: (iss) => (iss.input === undefined ? 'error.requiredChoice' : 'error.choice') }).int({ message: 'error.choice' })),
  kpi: z.preprocess((v) => (v === '' ? undefined : v), z.string({ error: 'error.requiredChoice' }).refine(isPlanKpi, { message: 'error.choice' })),
  target: targetField(),
});

/** The measure as listed under the item, with the item's plan (or 404). */
async function measureUnder(db: AppContext['db'], itemId: number, measureId: number) {
  const m = await planRepository.findMeasure(db, measureId);
  if (!m || !(await planRepository.itemIdsOf(db, measureId)).includes(itemId)) throw notFound();
  return { measure: m, plan: (await planRepository.findPlan(db, m.plan_id))! };
}

/**
 * Sets a measure's numeric target for a fiscal year and KPI (「現地研修 3回以上」: fieldTrainings, 3), replacing
 * the one it had. Years of the plan period and after it up to the current one; a share is at most 100 %.
 */
export async function saveTarget(ctx: AppContext, actor: Actor, itemId: number, measureId: number, input: Record<string, unknown>) {
  const v = validate(targetSchema, input);
  if (!v.ok) throw invalid(v.errors);
  const kpi = v.data.kpi as PlanKpi;
  if (PLAN_KPIS[kpi].unit === 'percent' && v.data.target > 100) throw invalid({ target: { key: 'error.targetPercent' } });
  return ctx.db.transaction().execute(async (trx) => {
    const { plan } = await measureUnder(trx, itemId, measureId);
    if (!sheetYears(plan.first_fiscal_year, plan.last_fiscal_year, fiscalYearOf(ctx.now())).includes(v.data.fiscalYear)) throw invalid({ fiscalYear: { key: 'error.choice' } });
    const before = await planRepository.findTarget(trx, measureId, v.data.fiscalYear, kpi);
    const row = await planRepository.saveTarget(trx, { measure_id: measureId, fiscal_year: v.data.fiscalYear, kpi, target: v.data.target, updated_by: actor?.id ?? null, updated_at: ctx.now() });
    await audit(trx, ctx, actor, before ? 'update' : 'create', 'plan_target', row.id, before, row);
    return row;
  });
}

/** Removes a target (after confirmation). */
export async function deleteTarget(ctx: AppContext, actor: Actor, itemId: number, measureId: number, targetId: number, input: Record<string, unknown>) {
  if (input.confirm !== 'yes') throw invalid({ confirm: { key: 'error.confirmRequired' } });
  return ctx.db.transaction().execute(async (trx) => {
    await measureUnder(trx, itemId, measureId);
    const before = await planRepository.findTargetById(trx, targetId);
    if (!before || before.measure_id !== measureId) throw notFound();
    await planRepository.deleteTarget(trx, targetId);
    await audit(trx, ctx, actor, 'delete', 'plan_target', targetId, before, undefined);
  });
}

export interface YearReportMeasure {
  measure: PlanMeasure;
  label: string;
  repeated: boolean;
  progress: ProgressEntry | null;
  figures: MeasureFigures | null;
  targets: TargetRow[];
}
export interface YearReportItem {
  item: PlanItem;
  progress: ProgressEntry | null;
  measures: YearReportMeasure[];
}

/**
 * One fiscal year of a plan, item by item, as the progress review (進行管理) reads it: each item's and
 * measure's recorded progress (取組状況, rating, 課題, 今後の方向性), figures, and targets with actual and
 * 達成率. `itemId` limits it to one item. Figures of a year not begun yet are null.
 */
export async function planYearReport(ctx: AppContext, planId: number, fy: number, itemId?: number) {
  const plan = await planRepository.findPlan(ctx.db, planId);
  if (!plan) return null;
  const now = ctx.now();
  const current = fiscalYearOf(now);
  const items = (await planRepository.items(ctx.db, planId)).filter((i) => itemId === undefined || i.id === itemId);
  const out: YearReportItem[] = [];
  const figures = new Map<number, MeasureFigures | null>();
  const figuresOf = async (m: { id: number; programme_ids: number[] }) => {
    if (!figures.has(m.id)) figures.set(m.id, fy <= current ? await programmeYearFigures(ctx, m.programme_ids, fy) : null);
    return figures.get(m.id) ?? undefined;
  };
  for (const item of items) {
    const measures = await planRepository.measuresOf(ctx.db, item.id);
    const progressRows = (await planRepository.progress(ctx.db, item.id)).filter((p) => p.fiscal_year === fy);
    const entry = (measureId: number): ProgressEntry | null => {
      const p = progressRows.find((r) => r.measure_id === measureId);
      return p ? { status: p.status, rating: p.rating, results: p.results, changes: p.changes, further: p.further } : null;
    };
    const targets = await targetRows(
      ctx,
      (
        await planRepository.targets(
          ctx.db,
          measures.map((m) => m.id),
        )
      ).filter((t) => t.fiscal_year === fy),
      (measureId) => figuresOf(measures.find((m) => m.id === measureId)!),
      now,
    );
    const rows: YearReportMeasure[] = [];
    for (const [i, m] of measures.entries())
      rows.push({ measure: m, label: measureLabel(i), repeated: m.home_item_id !== item.id, progress: entry(m.id), figures: (await figuresOf(m)) ?? null, targets: targets.get(m.id)?.get(fy) ?? [] });
    out.push({ item, progress: entry(0), measures: rows });
  }
  return { plan, fiscalYear: fy, ratingLabels: plan.rating_labels, items: out };
}

/** The sheet's measure labels, for other views: ア, イ … */
export { measureLabel };
