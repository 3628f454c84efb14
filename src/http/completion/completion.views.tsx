import { formatTokyo } from '../../domain/calendar.js';
import type { AttendanceStatus, CompletionRule } from '../../domain/completion.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { completionTable } from '../../services/completion.service.js';
import type { FormBody } from '../forms.js';
import { CheckboxGroup, type Column, CsrfField, DataTable, ErrorSummary, TextField } from '../views/components.js';

type Table = Awaited<ReturnType<typeof completionTable>>;
type Participant = Table['rows'][number];

export const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v.trim() : '');
export const formList = (v: FormBody[string] | undefined): string[] => (Array.isArray(v) ? v : typeof v === 'string' && v ? [v] : []);

/** The rule in words: 全回出席 / n回以上出席, the required sessions, 課題, 承認. */
export function ruleText(t: Translate, rule: CompletionRule, sessions: readonly { id: number; title: string }[]): string {
  const required = (rule.requiredSessionIds ?? []).map((id) => sessions.find((s) => s.id === id)?.title).filter((x): x is string => !!x);
  const parts = [rule.minSessions !== undefined ? t('completion.ruleMin', { n: rule.minSessions }) : required.length ? '' : t('completion.ruleAll')];
  if (required.length) parts.push(t('completion.ruleRequired', { titles: required.join('、') }));
  if (rule.assignment) parts.push(t('completion.assignment'));
  if (rule.signOff) parts.push(t('completion.signOff'));
  return parts.filter(Boolean).join('・');
}

function attendanceLabel(t: Translate, s: AttendanceStatus | undefined) {
  return s ? t(`attendance.${s}`) : t('attendance.none');
}

/** The form that changes the rule, filled with the rule or with what was posted (then open). */
function RuleForm({ t, lang, csrf, offeringId, rule, sessions, errors, ruleValues }: { t: Translate; lang: Lang; csrf: string; offeringId: number; rule: CompletionRule; sessions: Table['sessions']; errors: FieldErrors | null; ruleValues: FormBody | null }) {
  return (
    <details class="rule-edit" open={ruleValues ? true : undefined}>
      <summary>{t('completion.ruleEdit')}</summary>
      <form method="post" action={`/admin/offerings/${offeringId}/completion-rule`} class="stack">
        <CsrfField token={csrf} />
        <p class="hint">{t('completion.ruleHint')}</p>
        <TextField
          t={t}
          name="completionMinSessions"
          type="number"
          label={t('field.completionMinSessions')}
          value={ruleValues ? String(ruleValues.completionMinSessions ?? '') : (rule.minSessions?.toString() ?? '')}
          errors={errors}
        />
        {sessions.length ? (
          <CheckboxGroup
            t={t}
            name="completionRequiredSessions"
            label={t('field.completionRequiredSessions')}
            values={ruleValues ? formList(ruleValues.completionRequiredSessions) : (rule.requiredSessionIds ?? []).map(String)}
            errors={errors}
            options={sessions.map((s) => ({ value: String(s.id), label: `${s.title}（${formatTokyo(s.starts_at, lang, 'date')}）` }))}
          />
        ) : null}
        <CheckboxGroup t={t} name="completionAssignment" label={t('completion.assignment')} values={(ruleValues ? ruleValues.completionAssignment : rule.assignment) ? ['on'] : []} options={[{ value: 'on', label: t('offerings.completionAssignmentOn') }]} />
        <CheckboxGroup t={t} name="completionSignOff" label={t('completion.signOff')} values={(ruleValues ? ruleValues.completionSignOff : rule.signOff) ? ['on'] : []} options={[{ value: 'on', label: t('offerings.completionSignOffOn') }]} />
        <button type="submit" class="button button--secondary">{t('common.save')}</button>
      </form>
    </details>
  );
}

