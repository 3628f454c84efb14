import { formatFiscalYear, formatWareki } from '../../domain/calendar.js';
import type { CoordinatorStatus } from '../../domain/completion.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import { coordinatorDirectory, getCoordinatorProfile, saveCoordinatorProfile } from '../../services/coordinator.service.js';
import { type HistoryRow, trainingHistory } from '../../services/history.service.js';
import { getPerson } from '../../services/person.service.js';
import { getUnit, listUnits } from '../../services/unit.service.js';
import { sendTable } from '../export.js';
import { readForm, submit, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { CheckboxGroup, CsrfField, Downloads, ErrorSummary, SelectField, TextArea, TextField } from '../views/components.js';

const STATUSES: CoordinatorStatus[] = ['active', 'expiring', 'expired'];

function HistoryTable({ t, lang, rows, showPerson }: { t: Translate; lang: 'ja' | 'en'; rows: HistoryRow[]; showPerson: boolean }) {
  if (!rows.length) return <p>{t('history.none')}</p>;
  return (
    <table class="data-table">
      <caption>{t('history.title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('field.fiscalYear')}</th>
          {showPerson ? <th scope="col">{t('field.name')}</th> : null}
          <th scope="col">{t('field.programme')}</th>
          <th scope="col">{t('field.title')}</th>
          <th scope="col">{t('common.status')}</th>
          <th scope="col">{t('history.certificates')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr>
            <td>{formatFiscalYear(r.fiscalYear, lang, 'wareki')}</td>
            {showPerson ? <td>{r.name}</td> : null}
            <td>{r.programme ?? ''}</td>
            <td>
              {r.title}
              {r.imported ? <span class="small">{t('history.imported')}</span> : null}
            </td>
            <td>{r.completed ? t('completion.completed') : r.imported ? t('completion.notCompleted') : t(`status.${r.status as 'confirmed'}`)}</td>
            <td>{r.certificateNumber ? <a href={`/certificates/${r.certificateNumber}`}>{r.certificateNumber}</a> : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const historyColumns = (t: Translate) => [
  { header: t('field.fiscalYear'), value: (r: HistoryRow) => formatFiscalYear(r.fiscalYear, 'ja') },
  { header: t('field.name'), value: (r: HistoryRow) => r.name },
  { header: t('field.kana'), value: (r: HistoryRow) => r.kana },
  { header: t('field.unit'), value: (r: HistoryRow) => r.unitName },
  { header: t('field.programme'), value: (r: HistoryRow) => r.programme },
  { header: t('field.title'), value: (r: HistoryRow) => r.title },
  { header: t('field.completed'), value: (r: HistoryRow) => (r.completed ? t('completion.completed') : t('completion.notCompleted')) },
  { header: t('certificate.number'), value: (r: HistoryRow) => r.certificateNumber },
  { header: t('field.note'), value: (r: HistoryRow) => (r.imported ? t('history.imported') : '') },
];

export function registerCoordinators(r: Router) {
  // --- Directory -------------------------------------------------------------------------------
  // Partner members do not see staff data: the directory is for staff.
  r.get('/coordinators', ['staff', 'approver', 'coordinator'], async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const admin = c.get('user')!.roles.includes('admin');
    const q = c.req.query('q')?.slice(0, 100) || undefined;
    const areaId = (toId(c.req.query('area')) || undefined);
    const status = STATUSES.find((s) => s === c.req.query('status'));
    const statuses = admin ? (status ? [status] : STATUSES) : (['active', 'expiring'] as CoordinatorStatus[]);
    const [entries, units] = await Promise.all([coordinatorDirectory(ctx, { q, areaId, statuses }), listUnits(ctx, { kind: 'municipality', activeOnly: true })]);
    return page(
      c,
      t('coordinators.title'),
      <>
        <form method="get" action="/coordinators" class="filters" role="search">
          <TextField t={t} plain name="q" type="search" label={t('coordinators.search')} value={q} />
          <SelectField t={t} plain name="area" label={t('coordinators.area')} value={areaId} blank="—" options={units.map((u) => ({ value: u.id, label: u.name }))} />
          {admin ? <SelectField t={t} plain name="status" label={t('common.status')} value={status} blank="—" options={STATUSES.map((s) => ({ value: s, label: t(`coordinators.status.${s}`) }))} /> : null}
          <button type="submit" class="button">{t('common.search')}</button>
        </form>
        {entries.length ? (
          <ul class="card-list">
            {entries.map((e) => (
              <li class="card coordinator">
                <h2>{e.name}</h2>
                <p class="kana">{e.kana}</p>
                <p>{e.unitName ?? ''}</p>
                <dl class="meta">
                  <dt>{t('coordinators.field')}</dt>
                  <dd>{e.fields.join('、') || '—'}</dd>
                  <dt>{t('coordinators.area')}</dt>
                  <dd>{e.areas.map((a) => a.name).join('、') || '—'}</dd>
                  <dt>{t('coordinators.availability')}</dt>
                  <dd>{e.availability || '—'}</dd>
                  <dt>{t('coordinators.validUntil')}</dt>
                  <dd>
                    {e.validUntil ? formatWareki(e.validUntil, lang) : '—'}（{t(`coordinators.status.${e.status}`)}）
                  </dd>
                </dl>
                {e.introduction ? <p>{e.introduction}</p> : null}
                <p>
                  <a href={`mailto:${e.email}`}>{e.email}</a>
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('coordinators.none')}</p>
        )}
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('coordinators.title') }] },
    );
  });

  // --- Own profile -------------------------------------------------------------------------------
  const profileForm = async (c: Ctx, values: Record<string, unknown> | null, errors: FieldErrors | null, notice: string | null = null) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const { profile } = await getCoordinatorProfile(ctx, c.get('user')!.id);
    const units = await listUnits(ctx, { kind: 'municipality', activeOnly: true });
    const v = values ?? {
      fields: (profile?.fields ?? []).join('、'),
      areas: (profile?.area_unit_ids ?? []).map(String),
      availability: profile?.availability ?? '',
      introduction: profile?.introduction ?? '',
    };
    const areas = Array.isArray(v.areas) ? (v.areas as string[]) : v.areas ? [String(v.areas)] : [];
    return page(
      c,
      t('coordinators.profile'),
      <>
        <ErrorSummary t={t} errors={errors} />
        <form method="post" action="/my/coordinator-profile" novalidate>
          <CsrfField token={c.get('csrf')} />
          <TextField t={t} name="fields" label={t('field.fields')} hint={t('coordinators.fieldsHint')} value={String(v.fields ?? '')} errors={errors} />
          <CheckboxGroup t={t} name="areas" label={t('field.areas')} values={areas} errors={errors} options={units.map((u) => ({ value: String(u.id), label: u.name }))} />
          <TextField t={t} name="availability" label={t('field.availability')} value={String(v.availability ?? '')} errors={errors} maxlength={500} />
          <TextArea t={t} name="introduction" label={t('field.introduction')} value={String(v.introduction ?? '')} errors={errors} maxlength={2000} />
          <button type="submit" class="button">{t('coordinators.profileSave')}</button>
        </form>
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('coordinators.profile') }], notice, status: errors ? 422 : 200 },
    );
  };
  r.get('/my/coordinator-profile', ['coordinator'], (c) => profileForm(c, null, null));
  r.post('/my/coordinator-profile', ['coordinator'], async (c) => {
    const form = await readForm(c);
    const res = await submit(() => saveCoordinatorProfile(c.get('ctx'), c.get('user')!, form), (errors) => profileForm(c, form, errors));
    if (!res.ok) return res.response;
    return profileForm(c, null, null, c.get('t')('common.saved'));
  });

  // --- Training history (研修履歴) --------------------------------------------------------------
  const historyPage = async (c: Ctx, title: string, rows: HistoryRow[], base: string, showPerson: boolean) => {
    const t = c.get('t');
    return page(
      c,
      title,
      <>
        <HistoryTable t={t} lang={c.get('lang')} rows={rows} showPerson={showPerson} />
        <Downloads t={t} base={base} />
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: title }] },
    );
  };
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
