import { readFileSync } from 'node:fs';
import QRCode from 'qrcode';
import type { Child } from 'hono/jsx';
import { formatTokyo, formatWareki } from '../../domain/calendar.js';
import { ATTENDANCE_STATUSES, type AttendanceStatus, type CompletionRule, attendanceOpensAt } from '../../domain/completion.js';
import { fieldMessage, type Translate } from '../../i18n/index.js';
import { getApplication } from '../../services/application.service.js';
import {
  certificatesForOffering,
  completionTable,
  getAssignment,
  getCertificate,
  kioskCheckIn,
  markAttendance,
  overrideCompletion,
  previewCompletionChange,
  reviewAssignment,
  revokeCertificate,
  signOff,
  updateCompletionRule,
  verifyCertificate,
} from '../../services/completion.service.js';
import { getOffering, getSession } from '../../services/offering.service.js';
import { ServiceError } from '../../services/context.js';
import { formatCode } from '../../domain/certificate-code.js';
import { clientIp } from '../client-ip.js';
import { type FormBody, readForm, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { CheckboxGroup, CsrfField, ErrorSummary, TextField } from '../views/components.js';
import { KioskLayout } from '../views/kiosk-layout.js';

const num = toId;

type CertificateView = NonNullable<Awaited<ReturnType<typeof getCertificate>>>;

/** One A4 certificate: number, name, programme, date, validity, and a QR code to the public verification page. */
export async function CertificateSheet({ t, lang, c, baseUrl, prefecture }: { t: Translate; lang: 'ja' | 'en'; c: CertificateView; baseUrl: string; prefecture: string }) {
  const code = formatCode(c.verification_code);
  const url = `${baseUrl}/verify/${code}`;
  const qr = await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return (
    <article class="certificate">
      <p class="certificate__number">
        {t('certificate.number')}：{c.number}
      </p>
      <h2 class="certificate__title">{t('certificate.title')}</h2>
      <p class="certificate__name">
        {c.person_name}
        {lang === 'ja' ? ' 様' : ''}
      </p>
      <p class="certificate__body">{t('certificate.body', { programme: lang === 'en' ? c.programme_name_en : c.programme_name, title: c.title })}</p>
      <dl class="certificate__meta">
        <dt>{t('certificate.completedOn')}</dt>
        <dd>{formatWareki(c.completed_on, lang)}</dd>
        {c.valid_until ? (
          <>
            <dt>{t('certificate.validUntil')}</dt>
            <dd>{formatWareki(c.valid_until, lang)}</dd>
          </>
        ) : null}
      </dl>
      <p class="certificate__issuer">{t('certificate.issuer', { prefecture })}</p>
      <div class="certificate__verify">
        <div class="qr" role="img" aria-label={`${t('certificate.verifyAt')}${url}`} dangerouslySetInnerHTML={{ __html: qr }}></div>
        <p class="small">
          {t('certificate.verifyAt')}
          {url}
        </p>
        <p class="small certificate__code">
          {t('certificate.code')}：<span class="code">{code}</span>
        </p>
      </div>
      {c.revoked_at ? <p class="error-text">{t('certificate.revoked', { reason: c.revoke_reason ?? '' })}</p> : null}
    </article>
  );
}

const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v.trim() : '');
const formList = (v: FormBody[string] | undefined): string[] => (Array.isArray(v) ? v : typeof v === 'string' && v ? [v] : []);

/** The rule as posted by the form (a blank minimum: none). Checked by the service. */
function ruleFromForm(form: FormBody): Record<string, unknown> {
  const min = str(form.completionMinSessions);
  const required = formList(form.completionRequiredSessions);
  return {
    ...(min !== '' ? { minSessions: Number(min) } : {}),
    ...(required.length ? { requiredSessionIds: required.map(Number) } : {}),
    ...(form.completionAssignment ? { assignment: true } : {}),
    ...(form.completionSignOff ? { signOff: true } : {}),
  };
}