/** The participant's 課題: its state, the download, and the review form while it waits. */
function AssignmentCell({ t, csrf, row }: { t: Translate; csrf: string; row: Participant }) {
  const id = row.application.id;
  return (
    <>
      {row.assignment ? t(`assignment.${row.assignment.status}`) : t('assignment.none')}
      {row.assignment ? (
        <>
          <br />
          <a href={`/admin/applications/${id}/assignment`}>{t('assignment.download')}</a>
          {row.assignment.status === 'submitted' ? (
            <form method="post" action={`/admin/applications/${id}/assignment-review`} class="stack">
              <CsrfField token={csrf} />
              <label for={`rc-${id}`}>{t('assignment.comment')}</label>
              <input id={`rc-${id}`} name="comment" type="text" maxlength={2000} />
              <button type="submit" name="decision" value="accept" class="button button--small">{t('assignment.accept')}</button>
              <button type="submit" name="decision" value="return" class="button button--small button--secondary">{t('assignment.return')}</button>
            </form>
          ) : null}
        </>
      ) : null}
    </>
  );
}

/** 承認 (when the rule asks for it) and the override of the computed result, with its reason. */
function ActionsCell({ t, csrf, rule, row }: { t: Translate; csrf: string; rule: CompletionRule; row: Participant }) {
  const id = row.application.id;
  return (
    <>
      {rule.signOff && !row.completion?.signed_off_at ? (
        <form method="post" action={`/admin/applications/${id}/sign-off`}>
          <CsrfField token={csrf} />
          <button type="submit" class="button button--small">{t('completion.signOffDo')}</button>
        </form>
      ) : null}
      <details>
        <summary>{t('completion.override')}</summary>
        <form method="post" action={`/admin/applications/${id}/override`} class="stack">
          <CsrfField token={csrf} />
          <label for={`ov-${id}`}>{t('field.completed')}</label>
          <select id={`ov-${id}`} name="completed">
            <option value="yes">{t('completion.overrideYes')}</option>
            <option value="no">{t('completion.overrideNo')}</option>
            <option value="clear">{t('completion.overrideClear')}</option>
          </select>
          <label for={`ovr-${id}`}>{t('field.reason')}</label>
          <input id={`ovr-${id}`} name="reason" type="text" maxlength={500} />
          <button type="submit" class="button button--small button--secondary">{t('common.save')}</button>
        </form>
      </details>
    </>
  );
}

/** An offering's completion: the rule (and the form to change it), links to attendance and certificates, and one row per participant. */
export function CompletionOverview(p: { t: Translate; lang: Lang; csrf: string; offeringId: number; title: string; rule: CompletionRule; table: Table; errors: FieldErrors | null; ruleValues: FormBody | null }) {
  const { t, csrf, rule, offeringId } = p;
  const { sessions, rows } = p.table;
  const columns: Column<Participant>[] = [
    {
      key: 'name',
      label: t('field.name'),
      cell: (row) => (
        <>
          {row.application.person_name}
          <br />
          <span class="kana">{row.application.unit_name ?? ''}</span>
        </>
      ),
    },
    ...sessions.map((s): Column<Participant> => ({ key: `session-${s.id}`, label: s.title, cell: (row) => attendanceLabel(t, row.attendance.get(s.id)) })),
    { key: 'assignment', label: t('completion.assignment'), cell: (row) => <AssignmentCell t={t} csrf={csrf} row={row} /> },
    {
      key: 'status',
      label: t('common.status'),
      cell: (row) => (
        <>
          <strong>{row.completion?.completed ? t('completion.completed') : t('completion.notCompleted')}</strong>
          {row.completion?.override_completed !== null && row.completion?.override_completed !== undefined ? <span class="small">{t('completion.overridden', { reason: row.completion.override_reason ?? '' })}</span> : null}
          {row.certificate ? (
            <>
              <br />
              <a href={`/certificates/${row.certificate.number}`}>{row.certificate.number}</a>
            </>
          ) : null}
        </>
      ),
    },
    { key: 'actions', label: t('common.actions'), cell: (row) => <ActionsCell t={t} csrf={csrf} rule={rule} row={row} /> },
  ];
  return (
    <>
      <ErrorSummary t={t} errors={p.errors} />
      <p>
        {t('completion.rule')}：{ruleText(t, rule, sessions)}
      </p>
      <RuleForm t={t} lang={p.lang} csrf={csrf} offeringId={offeringId} rule={rule} sessions={sessions} errors={p.errors} ruleValues={p.ruleValues} />
      <p class="actions">
        {sessions.map((s) => (
          <a class="button button--secondary button--small" href={`/admin/sessions/${s.id}/attendance`}>
            {t('field.attendance')}：{s.title}
          </a>
        ))}
      </p>
      <p class="actions">
        <a class="button" href={`/admin/offerings/${offeringId}/certificates`}>{t('completion.certificates')}</a>{' '}
        <a class="button button--secondary" href={`/admin/offerings/${offeringId}/certificates.html`}>{t('completion.download')}</a>
      </p>
      <DataTable t={t} caption={t('completion.title', { title: p.title })} rows={rows} columns={columns} stack={false} />
    </>
  );
}

