import { type Insertable, type Kysely, sql } from 'kysely';
import type { Database, PlanItemTable, PlanMeasureTable, PlanProgressTable, PlanTable, PlanTargetTable } from '../schema.js';

/** The plan: items, measures (shared between items), the schedule grid and yearly progress. */
export const planRepository = {
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
