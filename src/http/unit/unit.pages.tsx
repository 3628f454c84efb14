import type { Child } from 'hono/jsx';
import { UNIT_KINDS, type UnitKind } from '../../domain/values.js';
import type { FieldErrors } from '../../lib/validation.js';
import { createUnit, getUnit, listUnits, setUnitActive, updateUnit } from '../../services/unit.service.js';
import { sendTable } from '../export.js';
import { formAction, toId } from '../forms.js';
import { noticeFrom, page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { unitExportColumns } from './presenter.js';
import { UnitActions, UnitFormView, UnitsListView } from './unit.views.js';

function listQuery(c: Ctx) {
  const kind = c.req.query('kind');
  return {
    q: c.req.query('q')?.slice(0, 100) || undefined,
    kind: (UNIT_KINDS as readonly string[]).includes(kind ?? '') ? (kind as UnitKind) : undefined,
  };
}

export function registerUnitPages(r: Router) {
  r.get('/admin/units', ['admin'], async (c) => {
    const t = c.get('t');
    const q = listQuery(c);
    const units = await listUnits(c.get('ctx'), q);
    return page(c, t('units.title'), <UnitsListView t={t} units={units} query={q} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('units.title') }],
      notice: noticeFrom(c),
    });
  });

  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/units.${format}`, ['admin'], async (c) => {
      const t = c.get('t');
      const units = await listUnits(c.get('ctx'), listQuery(c));
      const all = await listUnits(c.get('ctx'));
      const parents = new Map(all.map((u) => [u.id, u.name]));
      return sendTable(c, format, 'units', t('units.title'), unitExportColumns(t, parents), units);
    });

  const form = async (c: Ctx, values: Record<string, unknown>, errors: FieldErrors | null, id: number | null, status: 200 | 409 | 422 = 200, extra: Child = null) => {
    const t = c.get('t');
    const parents = (await listUnits(c.get('ctx'), { activeOnly: true })).filter((u) => u.kind === 'department' || u.kind === 'agency');
    const title = id ? t('units.edit') : t('units.new');
    return page(c, title, <UnitFormView t={t} csrf={c.get('csrf')} id={id} values={values} errors={errors} parents={parents} extra={extra} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('units.title'), href: '/admin/units' }, { label: title }],
      status,
      notice: noticeFrom(c),
    });
  };
  r.get('/admin/units/new', ['admin'], (c) => form(c, { kind: 'division' }, null, null));
  r.post('/admin/units', ['admin'], (c) =>
    formAction(c, {
      run: (body) => createUnit(c.get('ctx'), c.get('user'), body),
      invalid: (body, errors) => form(c, body, errors, null, 422),
      done: (u) => `/admin/units/${u.id}?notice=common.saved`,
    }),
  );
  r.get('/admin/units/:id', ['admin'], async (c) => {
    const u = await getUnit(c.get('ctx'), toId(c.req.param('id')));
    if (!u) return c.notFound();
    const extra = <UnitActions t={c.get('t')} csrf={c.get('csrf')} u={u} />;
    return form(c, { kind: u.kind, name: u.name, kana: u.kana, parentId: u.parent_id ? String(u.parent_id) : '', code: u.code ?? '' }, null, u.id, 200, extra);
  });
  r.post('/admin/units/:id', ['admin'], (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: (body) => updateUnit(c.get('ctx'), c.get('user'), id, body),
      invalid: (body, errors) => form(c, body, errors, id, 422),
      done: () => `/admin/units/${id}?notice=common.saved`,
    });
  });
  for (const action of ['activate', 'deactivate'] as const)
    r.post(`/admin/units/:id/${action}`, ['admin'], async (c) => {
      const id = toId(c.req.param('id'));
      await setUnitActive(c.get('ctx'), c.get('user'), id, action === 'activate');
      return c.redirect(`/admin/units/${id}?notice=common.saved`, 303);
    });
}