/** A rule change that withdraws completions or revokes certificates: how many, and the box to tick first. */
export function RuleConfirm(p: { t: Translate; csrf: string; offeringId: number; form: FormBody; rule: CompletionRule; sessions: readonly { id: number; title: string }[]; effect: { certificatesRevoked: number; completionsLost: number }; error: boolean }) {
  const { t, form, effect, error, offeringId } = p;
  const params = { completions: effect.completionsLost, certificates: effect.certificatesRevoked };
  return (
    <>
      {error ? <ErrorSummary t={t} errors={{ confirm: { key: 'error.confirmRevokeRequired' } }} labels={{ confirm: t('completion.confirmRevokeCheck', params) }} /> : null}
      <p>{t('completion.confirmLead')}</p>
      <dl class="meta">
        <dt>{t('completion.rule')}</dt>
        <dd>{ruleText(t, p.rule, p.sessions)}</dd>
      </dl>
      <ul>
        <li>
          <strong>{t('completion.confirmCompletions', { n: effect.completionsLost })}</strong>
        </li>
        <li>
          <strong>{t('completion.confirmCertificates', { n: effect.certificatesRevoked })}</strong>
        </li>
      </ul>
      <form method="post" action={`/admin/offerings/${offeringId}/completion-rule`} class="stack">
        <CsrfField token={p.csrf} />
        <input type="hidden" name="confirming" value="1" />
        {str(form.completionMinSessions) !== '' ? <input type="hidden" name="completionMinSessions" value={str(form.completionMinSessions)} /> : null}
        {formList(form.completionRequiredSessions).map((v) => (
          <input type="hidden" name="completionRequiredSessions" value={v} />
        ))}
        {form.completionAssignment ? <input type="hidden" name="completionAssignment" value="on" /> : null}
        {form.completionSignOff ? <input type="hidden" name="completionSignOff" value="on" /> : null}
        <div class={`field${error ? ' field--error' : ''}`}>
          {error ? (
            <p class="field-error" id="f-confirm-error">
              {t('error.confirmRevokeRequired', { field: t('completion.confirmRevokeCheck', params) })}
            </p>
          ) : null}
          <label class="check" for="f-confirm">
            <input id="f-confirm" type="checkbox" name="confirm" value="on" required aria-required="true" aria-describedby={error ? 'f-confirm-error' : undefined} /> {t('completion.confirmRevokeCheck', params)}
          </label>
        </div>
        <p class="actions">
          <button type="submit" class="button button--danger">{t('completion.confirmDo')}</button> <a href={`/admin/offerings/${offeringId}/completion`}>{t('common.cancel')}</a>
        </p>
      </form>
    </>
  );
}
