import { html } from 'hono/html';
import type { PersonDirectoryRow } from '../../db/repositories/person.repository.js';
import { AFFILIATIONS, ROLES } from '../../domain/values.js';
import type { Translate } from '../../i18n/index.js';
import type { UnitPickNode } from '../../services/unit.service.js';
import { DataTable, Downloads, Pager, SelectField, TextField } from '../views/components.js';

export type PeopleListQuery = Record<'q' | 'unit' | 'affiliation' | 'role' | 'inactive' | 'sort' | 'dir', string | undefined>;

/** The people directory: search filters, the sortable list, paging and downloads. */
export function PeopleListView(p: { t: Translate; rows: readonly PersonDirectoryRow[]; total: number; page: number; pages: number; units: readonly UnitPickNode[]; query: PeopleListQuery }) {
  const { t, query } = p;
  const qs = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1])).toString();
  return (
    <>
      <p class="actions">
        <a class="button" href="/admin/people/new">{t('people.new')}</a>{' '}
        <a class="button button--secondary" href="/admin/imports/new?kind=people">{t('people.import')}</a>
      </p>
      <form method="get" action="/admin/people" class="filters" role="search">
        <TextField t={t} name="q" plain type="search" label={t('people.searchLabel')} value={query.q} />
        <SelectField t={t} name="unit" plain label={t('field.unit')} value={query.unit} blank="—" options={p.units.map((u) => ({ value: u.id, label: `${'　'.repeat(u.depth)}${u.name}` }))} />
        <SelectField t={t} name="affiliation" plain label={t('field.affiliation')} value={query.affiliation} blank="—" options={AFFILIATIONS.map((a) => ({ value: a, label: t(`affiliation.${a}`) }))} />
        <SelectField t={t} name="role" plain label={t('field.roles')} value={query.role} blank="—" options={ROLES.map((a) => ({ value: a, label: t(`role.${a}`) }))} />
        <button type="submit" class="button">{t('common.search')}</button>
      </form>
      <p>{t('people.count', { count: p.total })}</p>
      <DataTable
        t={t}
        caption={t('people.title')}
        basePath="/admin/people"
        query={query}
        sort={query.sort}
        dir={query.dir === 'desc' ? 'desc' : 'asc'}
        rows={p.rows}
        columns={[
          { key: 'kana', label: `${t('field.name')}（${t('field.kana')}）`, sortable: true, cell: (x) => html`<a href="/admin/people/${x.id}">${x.name}</a><br/><span class="kana">${x.kana}</span>` },
          { key: 'email', label: t('field.email'), sortable: true, cell: (x) => x.email },
          { key: 'staff_number', label: t('field.staffNumber'), sortable: true, cell: (x) => x.staff_number ?? '' },
          { key: 'unit', label: t('field.unit'), sortable: true, cell: (x) => x.unit_name ?? '' },
          { key: 'affiliation', label: t('field.affiliation'), sortable: true, cell: (x) => t(`affiliation.${x.affiliation}`) },
          { key: 'roles', label: t('field.roles'), cell: (x) => x.roles.map((r) => t(`role.${r}`)).join('、') },
        ]}
      />
      <Pager t={t} page={p.page} pages={p.pages} total={p.total} basePath="/admin/people" query={query} />
      <Downloads t={t} base="/admin/people" query={qs} />
    </>
  );
}
