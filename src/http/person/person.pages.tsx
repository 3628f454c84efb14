import type { Child } from 'hono/jsx';
import type { PersonSort } from '../../db/repositories/person.repository.js';
import { mayAnonymisePerson } from '../../domain/policies/person.js';
import { AFFILIATIONS, type Affiliation, ROLES, type Role } from '../../domain/values.js';
import type { FieldErrors } from '../../lib/validation.js';
import { invite } from '../../services/account.service.js';
import { myApplications } from '../../services/application.service.js';
import { invalid } from '../../services/context.js';
import { createPerson, getPerson, listPeople, peopleDirectory, setPersonActive, updatePerson } from '../../services/person.service.js';
import { isAnonymised } from '../../services/personal-data.service.js';
import { listUnitPicks } from '../../services/unit.service.js';
import { sendTable } from '../export.js';
import { type FormBody, formAction, loadPage, pageParams, toId } from '../forms.js';
import { fragmentCache } from '../fragment-cache.js';
import { noticeFrom, page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { personExportColumns } from './presenter.js';
import { unitReferences } from '../../services/import.service.js';
import { PeopleListView } from './person-list.views.js';
import { DeactivateView, PersonActions, PersonFormView } from './person-form.views.js';

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

const status = (s: number) => (s === 409 ? 409 : 422);

export function registerPersonPages(r: Router) {
  // The directory's body is a function of the people and units read, the query and the language
  // alone: kept under exactly those (`fragmentCache`), it is drawn again only when one of them changes.
  const directories = fragmentCache(32);
  r.get('/admin/people', ['admin'], async (c) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const q = listQuery(c);
    const l = pageParams(c);
    const limit = l.limit;
    const lang = c.get('lang');
    const query = {
      q: q.q,
      unit: q.unitId ? String(q.unitId) : undefined,
      affiliation: q.affiliation,
      role: q.role,
      inactive: q.includeInactive ? '1' : undefined,
      sort: q.sort,
      dir: q.dir,
    };
    // The page, the number of matches and the unit filter's units in one statement (peopleDirectory);
    // the rows themselves only when this very page is not drawn already.
    let key = '';
    let drawn: Child | undefined;
    const keyOf = (p: { limit: number; offset: number }, fingerprint: string) => `${lang}|${JSON.stringify(query)}|${p.limit}|${p.offset}|${fingerprint}`;
    const d = await loadPage(l, async (p) => {
      const found = await peopleDirectory(ctx, { ...q, ...p }, (fp) => (drawn = directories.peek(keyOf(p, fp))) !== undefined);
      key = keyOf(p, found.fingerprint);
      return found;
    });
    const pages = Math.max(1, Math.ceil(d.total / limit));
    const body = drawn ?? directories(key, () => <PeopleListView t={t} rows={d.rows} total={d.total} page={d.page} pages={pages} units={d.units} query={query} />);
    return page(c, t('people.title'), body, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('people.title') }],
      notice: noticeFrom(c),
    });
  });

  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/people.${format}`, ['admin'], async (c) => {
      const t = c.get('t');
      const { rows } = await listPeople(c.get('ctx'), { ...listQuery(c), limit: 1_000_000, offset: 0 });
      return sendTable(c, format, 'people', t('people.title'), personExportColumns(t, await unitReferences(c.get('ctx'))), rows);
    });

  const form = async (c: Ctx, values: Partial<Record<string, unknown>>, errors: FieldErrors | null, id: number | null, status: 200 | 404 | 409 | 422 = 200, extra: Child = null) => {
    const t = c.get('t');
    const units = await listUnitPicks(c.get('ctx'));
    const title = id ? t('people.edit') : t('people.new');
    return page(c, title, <PersonFormView t={t} csrf={c.get('csrf')} id={id} values={values} errors={errors} units={units} extra={extra} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('people.title'), href: '/admin/people' }, { label: title }],
      status,
      notice: noticeFrom(c),
    });
  };

  r.get('/admin/people/new', ['admin'], (c) => form(c, { affiliation: 'prefecture' }, null, null));
  r.post('/admin/people', ['admin'], (c) =>
    formAction(c, {
      run: async (body) => {
        const p = await createPerson(c.get('ctx'), c.get('user'), body);
        if (body.invite) await invite(c.get('ctx'), c.get('user'), p.id);
        return p;
      },
      invalid: (body, errors, s) => form(c, body, errors, null, status(s)),
      done: (p, body) => `/admin/people/${p.id}?notice=${body.invite ? 'people.invited' : 'common.saved'}`,
    }),
  );
  r.get('/admin/people/:id', ['admin'], async (c) => {
    const p = await getPerson(c.get('ctx'), toId(c.req.param('id')));
    if (!p) return c.notFound();
    const values: FormBody = {
      name: p.name,
      kana: p.kana,
      email: p.email,
      staffNumber: p.staff_number ?? '',
      jobTitle: p.title ?? '',
      unitId: p.unit_id ? String(p.unit_id) : '',
      affiliation: p.affiliation,
      roles: p.roles,
    };
    const anonymised = isAnonymised(p);
    const extra = <PersonActions t={c.get('t')} csrf={c.get('csrf')} p={p} anonymised={anonymised} mayAnonymise={mayAnonymisePerson(c.get('user'), { id: p.id, anonymised })} />;
    return form(c, values, null, p.id, 200, extra);
  });
  r.post('/admin/people/:id', ['admin'], (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: (body) => updatePerson(c.get('ctx'), c.get('user'), id, body),
      invalid: (body, errors, s) => form(c, body, errors, id, status(s)),
      done: () => `/admin/people/${id}?notice=common.saved`,
    });
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
    return page(c, title, <DeactivateView t={t} csrf={c.get('csrf')} p={p} live={live} errors={errors} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('people.title'), href: '/admin/people' }, { label: p.name, href: `/admin/people/${p.id}` }, { label: title }],
      status,
    });
  };
  r.get('/admin/people/:id/deactivate', ['admin'], (c) => deactivatePage(c, toId(c.req.param('id'))));
  r.post('/admin/people/:id/deactivate', ['admin'], (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: async (body) => {
        if (body.confirmDeactivate !== 'yes') throw invalid({ confirmDeactivate: { key: 'operations.error.confirm' } });
        await setPersonActive(c.get('ctx'), c.get('user'), id, false);
      },
      invalid: (_body, errors, s) => deactivatePage(c, id, errors, status(s)),
      done: () => `/admin/people/${id}?notice=common.saved`,
    });
  });
  // Anonymising (decision 0014) is in personal-data/personal-data.pages.tsx.

  r.post('/admin/people/:id/invite', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    await invite(c.get('ctx'), c.get('user'), id);
    return c.redirect(`/admin/people/${id}?notice=people.invited`, 303);
  });
}
