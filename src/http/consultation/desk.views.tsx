import { formatTokyo, formatWareki } from '../../domain/calendar.js';
import { CONSULTATION_KINDS, CONSULTATION_STATUSES, type ConsultationStatus } from '../../domain/matching.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { ConsultationRow, deskMembers, workspace } from '../../services/consultation.service.js';
import { type Column, CsrfField, DataTable, Downloads, ErrorSummary, SelectField } from '../views/components.js';
import { ConsultationTable } from './consultation.views.js';
import { type Case, duration, statusText } from './presenter.js';

type Lang = 'ja' | 'en';

/** The desk's queue: open cases (or those of one status/kind), with the filters and downloads. */
export function QueueView({ t, lang, rows, filters, query, admin }: { t: Translate; lang: Lang; rows: ConsultationRow[]; filters: { status?: ConsultationStatus; kind?: string }; query: string; admin: boolean }) {
  return (
    <>
      <p>{t('consultations.desk.intro')}</p>
      {admin ? (
        <p class="actions">
          <a class="button button--secondary" href="/admin/coordinator-desk">
            {t('consultations.desk.members')}
          </a>
        </p>
      ) : null}
      <form method="get" action="/desk/consultations" class="filters" role="search">
        <SelectField t={t} plain name="status" label={t('common.status')} value={filters.status} blank={t('consultations.desk.openOnly')} options={CONSULTATION_STATUSES.map((s) => ({ value: s, label: t(`consultations.status.${s}`) }))} />
        <SelectField t={t} plain name="kind" label={t('field.kind')} value={filters.kind} blank="—" options={CONSULTATION_KINDS.map((k) => ({ value: k, label: t(`consultations.kind.${k}`) }))} />
        <button type="submit" class="button">
          {t('common.search')}
        </button>
      </form>
      <ConsultationTable t={t} lang={lang} rows={rows} caption={t('consultations.desk.title')} showRequester />
      <Downloads t={t} base="/desk/consultations" query={query} />
    </>
  );
}

/** The coordinator's open cases (with their part in each) or history (with the day each closed). */
function CaseTable({ t, lang, rows, caption, history }: { t: Translate; lang: Lang; rows: Case[]; caption: string; history: boolean }) {
  if (!rows.length) return <p>{t('consultations.none')}</p>;
  const columns: Column<Case>[] = [
    { key: 'title', label: t('field.title'), cell: (x) => <a href={`/consultations/${x.id}`}>{x.title}</a> },
    { key: 'kind', label: t('field.kind'), cell: (x) => t(`consultations.kind.${x.kind}`) },
    { key: 'unit', label: t('field.unitId'), cell: (x) => x.unit_name },
    { key: 'status', label: t('common.status'), cell: (x) => statusText(t, x) },
    history
      ? { key: 'closedOn', label: t('consultations.workspace.closedOn'), cell: (x) => (x.closed_at ? formatTokyo(x.closed_at, lang, 'date') : '') }
      : { key: 'myPart', label: t('consultations.workspace.myPart'), cell: (x) => t(`consultations.assignment.${x.assignment_status}`) },
    { key: 'myTime', label: t('consultations.workspace.myTime'), cell: (x) => duration(t, x.minutes) },
  ];
  return <DataTable t={t} caption={caption} columns={columns} rows={rows} />;
}

/** The coordinator's workspace: my load, my open cases, my history, and my practice for the renewal. */
export function WorkspaceView({ t, lang, w }: { t: Translate; lang: Lang; w: Awaited<ReturnType<typeof workspace>> }) {
  return (
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
      <CaseTable t={t} lang={lang} rows={w.open} caption={t('consultations.workspace.open')} history={false} />
      <h2>{t('consultations.workspace.history')}</h2>
      <CaseTable t={t} lang={lang} rows={w.history} caption={t('consultations.workspace.history')} history />
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
    </>
  );
}

type Member = Awaited<ReturnType<typeof deskMembers>>[number];

/** The desk's members (admins): who is on it, a button to take each off, and a form to add a coordinator. */
export function DeskMembersView({ t, csrf, members, choices, errors }: { t: Translate; csrf: string; members: Member[]; choices: { id: number; name: string; unit_name: string | null }[]; errors: FieldErrors | null }) {
  const on = new Set(members.map((m) => m.id));
  const columns: Column<Member>[] = [
    {
      key: 'name',
      label: t('field.name'),
      cell: (m) => (
        <>
          {m.name}
          <br />
          <span class="kana">{m.kana}</span>
        </>
      ),
    },
    { key: 'email', label: t('field.email'), cell: (m) => m.email },
    {
      key: 'actions',
      label: t('common.actions'),
      cell: (m) => (
        <form method="post" action="/admin/coordinator-desk" class="inline-form">
          <CsrfField token={csrf} />
          <input type="hidden" name="personId" value={String(m.id)} />
          <input type="hidden" name="desk" value="off" />
          <button type="submit" class="button button--small button--secondary" aria-label={t('consultations.desk.removeNamed', { name: m.name })}>
            {t('consultations.desk.remove')}
          </button>
        </form>
      ),
    },
  ];
  return (
    <>
      <ErrorSummary t={t} errors={errors} />
      <p>{t('consultations.desk.membersIntro')}</p>
      {members.length ? <DataTable t={t} caption={t('consultations.desk.members')} columns={columns} rows={members} /> : <p>{t('consultations.desk.noMembers')}</p>}
      <form method="post" action="/admin/coordinator-desk" novalidate>
        <CsrfField token={csrf} />
        <input type="hidden" name="desk" value="on" />
        <SelectField t={t} name="personId" label={t('consultations.desk.add')} errors={errors} required blank="—" options={choices.filter((p) => !on.has(p.id)).map((p) => ({ value: p.id, label: `${p.name}（${p.unit_name ?? ''}）` }))} />
        <button type="submit" class="button">
          {t('consultations.desk.addSubmit')}
        </button>
      </form>
    </>
  );
}
