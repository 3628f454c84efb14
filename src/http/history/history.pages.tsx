import { type HistoryRow, trainingHistory } from '../../services/history.service.js';
import { getPerson } from '../../services/person.service.js';
import { getUnit } from '../../services/unit.service.js';
import { sendTable } from '../export.js';
import { toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { HistoryView } from './history.views.js';
import { historyColumns } from './presenter.js';

const historyPage = (c: Ctx, title: string, rows: HistoryRow[], base: string, showPerson: boolean) => {
  const t = c.get('t');
  return page(c, title, <HistoryView t={t} lang={c.get('lang')} rows={rows} base={base} showPerson={showPerson} />, { crumbs: [{ label: t('nav.home'), href: '/' }, { label: title }] });
};

/** Training history (研修履歴): one's own, and (admins) a person's or a unit's. */
export function registerHistoryPages(r: Router) {
  r.get('/my/history', 'user', async (c) => historyPage(c, c.get('t')('history.title'), await trainingHistory(c.get('ctx'), { personId: c.get('user')!.id }), '/my/history', false));
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/my/history.${format}`, 'user', async (c) => sendTable(c, format, 'training-history', c.get('t')('history.title'), historyColumns(c.get('t')), await trainingHistory(c.get('ctx'), { personId: c.get('user')!.id })));
  r.get('/admin/people/:id/history', ['admin'], async (c) => {
    const p = await getPerson(c.get('ctx'), toId(c.req.param('id')));
    if (!p) return c.notFound();
    return historyPage(c, c.get('t')('history.personTitle', { name: p.name }), await trainingHistory(c.get('ctx'), { personId: p.id }), `/admin/people/${p.id}/history`, false);
  });
  r.get('/admin/units/:id/history', ['admin'], async (c) => {
    const u = await getUnit(c.get('ctx'), toId(c.req.param('id')));
    if (!u) return c.notFound();
    return historyPage(c, c.get('t')('history.unitTitle', { name: u.name }), await trainingHistory(c.get('ctx'), { unitId: u.id }), `/admin/units/${u.id}/history`, true);
  });
  for (const scope of ['people', 'units'] as const)
    for (const format of ['csv', 'xlsx'] as const)
      r.get(`/admin/${scope}/:id/history.${format}`, ['admin'], async (c) => {
        const id = toId(c.req.param('id'));
        const rows = await trainingHistory(c.get('ctx'), scope === 'people' ? { personId: id } : { unitId: id });
        return sendTable(c, format, `training-history-${scope}-${id}`, c.get('t')('history.title'), historyColumns(c.get('t')), rows);
      });
}
