import { formatTokyo } from '../../domain/calendar.js';
import { ATTENDANCE_STATUSES } from '../../domain/completion.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { completionTable } from '../../services/completion.service.js';
import type { getSession } from '../../services/offering.service.js';
import { CsrfField, DataTable } from '../views/components.js';

type Session = NonNullable<Awaited<ReturnType<typeof getSession>>>;
type Participant = Awaited<ReturnType<typeof completionTable>>['rows'][number];

/** The session's roster: one select per confirmed participant, saved together (or everyone present at once). */
export function AttendanceRoster(p: {
  t: Translate;
  lang: Lang;
  csrf: string;
  session: Session;
  rows: readonly Participant[];
  notStarted: boolean;
  error: { heading: string; text: string } | null;
}) {
  const { t, lang, session } = p;
  const sessionId = session.id;
  return (
    <>
      {p.error ? (
        <div class="error-summary" role="alert" tabindex={-1} id="error-summary">
          <h2>{p.error.heading}</h2>
          <p>{p.error.text}</p>
        </div>
      ) : null}
      <p>{`${session.title}（${formatTokyo(session.starts_at, lang, 'datetime')}）`}</p>
      {p.notStarted && !p.error ? <p class="hint">{t('attendance.notYet', { from: formatTokyo(session.starts_at, lang, 'datetime') })}</p> : null}
      <p class="actions">
        <a class="button button--secondary" href={`/admin/sessions/${sessionId}/sign-in-sheet`}>{t('attendance.signInSheet')}</a>{' '}
        <a class="button button--secondary" href={`/kiosk/sessions/${sessionId}`}>{t('attendance.kiosk')}</a>
      </p>
      <form method="post" action={`/admin/sessions/${sessionId}/attendance`}>
        <CsrfField token={p.csrf} />
        <DataTable
          t={t}
          caption={t('attendance.title', { title: session.title })}
          rows={p.rows}
          stack={false}
          columns={[
            {
              key: 'name',
              label: t('field.name'),
              cell: (row) => (
                <>
                  <label for={`att-${row.application.id}`}>{row.application.person_name}</label>
                  <br />
                  <span class="kana">{row.application.person_kana}</span>
                </>
              ),
            },
            { key: 'unit', label: t('field.unit'), cell: (row) => row.application.unit_name ?? '' },
            {
              key: 'attendance',
              label: t('field.attendance'),
              cell: (row) => (
                <select id={`att-${row.application.id}`} name={`status.${row.application.id}`}>
                  <option value="">{t('attendance.none')}</option>
                  {ATTENDANCE_STATUSES.map((s) => (
                    <option value={s} selected={row.attendance.get(sessionId) === s}>
                      {t(`attendance.${s}`)}
                    </option>
                  ))}
                </select>
              ),
            },
          ]}
        />
        <div class="actions">
          <button type="submit" class="button">{t('attendance.save')}</button>
          <button type="submit" name="all" value="present" class="button button--secondary">{t('attendance.allPresent')}</button>
        </div>
      </form>
      <p>
        <a href={`/admin/offerings/${session.offering_id}/completion`}>{t('completion.title', { title: '' }).replace(/（）|\(\)/, '')}</a>
      </p>
    </>
  );
}

/** The paper sign-in sheet (署名簿) of a session, for printing. */
export function SignInSheet({ t, lang, session, rows }: { t: Translate; lang: Lang; session: Session; rows: readonly Participant[] }) {
  const numbered = rows.map((row, i) => ({ no: i + 1, row }));
  return (
    <section class="sign-in-sheet">
      <p>
        {session.title} ／ {formatTokyo(session.starts_at, lang, 'datetime')}〜{formatTokyo(session.ends_at, lang, 'time')} ／ {session.venue}
      </p>
      <DataTable
        t={t}
        caption={t('attendance.sheet')}
        rows={numbered}
        stack={false}
        columns={[
          { key: 'no', label: 'No.', cell: (x) => x.no },
          { key: 'name', label: t('field.name'), cell: (x) => x.row.application.person_name },
          { key: 'unit', label: t('field.unit'), cell: (x) => x.row.application.unit_name ?? '' },
          { key: 'code', label: t('notice.code'), cell: (x) => <span class="code-text">{x.row.application.participant_code}</span> },
          { key: 'signature', label: t('attendance.signature'), class: 'signature', cell: () => '' },
        ]}
      />
    </section>
  );
}

/** The kiosk's screen body: when and where, the result of the last check-in, and the code field (focused). */
export function KioskCheckIn({ t, lang, csrf, session, message }: { t: Translate; lang: Lang; csrf: string; session: Session; message: { ok: boolean; text: string } | null }) {
  return (
    <>
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
      <form method="post" action={`/kiosk/sessions/${session.id}`} class="kiosk">
        <CsrfField token={csrf} />
        <div class="field">
          <label for="f-code">
            {t('kiosk.code')}
            <span class="badge badge--required">{t('common.required')}</span>
          </label>
          <input id="f-code" name="code" type="text" required aria-required="true" autocomplete="off" autocapitalize="characters" spellcheck={false} maxlength={20} autofocus />
        </div>
        <button type="submit" class="button">{t('kiosk.submit')}</button>
      </form>
    </>
  );
}