/** The rule in words: 全回出席 / n回以上出席, the required sessions, 課題, 承認. */
function ruleText(t: Translate, rule: CompletionRule, sessions: { id: number; title: string }[]): string {
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

export function registerCompletion(r: Router) {
  // --- Attendance per session ----------------------------------------------------------------
  const roster = async (c: Ctx, sessionId: number, notice: string | null = null, status: 200 | 422 = 200, error: { heading: string; text: string } | null = null) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const session = await getSession(ctx, sessionId);
    if (!session) return c.notFound();
    const table = await completionTable(ctx, session.offering_id);
    const title = `${session.title}（${formatTokyo(session.starts_at, lang, 'datetime')}）`;
    const notStarted = attendanceOpensAt('present', session.starts_at, ctx.now()) !== null;
    return page(
      c,
      t('attendance.title', { title: session.title }),
      <>
        {error ? (
          <div class="error-summary" role="alert" tabindex={-1} id="error-summary">
            <h2>{error.heading}</h2>
            <p>{error.text}</p>
          </div>
        ) : null}
        <p>{title}</p>
        {notStarted && !error ? <p class="hint">{t('attendance.notYet', { from: formatTokyo(session.starts_at, lang, 'datetime') })}</p> : null}
        <p class="actions">
          <a class="button button--secondary" href={`/admin/sessions/${sessionId}/sign-in-sheet`}>{t('attendance.signInSheet')}</a>{' '}
          <a class="button button--secondary" href={`/kiosk/sessions/${sessionId}`}>{t('attendance.kiosk')}</a>
        </p>
        <form method="post" action={`/admin/sessions/${sessionId}/attendance`}>
          <CsrfField token={c.get('csrf')} />
          <table class="data-table">
            <caption>{t('attendance.title', { title: session.title })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('field.name')}</th>
                <th scope="col">{t('field.unit')}</th>
                <th scope="col">{t('field.attendance')}</th>
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row) => (
                <tr>
                  <td>
                    <label for={`att-${row.application.id}`}>{row.application.person_name}</label>
                    <br />
                    <span class="kana">{row.application.person_kana}</span>
                  </td>
                  <td>{row.application.unit_name ?? ''}</td>
                  <td>
                    <select id={`att-${row.application.id}`} name={`status.${row.application.id}`}>
                      <option value="">{t('attendance.none')}</option>
                      {ATTENDANCE_STATUSES.map((s) => (
                        <option value={s} selected={row.attendance.get(sessionId) === s}>
                          {t(`attendance.${s}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="actions">
            <button type="submit" class="button">{t('attendance.save')}</button>
            <button type="submit" name="all" value="present" class="button button--secondary">{t('attendance.allPresent')}</button>
          </div>
        </form>
        <p>
          <a href={`/admin/offerings/${session.offering_id}/completion`}>{t('completion.title', { title: '' }).replace(/（）|\(\)/, '')}</a>
        </p>
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.offerings'), href: '/admin/offerings' }, { label: session.title }], notice, status },
    );
  };
  r.get('/admin/sessions/:id/attendance', ['admin'], (c) => roster(c, num(c.req.param('id'))));
  r.post('/admin/sessions/:id/attendance', ['admin'], async (c) => {
    const id = num(c.req.param('id'));
    const form = await readForm(c);
    const entries = Object.entries(form)
      .filter(([k, v]) => k.startsWith('status.') && (v || form.all))
      .map(([k, v]) => ({ applicationId: k.slice(7), status: form.all ? 'present' : String(v) }));
    try {
      const res = await markAttendance(c.get('ctx'), c.get('user'), id, entries);
      return roster(c, id, c.get('t')('attendance.saved', { changed: res.changed }));
    } catch (e) {
      if (!(e instanceof ServiceError) || e.status !== 422) throw e;
      const t = c.get('t');
      const session = await getSession(c.get('ctx'), id);
      // Before the start: say from when it can be recorded, in the reader's language.
      // Not an input error: say why it cannot be recorded yet, and from when.
      const error =
        e.code === 'not_yet' && session
          ? { heading: t('attendance.notYetTitle'), text: t('attendance.notYet', { from: formatTokyo(session.starts_at, c.get('lang'), 'datetime') }) }
          : {
              heading: t('form.errorSummary', { count: Object.keys(e.fields).length || 1 }),
              text: Object.entries(e.fields)
                .map(([f, x]) => fieldMessage(t, f, x.key, x.params))
                .join(' '),
            };
      return roster(c, id, null, 422, error);
    }
  });
  r.get('/admin/sessions/:id/sign-in-sheet', ['admin'], async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const session = await getSession(ctx, num(c.req.param('id')));
    if (!session) return c.notFound();
    const { rows } = await completionTable(ctx, session.offering_id);
    const offering = (await getOffering(ctx, session.offering_id))!.offering;
    return page(
      c,
      t('attendance.sheetTitle', { title: offering.title }),
      <section class="sign-in-sheet">
        <p>
          {session.title} ／ {formatTokyo(session.starts_at, lang, 'datetime')}〜{formatTokyo(session.ends_at, lang, 'time')} ／ {session.venue}
        </p>
        <table class="data-table">
          <caption>{t('attendance.sheet')}</caption>
          <thead>
            <tr>
              <th scope="col">No.</th>
              <th scope="col">{t('field.name')}</th>
              <th scope="col">{t('field.unit')}</th>
              <th scope="col">{t('notice.code')}</th>
              <th scope="col">{t('attendance.signature')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr>
                <td>{i + 1}</td>
                <td>{row.application.person_name}</td>
                <td>{row.application.unit_name ?? ''}</td>
                <td class="code-text">{row.application.participant_code}</td>
                <td class="signature"></td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>,
    );
  });

  // --- Kiosk (a tablet at the venue, logged in by the desk) ----------------------------------
  const kiosk = async (c: Ctx, sessionId: number, message: { ok: boolean; text: string } | null = null) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const session = await getSession(c.get('ctx'), sessionId);
    if (!session) return c.notFound();
    // Participants use this screen: its own layout, without the admin menu; the code field has the focus.
    return c.html(
      <KioskLayout t={t} lang={lang} title={t('kiosk.title', { title: session.title })} path={c.req.path} backHref={`/admin/sessions/${sessionId}/attendance`}>
        <p>
          {formatTokyo(session.starts_at, lang, 'datetime')}〜{formatTokyo(session.ends_at, lang, 'time')}
          {session.venue ? ` ／ ${session.venue}` : ''}
        </p>
        <p>{t('kiosk.lead')}</p>
        {message ? (
          <p class={message.ok ? 'notice kiosk-result' : 'error-summary kiosk-result'} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </p>
        ) : null}
        <form method="post" action={`/kiosk/sessions/${sessionId}`} class="kiosk">
          <CsrfField token={c.get('csrf')} />
          <div class="field">
            <label for="f-code">
              {t('kiosk.code')}
              <span class="badge badge--required">{t('common.required')}</span>
            </label>
            <input id="f-code" name="code" type="text" required aria-required="true" autocomplete="off" autocapitalize="characters" spellcheck={false} maxlength={20} autofocus />
          </div>
          <button type="submit" class="button">{t('kiosk.submit')}</button>
        </form>
      </KioskLayout>,
      message && !message.ok ? 422 : 200,
    );
  };
  r.get('/kiosk/sessions/:id', ['admin'], (c) => kiosk(c, num(c.req.param('id'))));
  r.post('/kiosk/sessions/:id', ['admin'], async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const id = num(c.req.param('id'));
    const form = await readForm(c);
    try {
      const res = await kioskCheckIn(c.get('ctx'), c.get('user'), id, { code: form.code });
      if (res.ok) return kiosk(c, id, { ok: true, text: t('kiosk.ok', { name: res.name, status: t(`attendance.${res.status}`) }) });
      const text =
        res.reason === 'wrong_day'
          ? t('kiosk.wrong_day', { date: formatTokyo(res.startsAt, lang, 'date') })
          : res.reason === 'not_yet'
            ? t('kiosk.not_yet', { from: formatTokyo(res.opensAt, lang, 'time') })
            : t(`kiosk.${res.reason}`);
      return kiosk(c, id, { ok: false, text });
    } catch (e) {
      if (e instanceof ServiceError && e.status === 422) return kiosk(c, id, { ok: false, text: t('kiosk.unknown') });
      throw e;
    }
  });

  // --- Completion per offering ----------------------------------------------------------------
  const completionPage = async (c: Ctx, offeringId: number, notice: string | null = null, errors: Parameters<typeof ErrorSummary>[0]['errors'] = null, ruleValues: FormBody | null = null) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const d = await getOffering(ctx, offeringId);
    if (!d) return c.notFound();
    const { sessions, rows } = await completionTable(ctx, offeringId);
    const rule = d.offering.completion_rule;
    const csrf = c.get('csrf');
    return page(
      c,
      t('completion.title', { title: d.offering.title }),
      <>
        <ErrorSummary t={t} errors={errors} />
        <p>
          {t('completion.rule')}：{ruleText(t, rule, sessions)}
        </p>
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
        <div class="table-wrap">
          <table class="data-table">
            <caption>{t('completion.title', { title: d.offering.title })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('field.name')}</th>
                {sessions.map((s) => (
                  <th scope="col">{s.title}</th>
                ))}
                <th scope="col">{t('completion.assignment')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr>
                  <td>
                    {row.application.person_name}
                    <br />
                    <span class="kana">{row.application.unit_name ?? ''}</span>
                  </td>
                  {sessions.map((s) => (
                    <td>{attendanceLabel(t, row.attendance.get(s.id))}</td>
                  ))}
                  <td>
                    {row.assignment ? t(`assignment.${row.assignment.status}`) : t('assignment.none')}
                    {row.assignment ? (
                      <>
                        <br />
                        <a href={`/admin/applications/${row.application.id}/assignment`}>{t('assignment.download')}</a>
                        {row.assignment.status === 'submitted' ? (
                          <form method="post" action={`/admin/applications/${row.application.id}/assignment-review`} class="stack">
                            <CsrfField token={csrf} />
                            <label for={`rc-${row.application.id}`}>{t('assignment.comment')}</label>
                            <input id={`rc-${row.application.id}`} name="comment" type="text" maxlength={2000} />
                            <button type="submit" name="decision" value="accept" class="button button--small">{t('assignment.accept')}</button>
                            <button type="submit" name="decision" value="return" class="button button--small button--secondary">{t('assignment.return')}</button>
                          </form>
                        ) : null}
                      </>
                    ) : null}
                  </td>
                  <td>
                    <strong>{row.completion?.completed ? t('completion.completed') : t('completion.notCompleted')}</strong>
                    {row.completion?.override_completed !== null && row.completion?.override_completed !== undefined ? (
                      <span class="small">{t('completion.overridden', { reason: row.completion.override_reason ?? '' })}</span>
                    ) : null}
                    {row.certificate ? (
                      <>
                        <br />
                        <a href={`/certificates/${row.certificate.number}`}>{row.certificate.number}</a>
                      </>
                    ) : null}
                  </td>
                  <td>
                    {rule.signOff && !row.completion?.signed_off_at ? (
                      <form method="post" action={`/admin/applications/${row.application.id}/sign-off`}>
                        <CsrfField token={csrf} />
                        <button type="submit" class="button button--small">{t('completion.signOffDo')}</button>
                      </form>
                    ) : null}
                    <details>
                      <summary>{t('completion.override')}</summary>
                      <form method="post" action={`/admin/applications/${row.application.id}/override`} class="stack">
                        <CsrfField token={csrf} />
                        <label for={`ov-${row.application.id}`}>{t('field.completed')}</label>
                        <select id={`ov-${row.application.id}`} name="completed">
                          <option value="yes">{t('completion.overrideYes')}</option>
                          <option value="no">{t('completion.overrideNo')}</option>
                          <option value="clear">{t('completion.overrideClear')}</option>
                        </select>
                        <label for={`ovr-${row.application.id}`}>{t('field.reason')}</label>
                        <input id={`ovr-${row.application.id}`} name="reason" type="text" maxlength={500} />
                        <button type="submit" class="button button--small button--secondary">{t('common.save')}</button>
                      </form>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </>,
      {
        crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.offerings'), href: '/admin/offerings' }, { label: d.offering.title, href: `/admin/offerings/${offeringId}` }, { label: t('completion.completed') }],
        notice,
        status: errors ? 422 : 200,
      },
    );
  };
  r.get('/admin/offerings/:id/completion', ['admin'], (c) => {
    const q = c.req.query();
    const notice =
      q.notice === 'saved'
        ? c.get('t')('common.saved')
        : q.notice === 'rule'
          ? c.get('t')('completion.ruleSaved', { completions: Math.max(0, toId(q.completions) || 0), certificates: Math.max(0, toId(q.certificates) || 0) })
          : null;
    return completionPage(c, num(c.req.param('id')), notice);
  });

  // --- The completion rule: a change that withdraws completions or revokes certificates asks first --------
  const confirmRulePage = async (c: Ctx, offeringId: number, form: FormBody, effect: { certificatesRevoked: number; completionsLost: number }, error: boolean) => {
    const t = c.get('t');
    const d = await getOffering(c.get('ctx'), offeringId);
    if (!d) return c.notFound();
    const rule = ruleFromForm(form) as CompletionRule;
    const params = { completions: effect.completionsLost, certificates: effect.certificatesRevoked };
    return page(
      c,
      t('completion.confirmTitle'),
      <>
        {error ? <ErrorSummary t={t} errors={{ confirm: { key: 'error.confirmRevokeRequired' } }} labels={{ confirm: t('completion.confirmRevokeCheck', params) }} /> : null}
        <p>{t('completion.confirmLead')}</p>
        <dl class="meta">
          <dt>{t('completion.rule')}</dt>
          <dd>{ruleText(t, rule, d.sessions)}</dd>
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
          <CsrfField token={c.get('csrf')} />
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
      </>,
      {
        crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.offerings'), href: '/admin/offerings' }, { label: d.offering.title, href: `/admin/offerings/${offeringId}/completion` }, { label: t('completion.confirmTitle') }],
        status: error ? 422 : 200,
      },
    );
  };
  r.post('/admin/offerings/:id/completion-rule', ['admin'], async (c) => {
    const id = num(c.req.param('id'));
    const ctx = c.get('ctx');
    const form = await readForm(c);
    if (!(await getOffering(ctx, id))) return c.notFound();
    const rule = ruleFromForm(form);
    try {
      if (!form.confirm) {
        // First ask: what would this change withdraw? (Sent back from the confirmation unticked: ask again, marked.)
        const effect = await previewCompletionChange(ctx, id, { rule });
        if (effect.certificatesRevoked > 0 || effect.completionsLost > 0) return confirmRulePage(c, id, form, effect, !!form.confirming);
      }
      const res = await updateCompletionRule(ctx, c.get('user'), id, { rule, confirm: !!form.confirm });
      return c.redirect(`/admin/offerings/${id}/completion?notice=rule&completions=${res.completionsLost}&certificates=${res.certificatesRevoked}`, 303);
    } catch (e) {
      if (e instanceof ServiceError && e.code === 'confirmation_required') return confirmRulePage(c, id, form, { certificatesRevoked: Number(e.params.certificates), completionsLost: Number(e.params.completions) }, true);
      if (e instanceof ServiceError && e.status === 422) return completionPage(c, id, null, e.fields, form);
      throw e;
    }
  });
  const appAction = (path: string, run: (c: Ctx, appId: number, form: Record<string, unknown>) => Promise<unknown>) =>
    r.post(`/admin/applications/:id/${path}`, ['admin'], async (c) => {
      const appId = num(c.req.param('id'));
      const app = await getApplication(c.get('ctx'), appId);
      if (!app) return c.notFound();
      const form = await readForm(c);
      try {
        await run(c, appId, form);
      } catch (e) {
        if (e instanceof ServiceError && e.status === 422) return completionPage(c, app.offering_id, null, e.fields);
        throw e;
      }
      return c.redirect(`/admin/offerings/${app.offering_id}/completion?notice=saved`, 303);
    });
  appAction('assignment-review', (c, id, form) => reviewAssignment(c.get('ctx'), c.get('user'), id, form));
  appAction('sign-off', (c, id) => signOff(c.get('ctx'), c.get('user')!, id));
  appAction('override', (c, id, form) => overrideCompletion(c.get('ctx'), c.get('user'), id, form));
  r.get('/admin/applications/:id/assignment', ['admin'], async (c) => {
    const a = await getAssignment(c.get('ctx'), num(c.req.param('id')));
    if (!a) return c.notFound();
    if (a.file_data && a.file_name) {
      return c.body(a.file_data as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': a.file_type ?? 'application/octet-stream',
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(a.file_name)}`,
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cache-Control': 'no-store',
      });
    }
    return c.text(a.text ?? '', 200, { 'Content-Type': 'text/plain; charset=utf-8' });
  });

  // --- Certificates ------------------------------------------------------------------------------
  const sheets = async (c: Ctx, offeringId: number): Promise<Child[]> => {
    const ctx = c.get('ctx');
    const certs = await certificatesForOffering(ctx, offeringId);
    return Promise.all(certs.map((cert) => CertificateSheet({ t: c.get('t'), lang: c.get('lang'), c: cert, baseUrl: ctx.config.baseUrl, prefecture: ctx.config.prefectureName })));
  };
  r.get('/admin/offerings/:id/certificates', ['admin'], async (c) => {
    const t = c.get('t');
    const id = num(c.req.param('id'));
    const d = await getOffering(c.get('ctx'), id);
    if (!d) return c.notFound();
    return page(c, `${t('certificate.title')}：${d.offering.title}`, <div class="certificates">{await sheets(c, id)}</div>);
  });
  r.get('/admin/offerings/:id/certificates.html', ['admin'], async (c) => {
    const id = num(c.req.param('id'));
    const d = await getOffering(c.get('ctx'), id);
    if (!d) return c.notFound();
    const css = readFileSync(new URL('../assets/app.css', import.meta.url), 'utf8');
    const body = (await Promise.all((await sheets(c, id)).map((s) => String(s)))).join('\n');
    const title = d.offering.title.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
    const html = `<!doctype html><html lang="${c.get('lang')}"><head><meta charset="utf-8"><title>${title}</title><style>${css}</style></head><body><main>${body}</main></body></html>`;
    return c.body(html, 200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Disposition': `attachment; filename="certificates-${id}.html"` });
  });
  r.get('/certificates/:number', 'user', async (c) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const cert = await getCertificate(ctx, c.req.param('number') ?? '');
    if (!cert || (cert.person_id !== user.id && !user.roles.includes('admin'))) return c.notFound();
    return page(
      c,
      t('certificate.title'),
      <>
        {await CertificateSheet({ t, lang: c.get('lang'), c: cert, baseUrl: ctx.config.baseUrl, prefecture: ctx.config.prefectureName })}
        {user.roles.includes('admin') && !cert.revoked_at ? (
          <form method="post" action={`/admin/certificates/${cert.number}/revoke`} class="actions">
            <CsrfField token={c.get('csrf')} />
            <TextField t={t} name="reason" label={t('field.reason')} required maxlength={500} />
            <button type="submit" class="button button--danger">{t('certificate.revoke')}</button>
          </form>
        ) : null}
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('certificate.title') }] },
    );
  });
  r.post('/admin/certificates/:number/revoke', ['admin'], async (c) => {
    const number = c.req.param('number') ?? '';
    const form = await readForm(c);
    await revokeCertificate(c.get('ctx'), c.get('user'), number, form);
    return c.redirect(`/certificates/${number}`, 303);
  });

  // --- Public verification by code: only number, name, programme, date and validity -------------
  const verifyPage = async (c: Ctx, code: string | null) => {
    const t = c.get('t');
    const lang = c.get('lang');
    let throttled: string | null = null;
    let v: Awaited<ReturnType<typeof verifyCertificate>> = null;
    if (code) {
      try {
        v = await verifyCertificate(c.get('ctx'), code, { ip: clientIp(c) });
      } catch (e) {
        if (!(e instanceof ServiceError) || e.status !== 429) throw e;
        throttled = t(e.messageKey, e.params);
      }
    }
    return page(
      c,
      t('verify.title'),
      <>
        <p>{t('verify.lead')}</p>
        <form method="get" action="/verify" role="search">
          <TextField t={t} name="code" label={t('certificate.code')} hint={t('verify.codeHint')} value={code ?? ''} autocomplete="off" plain />
          <button type="submit" class="button">{t('verify.submit')}</button>
        </form>
        {throttled ? (
          <p class="error-summary" role="alert">
            {throttled}
          </p>
        ) : code && !v ? (
          <p class="error-summary" role="alert">
            {t('verify.notFound')}
          </p>
        ) : null}
        {v ? (
          <section class={v.status === 'valid' ? 'notice' : 'error-summary'} role="status">
            <h2>{t(`verify.${v.status}`)}</h2>
            <dl class="meta">
              <dt>{t('certificate.number')}</dt>
              <dd>{v.number}</dd>
              <dt>{t('certificate.code')}</dt>
              <dd>{v.code}</dd>
              <dt>{t('verify.name')}</dt>
              <dd>{v.name}</dd>
              <dt>{t('verify.programme')}</dt>
              <dd>{v.programme}</dd>
              <dt>{t('certificate.completedOn')}</dt>
              <dd>{formatWareki(v.completedOn, lang)}</dd>
              {v.validUntil ? (
                <>
                  <dt>{t('certificate.validUntil')}</dt>
                  <dd>{formatWareki(v.validUntil, lang)}</dd>
                </>
              ) : null}
            </dl>
          </section>
        ) : null}
      </>,
      { status: throttled ? 429 : code && !v ? 404 : 200 },
    );
  };
  r.get('/verify', 'public', (c) => verifyPage(c, c.req.query('code')?.slice(0, 60) || null));
  r.get('/verify/:code', 'public', (c) => verifyPage(c, (c.req.param('code') ?? '').slice(0, 60)));
}
