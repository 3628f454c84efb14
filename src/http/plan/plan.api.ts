import { z } from 'zod';
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
  saveProgress,
  saveSchedule,
  saveTarget,
  updateItem,
  updateMeasure,
  updatePlan,
} from '../../services/plan.service.js';
import { ServiceError } from '../../services/context.js';
import { apiError } from '../api-errors.js';
import type { ApiOp } from '../api.js';
import { planItemJson, planJson, planSheetJson } from './presenter.js';
import { deletedOut, idOut, measureMoveBody, measureMoveOut, planBody, planItemBody, planList, planMeasureBody, planProgressBody, planScheduleBody, planSheetOut, planTargetBody, planWithItemsOut } from './schema.js';

const ADMIN = ['admin'] as const;

/** The plan (実施計画): plans, items, measures, the schedule grid, numeric targets and yearly progress. */
export function registerPlanApi(op: ApiOp) {
  op({ method: 'GET', path: '/api/v1/plans', summary: 'Plans (実施計画)', access: ADMIN, response: planList }, async (c) => c.json({ items: (await listPlans(c.get('ctx'))).map(planJson) }));
  op({ method: 'POST', path: '/api/v1/plans', summary: 'Create a plan for a period of fiscal years', access: ADMIN, body: planBody, status: 201, response: idOut }, async (c, { body }) =>
    c.json({ id: (await createPlan(c.get('ctx'), c.get('user'), body)).id }, 201),
  );
  op({ method: 'GET', path: '/api/v1/plans/:id', summary: 'A plan with its items', access: ADMIN, response: planWithItemsOut }, async (c, { params }) => {
    const p = await planWithItems(c.get('ctx'), params.id);
    if (!p) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
    return c.json({ ...planJson(p.plan), items: p.items.map(planItemJson) });
  });
  op({ method: 'PUT', path: '/api/v1/plans/:id', summary: 'Change a plan’s title, period or rating scale', access: ADMIN, body: planBody, response: idOut }, async (c, { params, body }) =>
    c.json({ id: (await updatePlan(c.get('ctx'), c.get('user'), params.id, body)).id }),
  );
  op({ method: 'POST', path: '/api/v1/plans/:id/items', summary: 'Add an item (項目) to a plan', access: ADMIN, body: planItemBody, status: 201, response: idOut }, async (c, { params, body }) =>
    c.json({ id: (await createItem(c.get('ctx'), c.get('user'), params.id, body)).id }, 201),
  );
  op(
    { method: 'GET', path: '/api/v1/plan-items/:id', summary: 'An item’s sheet: its measures with the schedule grid, the figures computed from records, the targets with actual and 達成率, and the yearly progress', access: ADMIN, response: planSheetOut },
    async (c, { params }) => {
      const s = await planItemSheet(c.get('ctx'), params.id);
      return s ? c.json(planSheetJson(s)) : apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
    },
  );
  op({ method: 'PUT', path: '/api/v1/plan-items/:id', summary: 'Change an item', access: ADMIN, body: planItemBody, response: idOut }, async (c, { params, body }) =>
    c.json({ id: (await updateItem(c.get('ctx'), c.get('user'), params.id, body)).id }),
  );
  op({ method: 'POST', path: '/api/v1/plan-items/:id/measures', summary: 'Add a measure (取組) to an item, linked to the programmes that carry it out', access: ADMIN, body: planMeasureBody, status: 201, response: idOut }, async (c, { params, body }) =>
    c.json({ id: (await createMeasure(c.get('ctx'), c.get('user'), params.id, body)).id }, 201),
  );
  op({ method: 'PUT', path: '/api/v1/plan-items/:id/measures/:measureId', summary: 'Change a measure', access: ADMIN, body: planMeasureBody, response: idOut }, async (c, { params, body }) =>
    c.json({ id: (await updateMeasure(c.get('ctx'), c.get('user'), params.id, params.measureId, body)).id }),
  );
  op(
    { method: 'PUT', path: '/api/v1/plan-items/:id/measures/:measureId/targets', summary: 'Set a measure’s numeric target (数値目標) for a fiscal year and KPI, replacing the one it had', access: ADMIN, body: planTargetBody, response: idOut },
    async (c, { params, body }) => c.json({ id: (await saveTarget(c.get('ctx'), c.get('user'), params.id, params.measureId, body)).id }),
  );
  op(
    { method: 'PUT', path: '/api/v1/plan-measures/:id/schedule', summary: 'Set a measure’s row of the schedule grid (工程表)', access: ADMIN, body: planScheduleBody, response: idOut },
    async (c, { params, body }) => {
      // The same service as the sheet's form: cell-<fy> and arrow-<fy> for each year of the sheet.
      const form = Object.fromEntries(body.cells.flatMap((x) => [[`cell-${x.fiscalYear}`, x.text], [`arrow-${x.fiscalYear}`, x.arrow === true]]));
      await saveSchedule(c.get('ctx'), c.get('user'), params.id, form);
      return c.json({ id: params.id });
    },
  );
  op(
    {
      method: 'PUT',
      path: '/api/v1/plan-items/:id/progress/:fy',
      summary: 'Record a year’s progress (進行管理) of an item and its measures: status, the office’s rating, results, changes, further steps',
      access: ADMIN,
      params: z.object({ id: z.coerce.number().int().positive().max(2147483647), fy: z.coerce.number({ message: 'error.fiscalYear' }).int().min(1989).max(2100).describe('fiscal year, e.g. 2026') }),
      body: planProgressBody,
      response: idOut,
    },
    async (c, { params, body }) => {
      // The same service as the sheet's form: status, results, … for the item, m<id>-status, … per measure.
      const entries = [...(body.item ? [['', body.item] as const] : []), ...(body.measures ?? []).map((m) => [`m${m.measureId}-`, m] as const)];
      const form = Object.fromEntries(entries.flatMap(([prefix, e]) => (['status', 'rating', 'results', 'changes', 'further'] as const).flatMap((k) => (e[k] === undefined ? [] : [[`${prefix}${k}`, e[k]]]))));
      await saveProgress(c.get('ctx'), c.get('user'), params.id, params.fy, form);
      return c.json({ id: params.id });
    },
  );

  // --- Deleting and reordering: what the sheet's pages do after their confirmation step. The API's
  // DELETE is that confirmation (the service's `confirm: 'yes'`); nothing else deletes.
  op(
    {
      method: 'DELETE',
      path: '/api/v1/plan-items/:id',
      summary: 'Delete an item with its yearly progress. Refused (409 has_measures) while measures of its own remain: take them off first. Cannot be undone (the audit log keeps what was deleted).',
      access: ADMIN,
      response: deletedOut,
    },
    async (c, { params }) => {
      const item = await conflictOnConfirm(() => deleteItem(c.get('ctx'), c.get('user'), params.id, { confirm: 'yes' }), 'has_measures');
      return c.json({ id: item.id, deleted: true as const });
    },
  );
  op(
    { method: 'POST', path: '/api/v1/plan-items/:id/measures/:measureId/move', summary: 'Move a measure one place up or down among the item’s measures (ア, イ, … follow the order)', access: ADMIN, body: measureMoveBody, labels: { direction: 'plan.order' }, response: measureMoveOut },
    async (c, { params, body }) => {
      await moveMeasure(c.get('ctx'), c.get('user'), params.id, params.measureId, body.direction);
      const s = await planItemSheet(c.get('ctx'), params.id);
      return c.json({ id: params.measureId, order: (s?.measures ?? []).map((m) => m.measure.id) });
    },
  );
  op(
    {
      method: 'DELETE',
      path: '/api/v1/plan-items/:id/measures/:measureId',
      summary:
        'Take a measure off an item. Under an item where it is repeated (【再掲】) it is only unlisted there; under its home item the measure itself is deleted with its schedule grid and progress, which is refused (409 repeated_elsewhere) while other items still list it. Cannot be undone.',
      access: ADMIN,
      response: deletedOut,
    },
    async (c, { params }) => {
      await conflictOnConfirm(() => removeMeasure(c.get('ctx'), c.get('user'), params.id, params.measureId, { confirm: 'yes' }), 'repeated_elsewhere');
      return c.json({ id: params.measureId, deleted: true as const });
    },
  );
  op(
    { method: 'DELETE', path: '/api/v1/plan-items/:id/measures/:measureId/targets/:targetId', summary: 'Delete a measure’s numeric target (数値目標). Cannot be undone.', access: ADMIN, response: deletedOut },
    async (c, { params }) => {
      await deleteTarget(c.get('ctx'), c.get('user'), params.id, params.measureId, params.targetId, { confirm: 'yes' });
      return c.json({ id: params.targetId, deleted: true as const });
    },
  );
}

/**
 * The services refuse a deletion that must wait (an item with measures, a measure repeated elsewhere)
 * at the page's confirmation box; over the API there is no box, so the refusal is a 409 conflict.
 */
async function conflictOnConfirm<T>(run: () => Promise<T>, code: string): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const refusal = e instanceof ServiceError ? e.fields.confirm : undefined;
    if (!refusal) throw e;
    throw new ServiceError(409, code, refusal.key, {}, refusal.params ?? {});
  }
}
