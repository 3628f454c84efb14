import { z } from 'zod';
import { type HistoryRow, trainingHistory } from '../../services/history.service.js';
import { getPerson } from '../../services/person.service.js';
import { getUnit } from '../../services/unit.service.js';
import { apiError } from '../api-errors.js';
import { type ApiOp, formatQuery, pagedOut, wantsFile } from '../api.js';
import { sendTable } from '../export.js';
import { historyColumns } from './presenter.js';

const historyItem = z.object({
  personId: z.number().int(),
  name: z.string(),
  kana: z.string(),
  unitName: z.string().nullable(),
  fiscalYear: z.number().int(),
  programme: z.string().nullable(),
  title: z.string(),
  status: z.string().describe('the application’s status; `imported` for a record from before Kyodo'),
  completed: z.boolean(),
  certificateNumber: z.string().nullable(),
  imported: z.boolean().describe('a record imported from before Kyodo'),
});

const historyJson = (r: HistoryRow) => ({
  personId: r.personId,
  name: r.name,
  kana: r.kana,
  unitName: r.unitName,
  fiscalYear: r.fiscalYear,
  programme: r.programme,
  title: r.title,
  status: r.status,
  completed: r.completed,
  certificateNumber: r.certificateNumber,
  imported: r.imported,
});

const formats = z.object(formatQuery());
/** One person's or one unit's history is read whole (it is bounded by them): `next` is always null. */
const historyOut = pagedOut(historyItem);

/** 研修履歴 over the API: one's own, and (admins) a person's or a unit's; as JSON, CSV or xlsx like the pages. */
export function registerHistoryApi(op: ApiOp) {
  const send = async (c: Parameters<Parameters<ApiOp>[1]>[0], q: z.output<typeof formats>, filename: string, f: { personId?: number; unitId?: number }) => {
    const rows = await trainingHistory(c.get('ctx'), f);
    if (wantsFile(q)) return sendTable(c, q.format, filename, c.get('t')('history.title'), historyColumns(c.get('t')), rows);
    return c.json({ items: rows.map(historyJson), next: null });
  };
  op(
    { method: 'GET', path: '/api/v1/me/history', summary: 'My training history (研修履歴) across all years, with imported records; or as CSV/xlsx (format)', access: 'user', query: formats, response: historyOut, formats: true },
    (c, { query }) => send(c, query, 'training-history', { personId: c.get('user')!.id }),
  );
  op(
    { method: 'GET', path: '/api/v1/people/:id/history', summary: 'A person’s training history across all years; or as CSV/xlsx (format)', access: ['admin'], query: formats, response: historyOut, formats: true },
    async (c, { query, params }) => {
      if (!(await getPerson(c.get('ctx'), params.id))) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
      return send(c, query, `training-history-people-${params.id}`, { personId: params.id });
    },
  );
  op(
    { method: 'GET', path: '/api/v1/units/:id/history', summary: 'The training history of every member of a unit; or as CSV/xlsx (format)', access: ['admin'], query: formats, response: historyOut, formats: true },
    async (c, { query, params }) => {
      if (!(await getUnit(c.get('ctx'), params.id))) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
      return send(c, query, `training-history-units-${params.id}`, { unitId: params.id });
    },
  );
}
