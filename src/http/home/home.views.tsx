import { fiscalYearOf, formatFiscalYear, formatTokyo, formatWareki } from '../../domain/calendar.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { CurrentUser } from '../../services/context.js';
import type { HomeTasks, publicHome } from '../../services/home.service.js';
import { DataTable, Lines, TextField } from '../views/components.js';
import { AdminSection } from './home-tasks.views.js';

function ApproverSection({ t, lang, a }: { t: Translate; lang: Lang; a: NonNullable<HomeTasks['approver']> }) {
  return (
    <section aria-labelledby="home-approver">
      <h2 id="home-approver">{t('home.approver.title')}</h2>
      <p>
        <a href="/approvals">{t('home.approver.pending', { count: a.pending })}</a>
      </p>
      <h3>{t('home.approver.trainees', { fy: formatFiscalYear(a.fiscalYear, lang) })}</h3>
      {a.trainees.length ? (
        <ul class="link-list">
          {a.trainees.map((x) => (
            <li>
              {x.name}：<a href={`/trainings/${x.offering_id}`}>{x.offering_title}</a>（{t(`status.${x.status}`)}）
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('home.approver.noTrainees')}</p>
      )}
    </section>
  );
}

/** 持ち物 and the venue's access of one session, when set (nothing when both are empty). */
function SessionNotes({ t, belongings, access }: { t: Translate; belongings: string; access: string }) {
  const notes = [
    [t('field.belongings'), belongings],
    [t('field.access'), access],
  ].filter(([, text]) => text.trim());
  if (!notes.length) return null;
  return (
    <dl class="meta">
      {notes.map(([label, text]) => (
        <>
          <dt>{label}</dt>
          <dd>
            <Lines text={text} />
          </dd>
        </>
      ))}
    </dl>
  );
}

function StaffSection({ t, lang, s }: { t: Translate; lang: Lang; s: HomeTasks['staff'] }) {
  return (
    <section aria-labelledby="home-staff">
      <h2 id="home-staff">{t('home.staff.title')}</h2>
      <h3>{t('home.staff.sessions')}</h3>
      {s.sessions.length ? (
        <ul class="link-list">
          {s.sessions.map((x) => (
            <li>
              <a href={`/my/applications/${x.application_id}`}>
                {formatTokyo(x.starts_at, lang, 'datetime')}〜{formatTokyo(x.ends_at, lang, 'time')} {x.offering_title}：{x.title}
              </a>
              <br />
              <span class="small">
                {x.venue}
                {x.address ? `（${x.address}）` : ''}
                {x.preparation ? ` ／ ${t('home.staff.bring')}：${x.preparation}` : ''}
              </span>
              <SessionNotes t={t} belongings={x.belongings} access={x.access} />
            </li>
          ))}
        </ul>
      ) : (
        <p>
          {t('home.staff.noSessions')} <a href="/trainings">{t('home.staff.catalogue')}</a>
        </p>
      )}
      {s.surveys.length ? (
        <>
          <h3>{t('home.staff.surveys')}</h3>
          <ul class="link-list">
            {s.surveys.map((x) => (
              <li>
                <a href={`/surveys/${x.id}`}>{x.title}</a>（{t('home.staff.surveyCloses', { date: formatTokyo(x.closes_at, lang, 'datetime') })}）
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3>{t('home.staff.certificates')}</h3>
      {s.certificates.length ? (
        <ul class="link-list">
          {s.certificates.map((x) => (
            <li>
              <a href={`/certificates/${encodeURIComponent(x.number)}`}>{x.title}</a>（{x.number}、{formatWareki(x.completed_on, lang)}）
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('home.staff.noCertificates')}</p>
      )}
    </section>
  );
}

function CoordinatorSection({ t, lang, k }: { t: Translate; lang: Lang; k: NonNullable<HomeTasks['coordinator']> }) {
  return (
    <section aria-labelledby="home-coordinator">
      <h2 id="home-coordinator">{t('home.coordinator.title')}</h2>
      <p>{t('home.coordinator.cases', { count: k.cases.length, overdue: k.overdue })}</p>
      {k.cases.length ? (
        <ul class="link-list">
          {k.cases.map((x) => (
            <li>
              <a href={`/consultations/${x.id}`}>{x.title}</a>
              {x.assignment_status === 'offered' ? `（${t('home.coordinator.offered')}）` : ''}
              {x.overdue && x.desired_to ? <strong>（{t('home.coordinator.overdue', { date: formatWareki(x.desired_to, lang) })}）</strong> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <a href="/my/cases">{t('home.coordinator.allCases')}</a>
      </p>
    </section>
  );
}

function PartnerSection({ t, lang, p }: { t: Translate; lang: Lang; p: NonNullable<HomeTasks['partner']> }) {
  return (
    <section aria-labelledby="home-partner">
      <h2 id="home-partner">{t('home.partner.title')}</h2>
      {p.sessions.length ? (
        <ul class="link-list">
          {p.sessions.map((x) => (
            <li>
              {formatTokyo(x.starts_at, lang, 'datetime')} {x.offering_title}：{x.title}（{x.venue}）
              <br />
              <a href={`/partner/sessions/${x.id}`}>{t('home.partner.roster', { count: x.confirmed })}</a>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('home.partner.none')}</p>
      )}
      <p>
        <a href="/partner">{t('home.partner.page')}</a>
      </p>
    </section>
  );
}

/** A signed-in person's home: what to do now, per role held. */
export function HomeView({ t, lang, user, task }: { t: Translate; lang: Lang; user: CurrentUser; task: HomeTasks }) {
  const fy = fiscalYearOf(task.now);
  return (
    <>
      <p>{t('home.welcome', { name: user.name })}</p>
      <p>
        {t('home.fiscalYear', { fy: formatFiscalYear(fy, lang) })} ／ <time datetime={task.now.toISOString()}>{formatTokyo(task.now, lang, 'date')}</time>
      </p>
      <p>{t('home.roles', { roles: user.roles.map((r) => t(`role.${r}`)).join('、') })}</p>
      {task.admin ? <AdminSection t={t} lang={lang} a={task.admin} /> : null}
      {task.approver ? <ApproverSection t={t} lang={lang} a={task.approver} /> : null}
      {task.coordinator ? <CoordinatorSection t={t} lang={lang} k={task.coordinator} /> : null}
      {task.partner ? <PartnerSection t={t} lang={lang} p={task.partner} /> : null}
      <StaffSection t={t} lang={lang} s={task.staff} />
      <p>
        <a href="/account/data">{t('mydata.link')}</a>
      </p>
    </>
  );
}

/** A visitor's home: the schedule, certificate verification and the login. */
export function PublicHomeView({ t, lang, prefecture, home }: { t: Translate; lang: Lang; prefecture: string; home: Awaited<ReturnType<typeof publicHome>> }) {
  return (
    <>
      <p>{t('home.public.lead', { prefecture })}</p>
      <section aria-labelledby="home-login">
        <h2 id="home-login">{t('home.public.login')}</h2>
        <p>
          <a class="button" href="/login">
            {t('home.public.loginLink')}
          </a>
        </p>
      </section>
      <section aria-labelledby="home-schedule">
        <h2 id="home-schedule">{t('home.public.schedule')}</h2>
        {home.sessions.length ? (
          <DataTable
            t={t}
            caption={t('home.public.schedule')}
            rows={home.sessions}
            columns={[
              { key: 'date', label: t('report.col.date'), cell: (s) => <>{formatTokyo(s.starts_at, lang, 'datetime')}〜{formatTokyo(s.ends_at, lang, 'time')}</> },
              { key: 'theme', label: t('report.col.theme'), cell: (s) => <>{s.offering_title}：{s.title}</> },
              { key: 'format', label: t('report.col.format'), cell: (s) => t(`format.${s.format}`) },
              { key: 'venue', label: t('trainings.venue'), cell: (s) => s.venue },
            ]}
          />
        ) : (
          <p>{t('home.public.noSessions')}</p>
        )}
        <p>
          <a href="/schedule">{t('home.public.allSchedule')}</a>
        </p>
      </section>
      <section aria-labelledby="home-verify">
        <h2 id="home-verify">{t('home.public.verify')}</h2>
        <p>{t('home.public.verifyLead')}</p>
        <form method="get" action="/verify" role="search" aria-labelledby="home-verify">
          <TextField t={t} name="code" label={t('home.public.code')} autocomplete="off" plain />
          <button type="submit" class="button">
            {t('home.public.verifySubmit')}
          </button>
        </form>
      </section>
    </>
  );
}
