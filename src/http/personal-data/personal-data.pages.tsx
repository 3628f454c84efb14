import { toXlsx } from '../../lib/xlsx.js';
import type { FieldErrors } from '../../lib/validation.js';
import { getPerson } from '../../services/person.service.js';
import { anonymisePerson, exportPersonalData, isAnonymised } from '../../services/personal-data.service.js';
import { type FormBody, formAction, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { personalDataTables } from './presenter.js';
import { AnonymiseView, MyDataView } from './personal-data.views.js';

/** My data (to see and download), and anonymising a person who has left. */
export function registerPersonalDataPages(r: Router) {
  // --- My data: what Kyodo holds about me, to see and download (JSON, xlsx) ------------------
  r.get('/account/data', 'user', async (c) => {
    const t = c.get('t');
    const data = await exportPersonalData(c.get('ctx'), c.get('user')!.id);
    return page(c, t('mydata.title'), <MyDataView t={t} tables={personalDataTables(t, c.get('lang'), data)} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('mydata.title') }],
    });
  });
  r.get('/account/data.json', 'user', async (c) => {
    const data = await exportPersonalData(c.get('ctx'), c.get('user')!.id);
    return c.body(JSON.stringify(data, null, 2), 200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="kyodo-my-data-${data.profile.id}.json"`,
      'Cache-Control': 'no-store',
    });
  });
  r.get('/account/data.xlsx', 'user', async (c) => {
    const data = await exportPersonalData(c.get('ctx'), c.get('user')!.id);
    const body = await toXlsx(personalDataTables(c.get('t'), c.get('lang'), data));
    return c.body(new Uint8Array(body), 200, {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="kyodo-my-data-${data.profile.id}.xlsx"`,
      'Cache-Control': 'no-store',
    });
  });

  // --- Anonymising a person who has left (decision 0014): a confirmation page, then POST --------
  const anonymiseForm = async (c: Ctx, id: number, values: FormBody = {}, errors: FieldErrors | null = null, status: 200 | 409 | 422 = 200) => {
    const p = await getPerson(c.get('ctx'), id);
    if (!p) return c.notFound();
    const t = c.get('t');
    const title = t('anonymise.title');
    return page(c, title, <AnonymiseView t={t} csrf={c.get('csrf')} person={p} anonymised={isAnonymised(p)} values={values} errors={errors} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('people.title'), href: '/admin/people' }, { label: p.name, href: `/admin/people/${p.id}` }, { label: title }],
      status,
    });
  };
  r.get('/admin/people/:id/anonymise', ['admin'], (c) => anonymiseForm(c, toId(c.req.param('id'))));
  r.post('/admin/people/:id/anonymise', ['admin'], (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: (body) => anonymisePerson(c.get('ctx'), c.get('user')!, id, body),
      invalid: (body, errors, status) => anonymiseForm(c, id, body, errors, status === 409 ? 409 : 422),
      done: () => `/admin/people/${id}?notice=common.saved`,
    });
  });
}
