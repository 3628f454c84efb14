import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { formatTokyo, formatWareki, tokyoDateOf } from '../../domain/calendar.js';
import { ACTIVITY_KINDS, CONSULTATION_KINDS, CONSULTATION_OUTCOMES, CONSULTATION_STATUSES, type ConsultationStatus, type ScorePart } from '../../domain/matching.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { ExportColumn } from '../../lib/table-export.js';
import {
  assignCoordinators,
  closeConsultation,
  type ConsultationRow,
  coordinatorsForChoice,
  deskMembers,
  fileConsultation,
  getConsultation,
  logActivity,
  myRequests,
  queue,
  respondToAssignment,
  setDesk,
  suggestions,
  withdrawConsultation,
  workspace,
} from '../../services/consultation.service.js';
import { listPartners } from '../../services/partner.service.js';
import { listUnits } from '../../services/unit.service.js';
import { sendTable } from '../export.js';
import { type FormBody, readForm, submit, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { CheckboxGroup, type Column, CsrfField, DataTable, Downloads, ErrorSummary, SelectField, TextArea, TextField } from '../views/components.js';
import { PARTNER_FIELDS } from '../../domain/values.js';

const STAFF = ['staff', 'approver', 'coordinator'] as const;
const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');
const arr = (v: FormBody[string] | undefined) => (Array.isArray(v) ? v : typeof v === 'string' && v ? [v] : []);

/** Minutes as hours and minutes: 90 → 1時間30分. */
export function duration(t: Translate, minutes: number): string {
  return t('consultations.duration', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

const period = (t: Translate, lang: 'ja' | 'en', from: string | null, to: string | null) =>
  from || to ? t('consultations.periodRange', { from: from ? formatWareki(from, lang) : '', to: to ? formatWareki(to, lang) : '' }) : '—';

/** One part of a suggestion's score, worded: 分野 20/40（福祉）. */
export function partText(t: Translate, p: ScorePart): string {
  const detail = p.matched?.length ? p.matched.join('、') : p.count !== undefined ? t(`consultations.partCount.${p.key}` as never, { count: p.count }) : '';
  return `${t(`consultations.part.${p.key}`)} ${p.points}/${p.max}${detail ? `（${detail}）` : ''}`;
}

/** Ranked suggestions with the parts of each score (why it ranked there); the unit column when given. */
function SuggestionTable({ t, caption, rows, nameLabel }: { t: Translate; caption: string; rows: { name: string; unit?: string; score: number; parts: ScorePart[] }[]; nameLabel?: string }) {
  type Row = (typeof rows)[number] & { rank: number };
  const columns: Column<Row>[] = [
    { key: 'rank', label: t('consultations.rank'), cell: (r) => r.rank },
    { key: 'name', label: nameLabel ?? t('field.name'), cell: (r) => r.name },
    ...(rows.some((r) => r.unit !== undefined) ? [{ key: 'unit', label: t('field.unit'), cell: (r: Row) => r.unit ?? '' }] : []),
    { key: 'score', label: t('consultations.score'), cell: (r) => r.score },
    {
      key: 'why',
      label: t('consultations.why'),
      cell: (r) => (
        <ul class="small">
          {r.parts.map((p) => (
            <li>{partText(t, p)}</li>
          ))}
        </ul>
      ),
    },
  ];
  return <DataTable t={t} caption={caption} columns={columns} rows={rows.map((r, i) => ({ ...r, rank: i + 1 }))} basePath="" />;
}

/** A multiple choice as a labelled <select multiple> (for long lists), working without JavaScript. */
function MultiSelect(p: { t: Translate; name: string; label: string; hint?: string; values: string[]; options: { value: string; label: string }[]; errors?: FieldErrors | null; idPrefix?: string }) {
  const id = `f-${p.idPrefix ?? ''}${p.name}`;
  const error = p.errors?.[p.name];
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={id}>
        {p.label}
        <span class="badge">{p.t('common.optional')}</span>
      </label>
      {p.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {p.t(error.key, { field: p.label, ...error.params })}
        </p>
      ) : null}
      <select id={id} name={p.name} multiple size={Math.min(8, Math.max(3, p.options.length))} aria-describedby={[p.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined} aria-invalid={error ? 'true' : undefined}>
        {p.options.map((o) => (
          <option value={o.value} selected={p.values.includes(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function ConsultationTable({ t, lang, rows, caption, showRequester }: { t: Translate; lang: 'ja' | 'en'; rows: ConsultationRow[]; caption: string; showRequester: boolean }) {
  if (!rows.length) return <p>{t('consultations.none')}</p>;
  const columns: Column<ConsultationRow>[] = [
    { key: 'filed', label: t('consultations.filedOn'), cell: (r) => formatTokyo(r.created_at, lang, 'date') },
    { key: 'title', label: t('field.title'), cell: (r) => <a href={`/consultations/${r.id}`}>{r.title}</a> },
    { key: 'kind', label: t('field.kind'), cell: (r) => t(`consultations.kind.${r.kind}`) },
    { key: 'unit', label: t('field.unitId'), cell: (r) => r.unit_name },
    ...(showRequester ? [{ key: 'requester', label: t('consultations.requester'), cell: (r: ConsultationRow) => r.requester_name }] : []),
    { key: 'status', label: t('common.status'), cell: (r) => `${t(`consultations.status.${r.status}`)}${r.outcome ? `（${t(`consultations.outcome.${r.outcome}`)}）` : ''}` },
    { key: 'coordinators', label: t('consultations.coordinators'), cell: (r) => r.coordinator_names ?? '—' },
  ];
  return <DataTable t={t} caption={caption} columns={columns} rows={rows} basePath="" />;
}

const consultationColumns = (t: Translate): ExportColumn<ConsultationRow>[] => [
  { header: t('consultations.number'), value: (r) => r.id },
  { header: t('consultations.filedOn'), value: (r) => tokyoDateOf(r.created_at) },
  { header: t('field.title'), value: (r) => r.title },
  { header: t('field.kind'), value: (r) => t(`consultations.kind.${r.kind}`) },
  { header: t('field.fields'), value: (r) => r.fields.join('、') },
  { header: t('field.unitId'), value: (r) => r.unit_name },
  { header: t('consultations.requester'), value: (r) => r.requester_name },
  { header: t('field.goal'), value: (r) => r.goal },
  { header: t('field.desiredFrom'), value: (r) => r.desired_from ?? '' },
  { header: t('field.desiredTo'), value: (r) => r.desired_to ?? '' },
  { header: t('field.partnerInMind'), value: (r) => [r.partner_name, r.partner_in_mind].filter(Boolean).join('／') },
  { header: t('common.status'), value: (r) => t(`consultations.status.${r.status}`) },
  { header: t('field.outcome'), value: (r) => (r.outcome ? t(`consultations.outcome.${r.outcome}`) : '') },
  { header: t('consultations.coordinators'), value: (r) => r.coordinator_names ?? '' },
];

export function registerConsultations(r: Router) {
  const crumbs = (t: Translate, ...rest: { label: string; href?: string }[]) => [{ label: t('nav.home'), href: '/' }, { label: t('consultations.title'), href: '/consultations' }, ...rest];

  // --- My requests ---------------------------------------------------------------------------------
  r.get('/consultations', STAFF, async (c) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const rows = await myRequests(c.get('ctx'), user);
    const notice = c.req.query('notice') === 'filed' ? t('consultations.filed') : c.req.query('notice') === 'withdrawn' ? t('consultations.withdrawn') : null;
    return page(
      c,
      t('consultations.title'),
      <>
        <p>{t('consultations.intro')}</p>
        <p class="actions">
          <a class="button" href="/consultations/new">
            {t('consultations.new')}
          </a>
          {user.roles.includes('coordinator') ? (
            <a class="button button--secondary" href="/my/cases">
              {t('consultations.workspace.title')}
            </a>
          ) : null}
          {user.roles.includes('admin') || user.roles.includes('coordinator') ? (
            <a class="button button--secondary" href="/desk/consultations">
              {t('consultations.desk.title')}
            </a>
          ) : null}
        </p>
        <h2>{t('consultations.mine')}</h2>
        <ConsultationTable t={t} lang={c.get('lang')} rows={rows} caption={t('consultations.mine')} showRequester={false} />
        <Downloads t={t} base="/consultations" />
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('consultations.title') }], notice },
    );
  });
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/consultations.${format}`, STAFF, async (c) => sendTable(c, format, 'consultations', c.get('t')('consultations.mine'), consultationColumns(c.get('t')), await myRequests(c.get('ctx'), c.get('user')!)));

  // --- Filing --------------------------------------------------------------------------------------
  const newForm = async (c: Ctx, values: FormBody, errors: FieldErrors | null) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const [units, partners] = await Promise.all([listUnits(ctx, { activeOnly: true }), listPartners(ctx)]);
    const municipalities = units.filter((u) => u.kind === 'municipality');
    return page(
      c,
      t('consultations.new'),
      <>
        <ErrorSummary t={t} errors={errors} />
        <p>{t('consultations.newIntro')}</p>
        <form method="post" action="/consultations" novalidate>
          <CsrfField token={c.get('csrf')} />
          <SelectField t={t} name="kind" label={t('field.kind')} value={str(values.kind)} errors={errors} required blank="—" options={CONSULTATION_KINDS.map((k) => ({ value: k, label: t(`consultations.kindLong.${k}`) }))} />
          <TextField t={t} name="title" label={t('field.title')} hint={t('consultations.titleHint')} value={str(values.title)} errors={errors} required maxlength={200} />
          <SelectField t={t} name="unitId" label={t('field.unitId')} value={str(values.unitId)} errors={errors} required blank="—" options={units.filter((u) => u.kind !== 'department').map((u) => ({ value: u.id, label: u.name }))} />
          <TextField t={t} name="fields" label={t('field.fields')} hint={`${t('coordinators.fieldsHint')}（${PARTNER_FIELDS.join('、')}）`} value={str(values.fields)} errors={errors} />
          <CheckboxGroup t={t} name="areas" label={t('field.areas')} values={arr(values.areas)} errors={errors} options={municipalities.map((u) => ({ value: String(u.id), label: u.name }))} />
          <TextArea t={t} name="goal" label={t('field.goal')} hint={t('consultations.goalHint')} value={str(values.goal)} errors={errors} required maxlength={4000} rows={5} />
          <TextField t={t} name="desiredFrom" type="date" label={t('field.desiredFrom')} value={str(values.desiredFrom)} errors={errors} />
          <TextField t={t} name="desiredTo" type="date" label={t('field.desiredTo')} value={str(values.desiredTo)} errors={errors} />
          <SelectField t={t} name="partnerId" label={t('field.partnerId')} value={str(values.partnerId)} errors={errors} blank="—" options={partners.map((p) => ({ value: p.id, label: p.name }))} />
          <TextField t={t} name="partnerInMind" label={t('field.partnerInMind')} hint={t('consultations.partnerInMindHint')} value={str(values.partnerInMind)} errors={errors} maxlength={500} />
          <button type="submit" class="button">
            {t('consultations.submit')}
          </button>
        </form>
      </>,
      { crumbs: crumbs(t, { label: t('consultations.new') }), status: errors ? 422 : 200 },
    );
  };
  r.get('/consultations/new', STAFF, (c) => newForm(c, { unitId: String(c.get('user')!.unitId ?? '') }, null));
  r.post('/consultations', STAFF, async (c) => {
    const form = await readForm(c);
    const res = await submit(() => fileConsultation(c.get('ctx'), c.get('user')!, form), (errors) => newForm(c, form, errors));
    if (!res.ok) return res.response;
    return c.redirect(`/consultations/${res.value.id}?notice=filed`, 303);
  });

  // --- One case -------------------------------------------------------------------------------------
  const NOTICES = ['filed', 'assigned', 'accepted', 'declined', 'logged', 'closed', 'withdrawn'] as const;
  const detail = async (c: Ctx, id: number, opts: { errors?: FieldErrors | null; form?: 'assign' | 'decline' | 'log' | 'close' | 'withdraw'; values?: FormBody; status?: ContentfulStatusCode } = {}) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const d = await getConsultation(ctx, user, id);
    const k = d.consultation;
    const sug = d.can.triage ? await suggestions(ctx, user, id) : null;
    const needPartners = d.can.log;
    const [partners, coordinators] = await Promise.all([needPartners ? listPartners(ctx) : Promise.resolve([]), d.can.triage ? coordinatorsForChoice(ctx) : Promise.resolve([])]);
    const n = c.req.query('notice');
    const notice = NOTICES.find((x) => x === n) ? t(`consultations.notice.${n as (typeof NOTICES)[number]}`) : null;
    const errs = (f: typeof opts.form) => (opts.form === f ? (opts.errors ?? null) : null);
    const vals = (f: typeof opts.form) => (opts.form === f ? (opts.values ?? {}) : {});
    const top = sug?.coordinators.slice(0, 10) ?? [];
    const topIds = new Set(top.map((s) => s.candidate.personId));
    const section = (title: string, body: Child) => (
      <>
        <h2>{title}</h2>
        {body}
      </>
    );
    return page(
      c,
      k.title,
      <>
        <ErrorSummary t={t} errors={opts.errors ?? null} />
        <dl class="meta">
          <dt>{t('consultations.number')}</dt>
          <dd>{k.id}</dd>
          <dt>{t('field.kind')}</dt>
          <dd>{t(`consultations.kindLong.${k.kind}`)}</dd>
          <dt>{t('common.status')}</dt>
          <dd>
            {t(`consultations.status.${k.status}`)}
            {k.outcome ? `（${t(`consultations.outcome.${k.outcome}`)}）` : ''}
          </dd>
          <dt>{t('field.unitId')}</dt>
          <dd>{k.unit_name}</dd>
          <dt>{t('consultations.requester')}</dt>
          <dd>{k.requester_name}</dd>
          <dt>{t('consultations.filedOn')}</dt>
          <dd>{formatTokyo(k.created_at, lang, 'datetime')}</dd>
          <dt>{t('field.fields')}</dt>
          <dd>{k.fields.join('、') || '—'}</dd>
          <dt>{t('field.areas')}</dt>
          <dd>{d.areas.join('、') || '—'}</dd>
          <dt>{t('consultations.period')}</dt>
          <dd>{period(t, lang, k.desired_from, k.desired_to)}</dd>
          <dt>{t('field.partnerInMind')}</dt>
          <dd>{[k.partner_name, k.partner_in_mind].filter(Boolean).join('／') || '—'}</dd>
          {k.outcome_note ? (
            <>
              <dt>{k.status === 'withdrawn' ? t('field.reason') : t('field.note')}</dt>
              <dd>{k.outcome_note}</dd>
            </>
          ) : null}
        </dl>
        <h2>{t('field.goal')}</h2>
        <p class="mail-body">{k.goal}</p>
        {k.feedback_survey_id && d.relation.requester ? (
          <p>
            <a href={`/surveys/${k.feedback_survey_id}`}>{t('consultations.feedbackLink')}</a>
          </p>
        ) : null}
        {d.can.createProject ? (
          <p class="actions">
            <a class="button" href={`/projects/new?consultation=${k.id}`}>
              {t('projects.newFromConsultation')}
            </a>
          </p>
        ) : null}

        {section(
          t('consultations.assignments'),
          d.assignments.length ? (
            <ul>
              {d.assignments.map((a) => (
                <li>
                  {a.name}：{t(`consultations.assignment.${a.status}`)}
                  {a.decline_reason ? `（${a.decline_reason}）` : ''}
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('consultations.noAssignments')}</p>
          ),
        )}

        {d.can.respond ? (
          <div class="actions">
            <form method="post" action={`/consultations/${k.id}/accept`} class="stack">
              <CsrfField token={c.get('csrf')} />
              <button type="submit" class="button">
                {t('consultations.accept')}
              </button>
            </form>
            <form method="post" action={`/consultations/${k.id}/decline`} class="stack" novalidate>
              <CsrfField token={c.get('csrf')} />
              <TextField t={t} idPrefix="decline-" name="reason" label={t('field.reason')} value={str(vals('decline').reason)} errors={errs('decline')} required maxlength={1000} />
              <button type="submit" class="button button--secondary">
                {t('consultations.decline')}
              </button>
            </form>
          </div>
        ) : null}

        {sug ? (
          <>
            {section(
              t('consultations.suggestedCoordinators'),
              <>
                <p class="hint">{t('consultations.suggestionsHint')}</p>
                <SuggestionTable
                  t={t}
                  caption={t('consultations.suggestedCoordinators')}
                  rows={top.map((x) => ({ name: `${x.candidate.name}${x.eligible ? '' : `（${t('consultations.ineligible')}）`}`, unit: x.unitName ?? '', score: x.score, parts: x.parts }))}
                />
                <Downloads t={t} base={`/consultations/${k.id}/suggestions`} />
              </>,
            )}
            {section(
              t('consultations.suggestedPartners'),
              <>
                <SuggestionTable t={t} caption={t('consultations.suggestedPartners')} nameLabel={t('partners.orgName')} rows={sug.partners.slice(0, 10).map((x) => ({ name: x.candidate.name, score: x.score, parts: x.parts }))} />
              </>,
            )}
            {section(
              t('consultations.assign'),
              <form method="post" action={`/consultations/${k.id}/assign`} novalidate>
                <CsrfField token={c.get('csrf')} />
                <CheckboxGroup
                  t={t}
                  name="personIds"
                  label={t('consultations.assignSuggested')}
                  values={arr(vals('assign').personIds)}
                  errors={errs('assign')}
                  options={top.filter((s) => s.eligible).map((s, i) => ({ value: String(s.candidate.personId), label: t('consultations.assignOption', { rank: i + 1, name: s.candidate.name, score: s.score }) }))}
                />
                <SelectField
                  t={t}
                  idPrefix="other-"
                  name="personIds"
                  label={t('consultations.assignOther')}
                  hint={t('consultations.assignOtherHint')}
                  blank="—"
                  options={coordinators.filter((p) => !topIds.has(p.id)).map((p) => ({ value: p.id, label: `${p.name}（${p.unit_name ?? ''}）` }))}
                />
                <button type="submit" class="button">
                  {t('consultations.assignSubmit')}
                </button>
              </form>,
            )}
          </>
        ) : null}

        {section(
          t('consultations.log'),
          <>
            {d.activities.length ? (
              <div class="table-wrap">
                <table class="data-table">
                  <caption>{t('consultations.log')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('field.onDate')}</th>
                      <th scope="col">{t('field.kind')}</th>
                      <th scope="col">{t('field.minutes')}</th>
                      <th scope="col">{t('field.partnerIds')}</th>
                      <th scope="col">{t('field.note')}</th>
                      <th scope="col">{t('consultations.loggedBy')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.activities.map((a) => (
                      <tr>
                        <td>{formatWareki(a.on_date, lang)}</td>
                        <td>{t(`consultations.activityKind.${a.kind}`)}</td>
                        <td>{duration(t, a.minutes)}</td>
                        <td>{a.partners.join('、') || '—'}</td>
                        <td>{a.note}</td>
                        <td>{a.person_name}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p>{t('consultations.noActivities')}</p>
            )}
            <p>{t('consultations.totalTime', { time: duration(t, d.totalMinutes) })}</p>
            <Downloads t={t} base={`/consultations/${k.id}/activities`} />
            {d.can.log ? (
              <form method="post" action={`/consultations/${k.id}/activities`} novalidate>
                <h3>{t('consultations.logNew')}</h3>
                <CsrfField token={c.get('csrf')} />
                <TextField t={t} idPrefix="log-" name="onDate" type="date" label={t('field.onDate')} value={str(vals('log').onDate) || tokyoDateOf(ctx.now())} errors={errs('log')} required />
                <SelectField t={t} idPrefix="log-" name="kind" label={t('field.kind')} value={str(vals('log').kind)} errors={errs('log')} required options={ACTIVITY_KINDS.map((x) => ({ value: x, label: t(`consultations.activityKind.${x}`) }))} />
                <TextField t={t} idPrefix="log-" name="minutes" type="number" label={t('field.minutes')} hint={t('consultations.minutesHint')} value={str(vals('log').minutes)} errors={errs('log')} required />
                <MultiSelect t={t} idPrefix="log-" name="partnerIds" label={t('field.partnerIds')} hint={t('consultations.partnerIdsHint')} values={arr(vals('log').partnerIds)} errors={errs('log')} options={partners.map((p) => ({ value: String(p.id), label: p.name }))} />
                <TextArea t={t} idPrefix="log-" name="note" label={t('field.note')} value={str(vals('log').note)} errors={errs('log')} required maxlength={2000} rows={3} />
                <button type="submit" class="button">
                  {t('consultations.logSubmit')}
                </button>
              </form>
            ) : null}
          </>,
        )}

        {d.can.close
          ? section(
              t('consultations.close'),
              <form method="post" action={`/consultations/${k.id}/close`} novalidate>
                <CsrfField token={c.get('csrf')} />
                <SelectField t={t} idPrefix="close-" name="outcome" label={t('field.outcome')} value={str(vals('close').outcome)} errors={errs('close')} required blank="—" options={CONSULTATION_OUTCOMES.map((o) => ({ value: o, label: t(`consultations.outcome.${o}`) }))} />
                <TextArea t={t} idPrefix="close-" name="note" label={t('field.note')} value={str(vals('close').note)} errors={errs('close')} maxlength={2000} rows={3} />
                <p class="hint">{t('consultations.closeHint')}</p>
                <button type="submit" class="button">
                  {t('consultations.closeSubmit')}
                </button>
              </form>,
            )
          : null}

        {d.can.withdraw
          ? section(
              t('consultations.withdraw'),
              <form method="post" action={`/consultations/${k.id}/withdraw`} novalidate>
                <CsrfField token={c.get('csrf')} />
                <TextField t={t} idPrefix="withdraw-" name="reason" label={t('field.reason')} value={str(vals('withdraw').reason)} errors={errs('withdraw')} maxlength={1000} />
                <button type="submit" class="button button--danger">
                  {t('consultations.withdrawSubmit')}
                </button>
              </form>,
            )
          : null}
        {d.relation.admin ? (
          <p>
            <a href={`/admin/audit?entity=consultation&entityId=${k.id}`}>{t('audit.title')}</a>
          </p>
        ) : null}
      </>,
      { crumbs: crumbs(t, { label: k.title }), notice, status: opts.status ?? (opts.errors ? 422 : 200) },
    );
  };
  r.get('/consultations/:id', STAFF, (c) => detail(c, toId(c.req.param('id'))));

  const action = (path: string, form: 'assign' | 'decline' | 'log' | 'close' | 'withdraw' | null, access: typeof STAFF | readonly ['coordinator'], notice: string, run: (c: Ctx, id: number, body: FormBody) => Promise<unknown>) =>
    r.post(`/consultations/:id/${path}`, access, async (c) => {
      const id = toId(c.req.param('id'));
      const body = await readForm(c);
      const res = await submit(
        () => run(c, id, body),
        (errors, status) => detail(c, id, { errors, form: form ?? undefined, values: body, status }),
      );
      if (!res.ok) return res.response;
      return c.redirect(`/consultations/${id}?notice=${notice}`, 303);
    });
  action('assign', 'assign', ['coordinator'], 'assigned', (c, id, body) => assignCoordinators(c.get('ctx'), c.get('user')!, id, body));
  action('accept', null, ['coordinator'], 'accepted', (c, id) => respondToAssignment(c.get('ctx'), c.get('user')!, id, true));
  action('decline', 'decline', ['coordinator'], 'declined', (c, id, body) => respondToAssignment(c.get('ctx'), c.get('user')!, id, false, body));
  action('activities', 'log', ['coordinator'], 'logged', (c, id, body) => logActivity(c.get('ctx'), c.get('user')!, id, body));
  action('close', 'close', ['coordinator'], 'closed', (c, id, body) => closeConsultation(c.get('ctx'), c.get('user')!, id, body));
  action('withdraw', 'withdraw', STAFF, 'withdrawn', (c, id, body) => withdrawConsultation(c.get('ctx'), c.get('user')!, id, body));

  for (const format of ['csv', 'xlsx'] as const) {
    r.get(`/consultations/:id/activities.${format}`, STAFF, async (c) => {
      const t = c.get('t');
      const d = await getConsultation(c.get('ctx'), c.get('user')!, toId(c.req.param('id')));
      type A = (typeof d.activities)[number];
      return sendTable(c, format, `consultation-${d.consultation.id}-log`, t('consultations.log'), [
        { header: t('field.onDate'), value: (a: A) => a.on_date },
        { header: t('field.kind'), value: (a: A) => t(`consultations.activityKind.${a.kind}`) },
        { header: t('field.minutes'), value: (a: A) => a.minutes },
        { header: t('field.partnerIds'), value: (a: A) => a.partners.join('、') },
        { header: t('field.note'), value: (a: A) => a.note },
        { header: t('consultations.loggedBy'), value: (a: A) => a.person_name },
      ], d.activities);
    });
    r.get(`/consultations/:id/suggestions.${format}`, ['coordinator'], async (c) => {
      const t = c.get('t');
      const s = await suggestions(c.get('ctx'), c.get('user')!, toId(c.req.param('id')));
      type Row = { type: string; name: string; score: number; eligible: boolean; parts: ScorePart[] };
      const rows: Row[] = [
        ...s.coordinators.map((x) => ({ type: t('consultations.coordinator'), name: x.candidate.name, score: x.score, eligible: x.eligible, parts: x.parts })),
        ...s.partners.map((x) => ({ type: t('consultations.partner'), name: x.candidate.name, score: x.score, eligible: x.eligible, parts: x.parts })),
      ];
      return sendTable(c, format, `consultation-${s.consultation.id}-suggestions`, t('consultations.suggestions'), [
        { header: t('field.type'), value: (x: Row) => x.type },
        { header: `${t('field.name')}／${t('partners.orgName')}`, value: (x: Row) => x.name },
        { header: t('consultations.score'), value: (x: Row) => x.score },
        { header: t('consultations.why'), value: (x: Row) => x.parts.map((p) => partText(t, p)).join('／') },
        { header: t('consultations.eligible'), value: (x: Row) => (x.eligible ? t('common.yes') : t('common.no')) },
      ], rows);
    });
  }

  // --- The desk's queue ----------------------------------------------------------------------------
  const queueFilters = (c: Ctx) => ({ status: CONSULTATION_STATUSES.find((s) => s === c.req.query('status')) as ConsultationStatus | undefined, kind: CONSULTATION_KINDS.find((k) => k === c.req.query('kind')) });
  r.get('/desk/consultations', ['coordinator'], async (c) => {
    const t = c.get('t');
    const f = queueFilters(c);
    const rows = await queue(c.get('ctx'), c.get('user')!, f);
    const qs = new URLSearchParams(Object.entries(f).filter((e) => !!e[1]) as [string, string][]).toString();
    return page(
      c,
      t('consultations.desk.title'),
      <>
        <p>{t('consultations.desk.intro')}</p>
        {c.get('user')!.roles.includes('admin') ? (
          <p class="actions">
            <a class="button button--secondary" href="/admin/coordinator-desk">
              {t('consultations.desk.members')}
            </a>
          </p>
        ) : null}
        <form method="get" action="/desk/consultations" class="filters" role="search">
          <SelectField t={t} plain name="status" label={t('common.status')} value={f.status} blank={t('consultations.desk.openOnly')} options={CONSULTATION_STATUSES.map((s) => ({ value: s, label: t(`consultations.status.${s}`) }))} />
          <SelectField t={t} plain name="kind" label={t('field.kind')} value={f.kind} blank="—" options={CONSULTATION_KINDS.map((k) => ({ value: k, label: t(`consultations.kind.${k}`) }))} />
          <button type="submit" class="button">
            {t('common.search')}
          </button>
        </form>
        <ConsultationTable t={t} lang={c.get('lang')} rows={rows} caption={t('consultations.desk.title')} showRequester />
        <Downloads t={t} base="/desk/consultations" query={qs} />
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('consultations.desk.title') }] },
    );
  });
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/desk/consultations.${format}`, ['coordinator'], async (c) => sendTable(c, format, 'consultation-queue', c.get('t')('consultations.desk.title'), consultationColumns(c.get('t')), await queue(c.get('ctx'), c.get('user')!, queueFilters(c))));

  // --- The coordinator's workspace -----------------------------------------------------------------
  type Case = Awaited<ReturnType<typeof workspace>>['history'][number];
  const caseColumns = (t: Translate): ExportColumn<Case>[] => [
    { header: t('consultations.number'), value: (x) => x.id },
    { header: t('field.title'), value: (x) => x.title },
    { header: t('field.kind'), value: (x) => t(`consultations.kind.${x.kind}`) },
    { header: t('field.unitId'), value: (x) => x.unit_name },
    { header: t('common.status'), value: (x) => t(`consultations.status.${x.status}`) },
    { header: t('field.outcome'), value: (x) => (x.outcome ? t(`consultations.outcome.${x.outcome}`) : '') },
    { header: t('consultations.workspace.closedOn'), value: (x) => (x.closed_at ? tokyoDateOf(x.closed_at) : '') },
    { header: t('field.minutes'), value: (x) => x.minutes },
  ];
  r.get('/my/cases', ['coordinator'], async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const w = await workspace(c.get('ctx'), c.get('user')!);
    const caseTable = (rows: Case[], caption: string, history: boolean) =>
      rows.length ? (
        <div class="table-wrap">
          <table class="data-table">
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t('field.title')}</th>
                <th scope="col">{t('field.kind')}</th>
                <th scope="col">{t('field.unitId')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">{history ? t('consultations.workspace.closedOn') : t('consultations.workspace.myPart')}</th>
                <th scope="col">{t('consultations.workspace.myTime')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((x) => (
                <tr>
                  <td>
                    <a href={`/consultations/${x.id}`}>{x.title}</a>
                  </td>
                  <td>{t(`consultations.kind.${x.kind}`)}</td>
                  <td>{x.unit_name}</td>
                  <td>
                    {t(`consultations.status.${x.status}`)}
                    {x.outcome ? `（${t(`consultations.outcome.${x.outcome}`)}）` : ''}
                  </td>
                  <td>{history ? (x.closed_at ? formatTokyo(x.closed_at, lang, 'date') : '') : t(`consultations.assignment.${x.assignment_status}`)}</td>
                  <td>{duration(t, x.minutes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t('consultations.none')}</p>
      );
    return page(
      c,
      t('consultations.workspace.title'),
      <>
        {w.desk ? (
          <p class="actions">
            <a class="button button--secondary" href="/desk/consultations">
              {t('consultations.desk.title')}
            </a>
          </p>
        ) : null}
        <h2>{t('consultations.workspace.load')}</h2>
        <p role="status">{t('consultations.workspace.loadText', { offered: w.load.offered, accepted: w.load.accepted })}</p>
        <h2>{t('consultations.workspace.open')}</h2>
        {caseTable(w.open, t('consultations.workspace.open'), false)}
        <h2>{t('consultations.workspace.history')}</h2>
        {caseTable(w.history, t('consultations.workspace.history'), true)}
        <Downloads t={t} base="/my/cases" />
        <h2>{t('consultations.workspace.renewal')}</h2>
        {w.certification ? (
          <>
            <p>{t('consultations.workspace.renewalText', { since: w.since ? formatWareki(w.since, lang) : '—', cases: w.practice.cases, time: duration(t, w.practice.minutes) })}</p>
            <p>{t('consultations.workspace.validUntil', { date: w.certification.valid_until ? formatWareki(w.certification.valid_until, lang) : t('consultations.workspace.noEnd') })}</p>
          </>
        ) : (
          <p>{t('consultations.workspace.noCertification')}</p>
        )}
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('consultations.workspace.title') }] },
    );
  });
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/my/cases.${format}`, ['coordinator'], async (c) => {
      const w = await workspace(c.get('ctx'), c.get('user')!);
      return sendTable(c, format, 'my-cases', c.get('t')('consultations.workspace.title'), caseColumns(c.get('t')), [...w.open, ...w.history]);
    });

  // --- The desk's members (admins) -----------------------------------------------------------------
  const deskPage = async (c: Ctx, errors: FieldErrors | null = null, notice: string | null = null) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const [members, coordinators] = await Promise.all([deskMembers(ctx), coordinatorsForChoice(ctx)]);
    const on = new Set(members.map((m) => m.id));
    return page(
      c,
      t('consultations.desk.members'),
      <>
        <ErrorSummary t={t} errors={errors} />
        <p>{t('consultations.desk.membersIntro')}</p>
        {members.length ? (
          <table class="data-table">
            <caption>{t('consultations.desk.members')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('field.name')}</th>
                <th scope="col">{t('field.email')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr>
                  <td>
                    {m.name}
                    <br />
                    <span class="kana">{m.kana}</span>
                  </td>
                  <td>{m.email}</td>
                  <td>
                    <form method="post" action="/admin/coordinator-desk" class="inline-form">
                      <CsrfField token={c.get('csrf')} />
                      <input type="hidden" name="personId" value={String(m.id)} />
                      <input type="hidden" name="desk" value="off" />
                      <button type="submit" class="button button--small button--secondary" aria-label={t('consultations.desk.removeNamed', { name: m.name })}>
                        {t('consultations.desk.remove')}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>{t('consultations.desk.noMembers')}</p>
        )}
        <form method="post" action="/admin/coordinator-desk" novalidate>
          <CsrfField token={c.get('csrf')} />
          <input type="hidden" name="desk" value="on" />
          <SelectField t={t} name="personId" label={t('consultations.desk.add')} errors={errors} required blank="—" options={coordinators.filter((p) => !on.has(p.id)).map((p) => ({ value: p.id, label: `${p.name}（${p.unit_name ?? ''}）` }))} />
          <button type="submit" class="button">
            {t('consultations.desk.addSubmit')}
          </button>
        </form>
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('consultations.desk.title'), href: '/desk/consultations' }, { label: t('consultations.desk.members') }], notice, status: errors ? 422 : 200 },
    );
  };
  r.get('/admin/coordinator-desk', ['admin'], (c) => deskPage(c, null, c.req.query('notice') === 'saved' ? c.get('t')('common.saved') : null));
  r.post('/admin/coordinator-desk', ['admin'], async (c) => {
    const form = await readForm(c);
    const res = await submit(() => setDesk(c.get('ctx'), c.get('user'), form), (errors) => deskPage(c, errors));
    if (!res.ok) return res.response;
    return c.redirect('/admin/coordinator-desk?notice=saved', 303);
  });
}
