import { fiscalYearOf, formatFiscalYear } from '../../domain/calendar.js';
import { hasEnded, lineageOf } from '../../domain/programme.js';
import type { Programme } from '../../db/schema.js';
import type { FieldErrors } from '../../lib/validation.js';
import { createProgramme, getProgramme, programmeOfferingCounts, updateProgramme } from '../../services/offering.service.js';
import { listUnits } from '../../services/unit.service.js';
import { type FormBody, readForm, submit, toId } from '../forms.js';
import { noticeFrom, page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { CsrfField, ErrorSummary, SelectField, TextArea, TextField } from '../views/components.js';
import { PROGRAMME_KINDS } from '../../domain/values.js';
import { listProgrammes } from '../../services/offering.service.js';

const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');

function programmeValues(p: Programme): FormBody {
  return {
    name: p.name,
    nameEn: p.name_en,
    kana: p.kana,
    kind: p.kind,
    description: p.description,
    owningUnitId: p.owning_unit_id ? String(p.owning_unit_id) : '',
    predecessorId: p.predecessor_id ? String(p.predecessor_id) : '',
    firstFiscalYear: p.first_fiscal_year ? String(p.first_fiscal_year) : '',
    lastFiscalYear: p.last_fiscal_year ? String(p.last_fiscal_year) : '',
  };
}

/** Programmes (研修事業): list with lineage, create, edit, close (last fiscal year), link to a predecessor. */
export function registerProgrammes(r: Router) {
  r.get('/admin/programmes', ['admin'], async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const [programmes, counts] = await Promise.all([listProgrammes(ctx), programmeOfferingCounts(ctx)]);
    const byId = new Map(programmes.map((p) => [p.id, p]));
    const nameOf = (p: { name: string; name_en: string } | undefined) => (p ? (lang === 'en' ? p.name_en : p.name) : '');
    const fy = fiscalYearOf(ctx.now());
    const period = (p: (typeof programmes)[number]) =>
      p.first_fiscal_year
        ? p.last_fiscal_year
          ? `${formatFiscalYear(p.first_fiscal_year, lang)} – ${formatFiscalYear(p.last_fiscal_year, lang)}`
          : t('programmes.fromYear', { fy: formatFiscalYear(p.first_fiscal_year, lang) })
        : '';
    return page(
      c,
      t('programmes.title'),
      <>
        <p>{t('programmes.lead')}</p>
        <p class="actions">
          <a class="button" href="/admin/programmes/new">
            {t('programmes.new')}
          </a>
        </p>
        <div class="table-wrap">
          <table class="data-table">
            <caption>{t('programmes.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('field.programme')}</th>
                <th scope="col">{t('programmes.period')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">{t('programmes.owner')}</th>
                <th scope="col">{t('programmes.predecessor')}</th>
                <th scope="col">{t('programmes.offerings')}</th>
                <th scope="col">{t('programmes.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {programmes.map((p) => {
                const lineage = lineageOf(programmes, p.id);
                return (
                  <tr id={`programme-${p.id}`}>
                    <td>
                      <strong>{nameOf(p)}</strong>
                      <p class="small">{p.description}</p>
                      {lineage.length > 1 ? <p class="small">{t('programmes.lineageOf', { lineage: lineage.map((id) => nameOf(byId.get(id))).join(' ← ') })}</p> : null}
                    </td>
                    <td>{period(p)}</td>
                    <td>{hasEnded(p, fy) ? t('programmes.closed') : t('programmes.open')}</td>
                    <td>{p.owning_unit_name ?? ''}</td>
                    <td>{p.predecessor_id ? nameOf(byId.get(p.predecessor_id)) : '—'}</td>
                    <td>{counts.get(p.id) ?? 0}</td>
                    <td>
                      <a href={`/admin/programmes/${p.id}`} aria-label={`${t('programmes.editLink')}：${nameOf(p)}`}>
                        {t('programmes.editLink')}
                      </a>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('programmes.title') }], notice: noticeFrom(c) },
    );
  });

  const form = async (c: Ctx, id: number | null, values: FormBody, errors: FieldErrors | null, status: 200 | 409 | 422 = 200) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const [programmes, units] = await Promise.all([listProgrammes(ctx), listUnits(ctx, { activeOnly: true })]);
    const title = id ? t('programmes.edit') : t('programmes.new');
    // The visible labels of fields whose catalogue label means something else elsewhere (氏名, 計画期間の…).
    const labels = { name: t('field.programmeName'), kind: t('field.programmeKind'), firstFiscalYear: t('programmes.firstYear'), lastFiscalYear: t('programmes.lastYear') };
    return page(
      c,
      title,
      <>
        <ErrorSummary t={t} errors={errors} labels={labels} />
        <form method="post" action={id ? `/admin/programmes/${id}` : '/admin/programmes'} novalidate>
          <CsrfField token={c.get('csrf')} />
          <TextField t={t} name="name" label={labels.name} value={str(values.name)} errors={errors} required maxlength={200} />
          <TextField t={t} name="nameEn" label={t('field.nameEn')} value={str(values.nameEn)} errors={errors} maxlength={200} />
          <TextField t={t} name="kana" label={t('field.kana')} value={str(values.kana)} errors={errors} maxlength={200} />
          <SelectField t={t} name="kind" label={labels.kind} value={str(values.kind) || 'other'} errors={errors} required options={PROGRAMME_KINDS.map((k) => ({ value: k, label: t(`programmeKind.${k}`) }))} />
          <SelectField
            t={t}
            name="owningUnitId"
            label={t('field.owningUnitId')}
            value={str(values.owningUnitId)}
            errors={errors}
            blank="—"
            options={units.map((u) => ({ value: u.id, label: `${'　'.repeat(u.depth)}${u.name}` }))}
          />
          <SelectField
            t={t}
            name="predecessorId"
            label={t('field.predecessorId')}
            value={str(values.predecessorId)}
            errors={errors}
            blank={t('programmes.noPredecessor')}
            options={programmes.filter((p) => p.id !== id).map((p) => ({ value: p.id, label: lang === 'en' ? p.name_en : p.name }))}
          />
          <TextField t={t} name="firstFiscalYear" label={labels.firstFiscalYear} hint={t('programmes.yearHint')} value={str(values.firstFiscalYear)} errors={errors} maxlength={20} />
          <TextField t={t} name="lastFiscalYear" label={labels.lastFiscalYear} hint={`${t('programmes.closeHint')} ${t('programmes.yearHint')}`} value={str(values.lastFiscalYear)} errors={errors} maxlength={20} />
          <TextArea t={t} name="description" label={t('field.description')} value={str(values.description)} errors={errors} maxlength={4000} />
          <button type="submit" class="button">
            {id ? t('common.save') : t('common.create')}
          </button>
        </form>
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('programmes.title'), href: '/admin/programmes' }, { label: title }], status, notice: noticeFrom(c) },
    );
  };

  r.get('/admin/programmes/new', ['admin'], (c) => form(c, null, {}, null));
  r.post('/admin/programmes', ['admin'], async (c) => {
    const body = await readForm(c);
    const res = await submit(() => createProgramme(c.get('ctx'), c.get('user'), body), (errors, status) => form(c, null, body, errors, status === 409 ? 409 : 422));
    if (!res.ok) return res.response;
    return c.redirect(`/admin/programmes?notice=common.saved#programme-${res.value.id}`, 303);
  });
  r.get('/admin/programmes/:id', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const p = await getProgramme(c.get('ctx'), id);
    if (!p) return c.notFound();
    return form(c, id, programmeValues(p), null);
  });
  r.post('/admin/programmes/:id', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    if (!(await getProgramme(c.get('ctx'), id))) return c.notFound();
    const body = await readForm(c);
    const res = await submit(() => updateProgramme(c.get('ctx'), c.get('user'), id, body), (errors, status) => form(c, id, body, errors, status === 409 ? 409 : 422));
    if (!res.ok) return res.response;
    return c.redirect(`/admin/programmes?notice=common.saved#programme-${id}`, 303);
  });
}
