import type { Child } from 'hono/jsx';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import { createUnit, getUnit, listUnits, setUnitActive, type UnitNode, updateUnit } from '../../services/unit.service.js';
import { sendTable } from '../export.js';
import { readForm, submit, toId } from '../forms.js';
import { noticeFrom, page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { CsrfField, DataTable, Downloads, ErrorSummary, SelectField, TextField } from '../views/components.js';
import { UNIT_KINDS, type UnitKind } from '../../domain/values.js';

function listQuery(c: Ctx) {
  const kind = c.req.query('kind');
  return {
    q: c.req.query('q')?.slice(0, 100) || undefined,
    kind: (UNIT_KINDS as readonly string[]).includes(kind ?? '') ? (kind as UnitKind) : undefined,
  };
}

const exportColumns = (t: Translate, parents: Map<number, string>) => [
  { header: '種別', value: (u: UnitNode) => t(`unitKind.${u.kind}`) },
  { header: '組織名', value: (u: UnitNode) => u.name },
  { header: 'フリガナ', value: (u: UnitNode) => u.kana },
  { header: '上位組織', value: (u: UnitNode) => (u.parent_id ? (parents.get(u.parent_id) ?? '') : '') },
  { header: '団体コード', value: (u: UnitNode) => u.code },
  { header: t('units.people'), value: (u: UnitNode) => u.people_count },
  { header: t('field.active'), value: (u: UnitNode) => t(u.active ? 'common.active' : 'common.inactive') },
];

export function registerUnits(r: Router) {
  r.get('/admin/units', ['admin'], async (c) => {
    const t = c.get('t');
    const q = listQuery(c);
    const units = await listUnits(c.get('ctx'), q);
    const qs = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => !!e[1])).toString();
    return page(
      c,
      t('units.title'),
      <>
        <p class="actions">
          <a class="button" href="/admin/units/new">{t('units.new')}</a>{' '}
          <a class="button button--secondary" href="/admin/imports/new?kind=units">{t('units.import')}</a>
        </p>
        <form method="get" action="/admin/units" class="filters" role="search">
          <TextField t={t} name="q" plain type="search" label={t('units.searchLabel')} value={q.q} />
          <SelectField t={t} name="kind" plain label={t('field.kind')} value={q.kind} blank="—" options={UNIT_KINDS.map((k) => ({ value: k, label: t(`unitKind.${k}`) }))} />
          <button type="submit" class="button">{t('common.search')}</button>
        </form>
        <DataTable
          t={t}
          caption={t('units.title')}
          basePath="/admin/units"
          rows={units}
          columns={[
            { key: 'name', label: t('field.unitName'), cell: (u) => <span class={`depth-${Math.min(u.depth, 3)}`}><a href={`/admin/units/${u.id}`}>{u.name}</a> <span class="kana">{u.kana}</span></span> },
            { key: 'kind', label: t('field.kind'), cell: (u) => t(`unitKind.${u.kind}`) },
            { key: 'code', label: t('field.code'), cell: (u) => u.code ?? '' },
            { key: 'people', label: t('units.people'), cell: (u) => <a href={`/admin/people?unit=${u.id}`}>{u.people_count}</a> },
            { key: 'active', label: t('field.active'), cell: (u) => t(u.active ? 'common.active' : 'common.inactive') },
          ]}
        />
        <Downloads t={t} base="/admin/units" query={qs} />
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('units.title') }], notice: noticeFrom(c) },
    );
  });

  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/units.${format}`, ['admin'], async (c) => {
      const t = c.get('t');
      const units = await listUnits(c.get('ctx'), listQuery(c));
      const all = await listUnits(c.get('ctx'));
      const parents = new Map(all.map((u) => [u.id, u.name]));
      return sendTable(c, format, 'units', t('units.title'), exportColumns(t, parents), units);
    });

  const form = async (c: Ctx, values: Record<string, unknown>, errors: FieldErrors | null, id: number | null, status: 200 | 409 | 422 = 200, extra: Child = null) => {
    const t = c.get('t');
    const parents = (await listUnits(c.get('ctx'), { activeOnly: true })).filter((u) => u.kind === 'department' || u.kind === 'agency');
    const title = id ? t('units.edit') : t('units.new');
    return page(
      c,
      title,
      <>
        <ErrorSummary t={t} errors={errors} />
        <form method="post" action={id ? `/admin/units/${id}` : '/admin/units'} novalidate>
          <CsrfField token={c.get('csrf')} />
          <SelectField t={t} name="kind" label={t('field.kind')} value={values.kind as string} errors={errors} required options={UNIT_KINDS.map((k) => ({ value: k, label: t(`unitKind.${k}`) }))} />
          <TextField t={t} name="name" label={t('field.unitName')} value={String(values.name ?? '')} errors={errors} required maxlength={100} />
          <TextField t={t} name="kana" label={t('field.kana')} value={String(values.kana ?? '')} errors={errors} required maxlength={100} />
          <SelectField t={t} name="parentId" label={t('field.parentId')} value={values.parentId as string} errors={errors} blank="—" options={parents.filter((u) => u.id !== id).map((u) => ({ value: u.id, label: u.name }))} />
          <TextField t={t} name="code" label={t('field.code')} value={String(values.code ?? '')} errors={errors} maxlength={6} hint="例：252018（市町のみ）" />
          <button type="submit" class="button">{id ? t('common.save') : t('common.create')}</button>
        </form>
        {extra}
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('units.title'), href: '/admin/units' }, { label: title }], status, notice: noticeFrom(c) },
    );
  };
  r.get('/admin/units/new', ['admin'], (c) => form(c, { kind: 'division' }, null, null));
  r.post('/admin/units', ['admin'], async (c) => {
    const body = await readForm(c);
    const res = await submit(() => createUnit(c.get('ctx'), c.get('user'), body), (errors) => form(c, body, errors, null, 422));
    if (!res.ok) return res.response;
    return c.redirect(`/admin/units/${res.value.id}?notice=common.saved`, 303);
  });
  r.get('/admin/units/:id', ['admin'], async (c) => {
    const u = await getUnit(c.get('ctx'), toId(c.req.param('id')));
    if (!u) return c.notFound();
    const t = c.get('t');
    const extra = (
      <section>
        <p>
          {t('field.active')}: {t(u.active ? 'common.active' : 'common.inactive')}
        </p>
        <form method="post" action={`/admin/units/${u.id}/${u.active ? 'deactivate' : 'activate'}`} class="inline-form">
          <CsrfField token={c.get('csrf')} />
          <button type="submit" class="button button--secondary">{t(u.active ? 'common.deactivate' : 'common.activate')}</button>
        </form>
        <p>
          <a href={`/admin/people?unit=${u.id}`}>{t('units.people')}</a> ・ <a href={`/admin/units/${u.id}/history`}>{t('history.title')}</a> ・ <a href={`/admin/audit?entity=unit&entityId=${u.id}`}>{t('audit.title')}</a>
        </p>
      </section>
    );
    return form(c, { kind: u.kind, name: u.name, kana: u.kana, parentId: u.parent_id ? String(u.parent_id) : '', code: u.code ?? '' }, null, u.id, 200, extra);
  });
  r.post('/admin/units/:id', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const body = await readForm(c);
    const res = await submit(() => updateUnit(c.get('ctx'), c.get('user'), id, body), (errors) => form(c, body, errors, id, 422));
    if (!res.ok) return res.response;
    return c.redirect(`/admin/units/${id}?notice=common.saved`, 303);
  });
  for (const action of ['activate', 'deactivate'] as const)
    r.post(`/admin/units/:id/${action}`, ['admin'], async (c) => {
      const id = toId(c.req.param('id'));
      await setUnitActive(c.get('ctx'), c.get('user'), id, action === 'activate');
      return c.redirect(`/admin/units/${id}?notice=common.saved`, 303);
    });
}
