import { fiscalYearOf } from '../../domain/calendar.js';
import type { FieldErrors } from '../../lib/validation.js';
import { createProgramme, getProgramme, listProgrammes, programmeOfferingCounts, updateProgramme } from '../../services/offering.service.js';
import { listUnits } from '../../services/unit.service.js';
import { type FormBody, formAction, toId } from '../forms.js';
import { noticeFrom, page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { ProgrammeForm, ProgrammeList, programmeValues } from './programme.views.js';

/** Programmes (研修事業): list with lineage, create, edit, close (last fiscal year), link to a predecessor. */
export function registerProgrammePages(r: Router) {
  r.get('/admin/programmes', ['admin'], async (c) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const [programmes, counts] = await Promise.all([listProgrammes(ctx), programmeOfferingCounts(ctx)]);
    return page(c, t('programmes.title'), <ProgrammeList t={t} lang={c.get('lang')} fy={fiscalYearOf(ctx.now())} programmes={programmes} counts={counts} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('programmes.title') }],
      notice: noticeFrom(c),
    });
  });

  const form = async (c: Ctx, id: number | null, values: FormBody, errors: FieldErrors | null, status: 200 | 409 | 422 = 200) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const [programmes, units] = await Promise.all([listProgrammes(ctx), listUnits(ctx, { activeOnly: true })]);
    const title = id ? t('programmes.edit') : t('programmes.new');
    return page(c, title, <ProgrammeForm t={t} lang={c.get('lang')} csrf={c.get('csrf')} id={id} values={values} errors={errors} programmes={programmes} units={units} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('programmes.title'), href: '/admin/programmes' }, { label: title }],
      status,
      notice: noticeFrom(c),
    });
  };

  r.get('/admin/programmes/new', ['admin'], (c) => form(c, null, {}, null));
  r.post('/admin/programmes', ['admin'], (c) =>
    formAction(c, {
      run: (body) => createProgramme(c.get('ctx'), c.get('user'), body),
      invalid: (body, errors, status) => form(c, null, body, errors, status === 409 ? 409 : 422),
      done: (p) => `/admin/programmes?notice=common.saved#programme-${p.id}`,
    }),
  );
  r.get('/admin/programmes/:id', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const p = await getProgramme(c.get('ctx'), id);
    if (!p) return c.notFound();
    return form(c, id, programmeValues(p), null);
  });
  r.post('/admin/programmes/:id', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    if (!(await getProgramme(c.get('ctx'), id))) return c.notFound();
    return formAction(c, {
      run: (body) => updateProgramme(c.get('ctx'), c.get('user'), id, body),
      invalid: (body, errors, status) => form(c, id, body, errors, status === 409 ? 409 : 422),
      done: () => `/admin/programmes?notice=common.saved#programme-${id}`,
    });
  });
}
