import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { Database, Plan, PlanItem, PlanItemTable, PlanMeasure, PlanMeasureTable, PlanProgressTable, PlanScheduleCellTable, PlanTable, PlanTargetTable } from '../schema.js';

/** Rows read as JSON (`to_jsonb`): timestamps come back as text. */
const at = (v: unknown) => new Date(v as string);
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/** The plan: items, measures (shared between items), the schedule grid and yearly progress. */
export const planRepository = {
  /**
   * Everything the plan-item sheet shows of the plan, in one statement (PGlite takes statements one at a
   * time): the item and its plan, its measures in order (as `measuresOf`), their grid cells and targets
   * (as `cells` and `targets`), the item's progress; with `choices`, the plan's items (as `items`) and
   * every programme's id and name (in the order of the programme list) for the sheet's forms.
   */
  async sheet(db: Kysely<Database>, itemId: number, choices: boolean) {
    const measureIds = sql`(SELECT im.measure_id FROM plan_item_measures im WHERE im.item_id = i.id)`;
    const r = (
      await sql<Record<'item' | 'plan' | 'measures' | 'progress' | 'cells' | 'targets' | 'siblings' | 'programmes', unknown>>`
      SELECT to_jsonb(i) AS item, to_jsonb(p) AS plan,
        (SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY x.position), '[]'::jsonb) FROM (
           SELECT m.*, im.position, home.number AS home_number FROM plan_item_measures im
           JOIN plan_measures m ON m.id = im.measure_id LEFT JOIN plan_items home ON home.id = m.home_item_id
           WHERE im.item_id = i.id) x) AS measures,
        (SELECT coalesce(jsonb_agg(to_jsonb(x)), '[]'::jsonb) FROM plan_progress x WHERE x.item_id = i.id) AS progress,
        (SELECT coalesce(jsonb_agg(to_jsonb(x)), '[]'::jsonb) FROM plan_schedule_cells x WHERE x.measure_id IN ${measureIds}) AS cells,
        (SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY x.fiscal_year, x.measure_id, x.id), '[]'::jsonb) FROM plan_targets x WHERE x.measure_id IN ${measureIds}) AS targets,
        ${
          choices
            ? sql`(SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY (substring(x.number from '[0-9]+'))::int NULLS LAST, x.number), '[]'::jsonb) FROM plan_items x WHERE x.plan_id = i.plan_id) AS siblings,
        (SELECT coalesce(jsonb_agg(jsonb_build_object('id', g.id, 'name', g.name) ORDER BY g.first_fiscal_year, g.id), '[]'::jsonb) FROM programmes g) AS programmes`
            : sql`NULL AS siblings, NULL AS programmes`
        }
      FROM plan_items i JOIN plans p ON p.id = i.plan_id
      WHERE i.id = ${itemId}`.execute(db)
    ).rows[0];
    if (!r) return undefined;
    const dated = <T extends { created_at: Date; updated_at: Date }>(x: T): T => ({ ...x, created_at: at(x.created_at), updated_at: at(x.updated_at) });
    return {
      item: dated(json<PlanItem>(r.item)),
      plan: dated(json<Plan>(r.plan)),
      measures: json<(PlanMeasure & { position: number; home_number: string | null })[]>(r.measures).map(dated),
      progress: json<Selectable<PlanProgressTable>[]>(r.progress).map((x) => ({ ...x, updated_at: at(x.updated_at) })),
      cells: json<Selectable<PlanScheduleCellTable>[]>(r.cells),
      targets: json<Selectable<PlanTargetTable>[]>(r.targets).map((x) => ({ ...x, target: Number(x.target), updated_at: at(x.updated_at) })),
      choices:
        r.siblings === null || r.programmes === null
          ? null
          : { items: json<PlanItem[]>(r.siblings).map(dated), programmes: json<{ id: number; name: string }[]>(r.programmes) },
    };
  },
  plans(db: Kysely<Database>) {
    return db.selectFrom('plans').selectAll().orderBy('first_fiscal_year', 'desc').orderBy('id').execute();
  },
  findPlan(db: Kysely<Database>, id: number) {
    return db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
  },
  insertPlan(db: Kysely<Database>, p: Insertable<PlanTable>) {
    return db.insertInto('plans').values(p).returningAll().executeTakeFirstOrThrow();
  },
  items(db: Kysely<Database>, planId: number) {
    return db
      .selectFrom('plan_items')
      .selectAll()
      .where('plan_id', '=', planId)
      .orderBy(sql`(substring(number from '[0-9]+'))::int NULLS LAST`)
      .orderBy('number')
      .execute();
  },
  findItem(db: Kysely<Database>, id: number) {
    return db.selectFrom('plan_items').selectAll().where('id', '=', id).executeTakeFirst();
  },
  insertItem(db: Kysely<Database>, i: Insertable<PlanItemTable>) {
    return db.insertInto('plan_items').values(i).returningAll().executeTakeFirstOrThrow();
  },
  updateItem(db: Kysely<Database>, id: number, i: Partial<Insertable<PlanItemTable>>) {
    return db.updateTable('plan_items').set(i).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  /** The measures listed under an item, in order, with whether each is 【再掲】 (home elsewhere). */
  measuresOf(db: Kysely<Database>, itemId: number) {
    return db
      .selectFrom('plan_item_measures as im')
      .innerJoin('plan_measures as m', 'm.id', 'im.measure_id')
      .leftJoin('plan_items as home', 'home.id', 'm.home_item_id')
      .selectAll('m')
      .select(['im.position', 'home.number as home_number'])
      .where('im.item_id', '=', itemId)
      .orderBy('im.position')
      .execute();
  },
  findMeasure(db: Kysely<Database>, id: number) {
    return db.selectFrom('plan_measures').selectAll().where('id', '=', id).executeTakeFirst();
  },
  insertMeasure(db: Kysely<Database>, m: Insertable<PlanMeasureTable>) {
    return db.insertInto('plan_measures').values(m).returningAll().executeTakeFirstOrThrow();
  },
  async attach(db: Kysely<Database>, itemId: number, measureId: number) {
    const last = await db.selectFrom('plan_item_measures').select((e) => e.fn.max('position').as('p')).where('item_id', '=', itemId).executeTakeFirst();
    await db
      .insertInto('plan_item_measures')
      .values({ item_id: itemId, measure_id: measureId, position: Number(last?.p ?? 0) + 1 })
      .onConflict((oc) => oc.doNothing())
      .execute();
  },
  updatePlan(db: Kysely<Database>, id: number, p: Partial<Insertable<PlanTable>>) {
    return db.updateTable('plans').set(p).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  updateMeasure(db: Kysely<Database>, id: number, m: Partial<Insertable<PlanMeasureTable>>) {
    return db.updateTable('plan_measures').set(m).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  /** The items a measure is listed under (its home and its 【再掲】 places). */
  async itemIdsOf(db: Kysely<Database>, measureId: number): Promise<number[]> {
    return (await db.selectFrom('plan_item_measures').select('item_id').where('measure_id', '=', measureId).execute()).map((r) => r.item_id);
  },
  async detach(db: Kysely<Database>, itemId: number, measureId: number) {
    await db.deleteFrom('plan_progress').where('item_id', '=', itemId).where('measure_id', '=', measureId).execute();
    await db.deleteFrom('plan_item_measures').where('item_id', '=', itemId).where('measure_id', '=', measureId).execute();
  },
  async deleteMeasure(db: Kysely<Database>, measureId: number) {
    await db.deleteFrom('plan_progress').where('measure_id', '=', measureId).execute();
    await db.deleteFrom('plan_measures').where('id', '=', measureId).execute();
  },
  async deleteItem(db: Kysely<Database>, itemId: number) {
    await db.deleteFrom('plan_items').where('id', '=', itemId).execute();
  },
  async setPosition(db: Kysely<Database>, itemId: number, measureId: number, position: number) {
    await db.updateTable('plan_item_measures').set({ position }).where('item_id', '=', itemId).where('measure_id', '=', measureId).execute();
  },
  cells(db: Kysely<Database>, measureIds: number[]) {
    if (!measureIds.length) return Promise.resolve([]);
    return db.selectFrom('plan_schedule_cells').selectAll().where('measure_id', 'in', measureIds).execute();
  },
  async setCell(db: Kysely<Database>, measureId: number, fiscalYear: number, text: string, arrow: boolean) {
    if (!text && !arrow) {
      await db.deleteFrom('plan_schedule_cells').where('measure_id', '=', measureId).where('fiscal_year', '=', fiscalYear).execute();
      return;
    }
    await db
      .insertInto('plan_schedule_cells')
      .values({ measure_id: measureId, fiscal_year: fiscalYear, text, arrow })
      .onConflict((oc) => oc.columns(['measure_id', 'fiscal_year']).doUpdateSet({ text, arrow }))
      .execute();
  },
  progress(db: Kysely<Database>, itemId: number) {
    return db.selectFrom('plan_progress').selectAll().where('item_id', '=', itemId).execute();
  },
  /** A measure's progress rows under every item (kept in the audit log when the measure is deleted). */
  progressOfMeasure(db: Kysely<Database>, measureId: number) {
    return db.selectFrom('plan_progress').selectAll().where('measure_id', '=', measureId).execute();
  },
  /** The measures whose home is this item (not those listed there as 【再掲】). */
  measuresAtHome(db: Kysely<Database>, itemId: number) {
    return db.selectFrom('plan_measures').select('id').where('home_item_id', '=', itemId).execute();
  },
  findProgress(db: Kysely<Database>, itemId: number, measureId: number, fiscalYear: number) {
    return db.selectFrom('plan_progress').selectAll().where('item_id', '=', itemId).where('measure_id', '=', measureId).where('fiscal_year', '=', fiscalYear).executeTakeFirst();
  },
  async saveProgress(db: Kysely<Database>, p: Insertable<PlanProgressTable>) {
    const { item_id, measure_id, fiscal_year, ...rest } = p;
    await db
      .insertInto('plan_progress')
      .values(p)
      .onConflict((oc) => oc.columns(['item_id', 'measure_id', 'fiscal_year']).doUpdateSet(rest))
      .execute();
    return { item_id, measure_id, fiscal_year };
  },
  /** The numeric targets of the given measures, by year and KPI. */
  targets(db: Kysely<Database>, measureIds: number[]) {
    if (!measureIds.length) return Promise.resolve([]);
    return db.selectFrom('plan_targets').selectAll().where('measure_id', 'in', measureIds).orderBy('fiscal_year').orderBy('measure_id').orderBy('id').execute();
  },
  findTarget(db: Kysely<Database>, measureId: number, fiscalYear: number, kpi: string) {
    return db.selectFrom('plan_targets').selectAll().where('measure_id', '=', measureId).where('fiscal_year', '=', fiscalYear).where('kpi', '=', kpi).executeTakeFirst();
  },
  findTargetById(db: Kysely<Database>, id: number) {
    return db.selectFrom('plan_targets').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** Sets a measure's target for a year and KPI (replacing the one it had). */
  saveTarget(db: Kysely<Database>, t: Insertable<PlanTargetTable>) {
    return db
      .insertInto('plan_targets')
      .values(t)
      .onConflict((oc) => oc.columns(['measure_id', 'fiscal_year', 'kpi']).doUpdateSet({ target: t.target, updated_by: t.updated_by, updated_at: t.updated_at }))
      .returningAll()
      .executeTakeFirstOrThrow();
  },
  async deleteTarget(db: Kysely<Database>, id: number) {
    await db.deleteFrom('plan_targets').where('id', '=', id).execute();
  },
};
