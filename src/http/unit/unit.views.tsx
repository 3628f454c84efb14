import type { Child } from 'hono/jsx';
import { UNIT_KINDS } from '../../domain/values.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { UnitNode } from '../../services/unit.service.js';
import { CsrfField, DataTable, Downloads, ErrorSummary, SelectField, TextField } from '../views/components.js';

/** The organisation directory in tree order, with its search filters and downloads. */
export function UnitsListView({ t, units, query }: { t: Translate; units: readonly UnitNode[]; query: { q?: string; kind?: string } }) {
  const qs = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1])).toString();
  return (
    <>
      <p class="actions">
        <a class="button" href="/admin/units/new">{t('units.new')}</a>{' '}
        <a class="button button--secondary" href="/admin/imports/new?kind=units">{t('units.import')}</a>
      </p>
      <form method="get" action="/admin/units" class="filters" role="search">
        <TextField t={t} name="q" plain type="search" label={t('units.searchLabel')} value={query.q} />
        <SelectField t={t} name="kind" plain label={t('field.kind')} value={query.kind} blank="—" options={UNIT_KINDS.map((k) => ({ value: k, label: t(`unitKind.${k}`) }))} />
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
    </>
  );
}

/** A unit's form: new, or edit with `extra` (status and actions). */
export function UnitFormView(p: { t: Translate; csrf: string; id: number | null; values: Record<string, unknown>; errors: FieldErrors | null; parents: readonly UnitNode[]; extra: Child }) {
  const { t, values, errors, id } = p;
  return (
    <>
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action={id ? `/admin/units/${id}` : '/admin/units'} novalidate>
        <CsrfField token={p.csrf} />
        <SelectField t={t} name="kind" label={t('field.kind')} value={values.kind as string} errors={errors} required options={UNIT_KINDS.map((k) => ({ value: k, label: t(`unitKind.${k}`) }))} />
        <TextField t={t} name="name" label={t('field.unitName')} value={String(values.name ?? '')} errors={errors} required maxlength={100} />
        <TextField t={t} name="kana" label={t('field.kana')} value={String(values.kana ?? '')} errors={errors} required maxlength={100} />
        <SelectField t={t} name="parentId" label={t('field.parentId')} value={values.parentId as string} errors={errors} blank="—" options={p.parents.filter((u) => u.id !== id).map((u) => ({ value: u.id, label: u.name }))} />
        <TextField t={t} name="code" label={t('field.code')} value={String(values.code ?? '')} errors={errors} maxlength={6} hint="例：252018（市町のみ）" />
        <button type="submit" class="button">{id ? t('common.save') : t('common.create')}</button>
      </form>
      {p.extra}
    </>
  );
}

/** The edit page's status and actions. */
export function UnitActions({ t, csrf, u }: { t: Translate; csrf: string; u: { id: number; active: boolean } }) {
  return (
    <section>
      <p>
        {t('field.active')}: {t(u.active ? 'common.active' : 'common.inactive')}
      </p>
      <form method="post" action={`/admin/units/${u.id}/${u.active ? 'deactivate' : 'activate'}`} class="inline-form">
        <CsrfField token={csrf} />
        <button type="submit" class="button button--secondary">{t(u.active ? 'common.deactivate' : 'common.activate')}</button>
      </form>
      <p>
        <a href={`/admin/people?unit=${u.id}`}>{t('units.people')}</a> ・ <a href={`/admin/units/${u.id}/history`}>{t('history.title')}</a> ・ <a href={`/admin/audit?entity=unit&entityId=${u.id}`}>{t('audit.title')}</a>
      </p>
    </section>
  );
}
