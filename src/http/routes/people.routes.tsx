import type { Child } from 'hono/jsx';
import type { FieldErrors } from '../../lib/validation.js';
import { invite } from '../../services/account.service.js';
import { myApplications } from '../../services/application.service.js';
import { createPerson, getPerson, listPeople, setPersonActive, updatePerson } from '../../services/person.service.js';
import { listUnits } from '../../services/unit.service.js';
import { anonymisePerson, isAnonymised } from '../../services/personal-data.service.js';
import type { PersonSort, PersonWithRoles } from '../../db/repositories/person.repository.js';
import type { Translate } from '../../i18n/index.js';
import { sendTable } from '../export.js';
import { type FormBody, pageParams, readForm, submit, toId } from '../forms.js';
import { noticeFrom, page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { CheckboxGroup, CsrfField, DataTable, Downloads, ErrorSummary, Pager, SelectField, TextArea, TextField } from '../views/components.js';
import { AFFILIATIONS, type Affiliation, ROLES, type Role } from '../../domain/values.js';

const SORTS: PersonSort[] = ['kana', 'email', 'staff_number', 'unit', 'affiliation'];

function listQuery(c: Ctx) {
  const q = c.req.query();
  return {
    q: q.q?.slice(0, 100) || undefined,
    unitId: Number(q.unit) || undefined,
    affiliation: (AFFILIATIONS as readonly string[]).includes(q.affiliation ?? '') ? (q.affiliation as Affiliation) : undefined,
    role: (ROLES as readonly string[]).includes(q.role ?? '') ? (q.role as Role) : undefined,
    includeInactive: q.inactive === '1',
    sort: SORTS.includes(q.sort as PersonSort) ? (q.sort as PersonSort) : 'kana',
    dir: q.dir === 'desc' ? ('desc' as const) : ('asc' as const),
  };
}

const exportColumns = (t: Translate) => [
  { header: t('field.name'), value: (p: PersonWithRoles) => p.name },
  { header: t('field.kana'), value: (p: PersonWithRoles) => p.kana },
  { header: t('field.email'), value: (p: PersonWithRoles) => p.email },
  { header: t('field.staffNumber'), value: (p: PersonWithRoles) => p.staff_number },
  { header: t('field.unit'), value: (p: PersonWithRoles) => p.unit_name },
  { header: t('field.affiliation'), value: (p: PersonWithRoles) => t(`affiliation.${p.affiliation}`) },
  { header: t('field.roles'), value: (p: PersonWithRoles) => p.roles.map((r) => t(`role.${r}`)).join('、') },
  { header: t('field.active'), value: (p: PersonWithRoles) => t(p.active ? 'common.active' : 'common.inactive') },
];

export function registerPeople(r: Router) {
  r.get('/admin/people', ['admin'], async (c) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const q = listQuery(c);
    const { page: pageNo, limit, offset } = pageParams(c);
    const [{ rows, total }, units] = await Promise.all([listPeople(ctx, { ...q, limit, offset }), listUnits(ctx, { activeOnly: true })]);
    const query = {
      q: q.q,
      unit: q.unitId ? String(q.unitId) : undefined,
      affiliation: q.affiliation,
      role: q.role,
      inactive: q.includeInactive ? '1' : undefined,
      sort: q.sort,
      dir: q.dir,
    };
    const qs = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1])).toString();
    return page(
      c,
      t('people.title'),
      <>
        <p class="actions">
          <a class="button" href="/admin/people/new">{t('people.new')}</a>{' '}
          <a class="button button--secondary" href="/admin/imports/new?kind=people">{t('people.import')}</a>
        </p>
        <form method="get" action="/admin/people" class="filters" role="search">
          <TextField t={t} name="q" plain type="search" label={t('people.searchLabel')} value={q.q} />
          <SelectField t={t} name="unit" plain label={t('field.unit')} value={q.unitId} blank="—" options={units.map((u) => ({ value: u.id, label: `${'　'.repeat(u.depth)}${u.name}` }))} />
          <SelectField t={t} name="affiliation" plain label={t('field.affiliation')} value={q.affiliation} blank="—" options={AFFILIATIONS.map((a) => ({ value: a, label: t(`affiliation.${a}`) }))} />
          <SelectField t={t} name="role" plain label={t('field.roles')} value={q.role} blank="—" options={ROLES.map((a) => ({ value: a, label: t(`role.${a}`) }))} />
          <button type="submit" class="button">{t('common.search')}</button>
        </form>
        <p>{t('people.count', { count: total })}</p>
        <DataTable
          t={t}
          caption={t('people.title')}
          basePath="/admin/people"
          query={query}
          sort={q.sort}
          dir={q.dir}
          rows={rows}
          columns={[
            { key: 'kana', label: `${t('field.name')}（${t('field.kana')}）`, sortable: true, cell: (p) => <><a href={`/admin/people/${p.id}`}>{p.name}</a><br /><span class="kana">{p.kana}</span></> },
            { key: 'email', label: t('field.email'), sortable: true, cell: (p) => p.email },
            { key: 'staff_number', label: t('field.staffNumber'), sortable: true, cell: (p) => p.staff_number ?? '' },
            { key: 'unit', label: t('field.unit'), sortable: true, cell: (p) => p.unit_name ?? '' },
            { key: 'affiliation', label: t('field.affiliation'), sortable: true, cell: (p) => t(`affiliation.${p.affiliation}`) },
            { key: 'roles', label: t('field.roles'), cell: (p) => p.roles.map((x) => t(`role.${x}`)).join('、') },
          ]}
        />
        <Pager t={t} page={pageNo} pages={Math.max(1, Math.ceil(total / limit))} total={total} basePath="/admin/people" query={query} />
        <Downloads t={t} base="/admin/people" query={qs} />
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('people.title') }], notice: noticeFrom(c) },
    );
  });

  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/people.${format}`, ['admin'], async (c) => {
      const t = c.get('t');
      const { rows } = await listPeople(c.get('ctx'), { ...listQuery(c), limit: 1_000_000, offset: 0 });
      return sendTable(c, format, 'people', t('people.title'), exportColumns(t), rows);
    });

  const form = async (
    c: Ctx,
    values: Partial<Record<string, unknown>>,
    errors: FieldErrors | null,
    id: number | null,
    status: 200 | 404 | 409 | 422 = 200,
    extra: Child = null,
  ) => {
    const t = c.get('t');
    const units = await listUnits(c.get('ctx'), { activeOnly: true });
    const roles = Array.isArray(values.roles) ? (values.roles as string[]) : values.roles ? [String(values.roles)] : ['staff'];
    const title = id ? t('people.edit') : t('people.new');
    return page(
      c,
      title,
      <>
        <ErrorSummary t={t} errors={errors} />
        <form method="post" action={id ? `/admin/people/${id}` : '/admin/people'} novalidate>
          <CsrfField token={c.get('csrf')} />
          <TextField t={t} name="name" label={t('field.name')} value={String(values.name ?? '')} errors={errors} required maxlength={100} />
          <TextField t={t} name="kana" label={t('field.kana')} value={String(values.kana ?? '')} errors={errors} required maxlength={100} />
          <TextField t={t} name="email" type="email" label={t('field.email')} value={String(values.email ?? '')} errors={errors} required />
          <TextField t={t} name="staffNumber" label={t('field.staffNumber')} value={String(values.staffNumber ?? '')} errors={errors} maxlength={20} />
          <SelectField t={t} name="unitId" label={t('field.unitId')} value={values.unitId as string} errors={errors} blank="—" options={units.map((u) => ({ value: u.id, label: `${'　'.repeat(u.depth)}${u.name}` }))} />
          <SelectField t={t} name="affiliation" label={t('field.affiliation')} value={(values.affiliation as string) ?? 'prefecture'} errors={errors} required options={AFFILIATIONS.map((a) => ({ value: a, label: t(`affiliation.${a}`) }))} />
          <CheckboxGroup t={t} name="roles" label={t('field.roles')} values={roles} errors={errors} options={ROLES.map((x) => ({ value: x, label: t(`role.${x}`) }))} />
          {id ? null : <CheckboxGroup t={t} name="invite" label={t('people.invite')} values={values.invite ? ['on'] : []} options={[{ value: 'on', label: t('people.inviteOnCreate') }]} />}
          <button type="submit" class="button">{id ? t('common.save') : t('common.create')}</button>
        </form>
        {extra}
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('people.title'), href: '/admin/people' }, { label: title }], status, notice: noticeFrom(c) },
    );
  };

  r.get('/admin/people/new', ['admin'], (c) => form(c, { affiliation: 'prefecture' }, null, null));
  r.post('/admin/people', ['admin'], async (c) => {
    const ctx = c.get('ctx');
    const body = await readForm(c);
    const res = await submit(() => createPerson(ctx, c.get('user'), body), (errors, status) => form(c, body, errors, null, status === 409 ? 409 : 422));
    if (!res.ok) return res.response;
    if (body.invite) await invite(ctx, c.get('user'), res.value.id);
    return c.redirect(`/admin/people/${res.value.id}?notice=${body.invite ? 'people.invited' : 'common.saved'}`, 303);
  });
  r.get('/admin/people/:id', ['admin'], async (c) => {
    const p = await getPerson(c.get('ctx'), toId(c.req.param('id')));
    if (!p) return c.notFound();
    const t = c.get('t');
    const csrf = c.get('csrf');
    const values: FormBody = {
      name: p.name,
      kana: p.kana,
      email: p.email,
      staffNumber: p.staff_number ?? '',
      unitId: p.unit_id ? String(p.unit_id) : '',
      affiliation: p.affiliation,
      roles: p.roles,
    };
    // The edit page also carries the person's status and actions.
    const extra = (
      <section class="person-actions">
        <p>
          {t('field.active')}: {t(p.active ? 'common.active' : 'common.inactive')}
        </p>
        {p.active ? (
          // Deactivating ends the person's logins (which cannot be given back): a confirmation page first.
          <form method="get" action={`/admin/people/${p.id}/deactivate`} class="inline-form">
            <button type="submit" class="button button--secondary button--danger">{t('personDeactivate.start')}</button>
          </form>
        ) : (
          <form method="post" action={`/admin/people/${p.id}/activate`} class="inline-form">
            <CsrfField token={csrf} />
            <button type="submit" class="button button--secondary">{t('common.activate')}</button>
          </form>
        )}{' '}
        {p.active ? (
          <form method="post" action={`/admin/people/${p.id}/invite`} class="inline-form">
            <CsrfField token={csrf} />
            <button type="submit" class="button button--secondary">{t('people.invite')}</button>
          </form>
        ) : null}
        <p>
          <a href={`/admin/people/${p.id}/history`}>{t('history.title')}</a> ・ <a href={`/admin/audit?entity=person&entityId=${p.id}`}>{t('audit.title')}</a>
        </p>
        {isAnonymised(p) ? (
          <p>
            <strong>{t('anonymise.status')}</strong>
          </p>
        ) : c.get('user')!.id !== p.id ? (
          <p>
            <a href={`/admin/people/${p.id}/anonymise`}>{t('anonymise.link')}</a>
          </p>
        ) : null}
      </section>
    );
    return form(c, values, null, p.id, 200, extra);
  });
  r.post('/admin/people/:id', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const body = await readForm(c);
    const res = await submit(() => updatePerson(c.get('ctx'), c.get('user'), id, body), (errors, status) => form(c, body, errors, id, status === 409 ? 409 : 422));
    if (!res.ok) return res.response;
    return c.redirect(`/admin/people/${id}?notice=common.saved`, 303);
  });
  r.post('/admin/people/:id/activate', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    await setPersonActive(c.get('ctx'), c.get('user'), id, true);
    return c.redirect(`/admin/people/${id}?notice=common.saved`, 303);
  });
  // --- Deactivating: a confirmation page saying what it does, then POST with the checkbox ticked ---
  const deactivatePage = async (c: Ctx, id: number, errors: FieldErrors | null = null, status: 200 | 409 | 422 = 200) => {
    const ctx = c.get('ctx');
    const p = await getPerson(ctx, id);
    if (!p) return c.notFound();
    const t = c.get('t');
    const title = t('personDeactivate.title');
    const live = (await myApplications(ctx, p.id)).filter((a) => ['applied', 'endorsed', 'confirmed', 'waitlisted'].includes(a.status)).length;
    return page(
      c,
      title,
      <>
        <p>
          <strong>{t('personDeactivate.lead', { name: p.name, email: p.email })}</strong>
        </p>
        {!p.active ? (
          <p>{t('common.inactive')}</p>
        ) : (
          <>
            <ul>
              <li>{t('personDeactivate.what1')}</li>
              <li>{t('personDeactivate.what2')}</li>
              <li>{t('personDeactivate.what3')}</li>
              {live ? <li>{t('personDeactivate.live', { count: live })}</li> : null}
            </ul>
            <ErrorSummary t={t} errors={errors} />
            <form method="post" action={`/admin/people/${p.id}/deactivate`} novalidate>
              <CsrfField token={c.get('csrf')} />
              <CheckboxGroup t={t} name="confirmDeactivate" label={t('field.confirmDeactivate')} values={[]} errors={errors} options={[{ value: 'yes', label: t('personDeactivate.confirmLabel') }]} />
              <div class="actions">
                <button type="submit" class="button button--danger">{t('common.deactivate')}</button>{' '}
                <a class="button button--secondary" href={`/admin/people/${p.id}`}>{t('common.back')}</a>
              </div>
            </form>
          </>
        )}
      </>,
      {
        crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('people.title'), href: '/admin/people' }, { label: p.name, href: `/admin/people/${p.id}` }, { label: title }],
        status,
      },
    );
  };
  r.get('/admin/people/:id/deactivate', ['admin'], (c) => deactivatePage(c, toId(c.req.param('id'))));
  r.post('/admin/people/:id/deactivate', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const body = await readForm(c);
    if (body.confirmDeactivate !== 'yes') return deactivatePage(c, id, { confirmDeactivate: { key: 'operations.error.confirm' } }, 422);
    const res = await submit(
      () => setPersonActive(c.get('ctx'), c.get('user'), id, false),
      (errors, status) => deactivatePage(c, id, errors, status === 409 ? 409 : 422),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/people/${id}?notice=common.saved`, 303);
  });
  // --- Anonymising a person who has left (decision 0014): a confirmation page, then POST --------
  const anonymiseForm = async (c: Ctx, id: number, values: FormBody = {}, errors: FieldErrors | null = null, status: 200 | 409 | 422 = 200) => {
    const p = await getPerson(c.get('ctx'), id);
    if (!p) return c.notFound();
    const t = c.get('t');
    const title = t('anonymise.title');
    return page(
      c,
      title,
      <>
        <p>{t('anonymise.lead')}</p>
        <p>
          <strong>{t('anonymise.person', { name: p.name, email: p.email })}</strong>
        </p>
        {isAnonymised(p) ? (
          <p>{t('anonymise.status')}</p>
        ) : (
          <>
            <h2>{t('anonymise.whatTitle')}</h2>
            <ul>
              <li>{t('anonymise.what1')}</li>
              <li>{t('anonymise.what2')}</li>
              <li>{t('anonymise.what3')}</li>
            </ul>
            <p>{t('anonymise.keep')}</p>
            <p>{t('anonymise.auditNote')}</p>
            <ErrorSummary t={t} errors={errors} />
            <form method="post" action={`/admin/people/${p.id}/anonymise`} novalidate>
              <CsrfField token={c.get('csrf')} />
              <TextArea t={t} name="reason" label={t('field.reason')} value={String(values.reason ?? '')} errors={errors} required maxlength={500} rows={3} />
              <CheckboxGroup t={t} name="confirm" label={t('field.confirm')} values={values.confirm ? ['on'] : []} errors={errors} options={[{ value: 'on', label: t('anonymise.confirmLabel') }]} />
              <button type="submit" class="button button--danger">
                {t('anonymise.submit')}
              </button>
            </form>
          </>
        )}
      </>,
      {
        crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('people.title'), href: '/admin/people' }, { label: p.name, href: `/admin/people/${p.id}` }, { label: title }],
        status,
      },
    );
  };
  r.get('/admin/people/:id/anonymise', ['admin'], (c) => anonymiseForm(c, toId(c.req.param('id'))));
  r.post('/admin/people/:id/anonymise', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const body = await readForm(c);
    const res = await submit(
      () => anonymisePerson(c.get('ctx'), c.get('user')!, id, body),
      (errors, status) => anonymiseForm(c, id, body, errors, status === 409 ? 409 : 422),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/people/${id}?notice=common.saved`, 303);
  });

  r.post('/admin/people/:id/invite', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    await invite(c.get('ctx'), c.get('user'), id);
    return c.redirect(`/admin/people/${id}?notice=people.invited`, 303);
  });
}
