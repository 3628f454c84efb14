import type { Child } from 'hono/jsx';
import { fiscalYearOf, formatFiscalYear, formatTokyo, formatWareki } from '../../domain/calendar.js';
import { formatPercent } from '../../domain/rounding.js';
import type { Lang, Translate } from '../../i18n/index.js';
import { type HomeTasks, homeTasks, publicHome } from '../../services/home.service.js';
import { noticeFrom, page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { TextField } from '../views/components.js';

/** One to-do: a heading with its count, and the rows that link to the lists where the work is done. */
/** Offerings with how many of their people wait, each linking to its completion page. */
function CompletionLinks({ rows, n }: { rows: { offering_id: number; title: string; n: number }[]; n: (x: number) => string }) {
  if (!rows.length) return null;
  return (
    <ul class="link-list">
      {rows.map((r) => (
        <li>
          <a href={`/admin/offerings/${r.offering_id}/completion`}>{r.title}</a>：{n(r.n)}
        </li>
      ))}
    </ul>
  );
}

function Task(p: { t: Translate; id: string; title: string; count: number; children?: Child; link?: { href: string; label: string } }) {
  return (
    <section class="home-task" aria-labelledby={p.id}>
      <h3 id={p.id}>
        {p.title}
        <span class="home-task__count">{p.t('home.task.countParen', { count: p.count })}</span>
      </h3>
      {p.link && p.count > 0 ? (
        <p>
          <a href={p.link.href}>{p.link.label}</a>
        </p>
      ) : null}
      {p.children}
    </section>
  );
}

function AdminSection({ t, lang, a }: { t: Translate; lang: Lang; a: NonNullable<HomeTasks['admin']> }) {
  const n = (count: number) => t('home.task.count', { count });
  return (
    <section aria-labelledby="home-admin">
      <h2 id="home-admin">{t('home.admin.title')}</h2>
      <Task t={t} id="task-decisions" title={t('home.admin.decisions')} count={a.decisions.total}>
        {a.decisions.rows.length ? (
          <ul class="link-list">
            {a.decisions.rows.map((r) => (
              <li>
                <a href={`/admin/offerings/${r.offering_id}/applications?status=${r.status}`}>
                  {r.title}（{t(`status.${r.status}`)}）
                </a>
                ：{n(r.n)}
              </li>
            ))}
          </ul>
        ) : null}
      </Task>
      <Task t={t} id="task-slow" title={t('home.admin.slowEndorsements', { days: a.slowEndorsements.days })} count={a.slowEndorsements.total}>
        {a.slowEndorsements.rows.length ? (
          <ul class="link-list">
            {a.slowEndorsements.rows.map((r) => (
              <li>
                <a href={`/admin/offerings/${r.offering_id}/applications?status=applied${r.unit_id ? `&unit=${r.unit_id}` : ''}`}>
                  {r.title}・{r.unit_name ?? '—'}
                </a>
                ：{n(r.n)}（{t('home.admin.slowSince', { date: formatTokyo(r.oldest, lang, 'date') })}）
              </li>
            ))}
          </ul>
        ) : null}
      </Task>
      <Task t={t} id="task-offers" title={t('home.admin.fieldOffers')} count={a.fieldOffers} link={{ href: '/admin/field-offers', label: t('home.admin.fieldOffersLink', { count: a.fieldOffers }) }} />
      {(
        [
          ['task-today', t('home.admin.today', { count: a.today.length }), a.today],
          ['task-tomorrow', t('home.admin.tomorrow', { count: a.tomorrow.length }), a.tomorrow],
        ] as const
      ).map(([id, title, rows]) => (
        <section class="home-task" aria-labelledby={id}>
          <h3 id={id}>{title}</h3>
          {rows.length ? (
            <ul class="link-list">
              {rows.map((s) => (
                <li>
                  <a href={`/admin/sessions/${s.id}/attendance`}>
                    {formatTokyo(s.starts_at, lang, 'time')}〜{formatTokyo(s.ends_at, lang, 'time')} {s.offering_title}：{s.title}
                  </a>
                  （{s.venue}、{t('home.admin.confirmed', { count: s.confirmed })}）
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ))}
      <Task t={t} id="task-attendance" title={t('home.admin.noAttendance')} count={a.noAttendance.length}>
        {a.noAttendance.length ? (
          <ul class="link-list">
            {a.noAttendance.map((s) => (
              <li>
                <a href={`/admin/sessions/${s.id}/attendance`}>
                  {formatTokyo(s.starts_at, lang, 'date')} {s.offering_title}：{s.title}
                </a>
              </li>
            ))}
          </ul>
        ) : null}
      </Task>
      <Task t={t} id="task-signoff" title={t('home.admin.signOff')} count={a.signOff.total}>
        <CompletionLinks rows={a.signOff.rows} n={n} />
      </Task>
      <Task t={t} id="task-assignments" title={t('home.admin.assignments')} count={a.assignments.total}>
        <CompletionLinks rows={a.assignments.rows} n={n} />
      </Task>
      <Task t={t} id="task-surveys" title={t('home.admin.surveys')} count={a.surveys.length}>
        {a.surveys.length ? (
          <ul class="link-list">
            {a.surveys.map((s) => (
              <li>
                <a href={`/admin/surveys/${s.id}`}>{s.title}</a>：
                {t('home.admin.surveyRate', { rate: formatPercent(s.rate), responded: s.responded, invited: s.invited, date: formatTokyo(s.closes_at, lang, 'datetime') })}
              </li>
            ))}
          </ul>
        ) : null}
      </Task>
      <Task t={t} id="task-consultations" title={t('home.admin.consultations')} count={a.consultations.length}>
        {a.consultations.length ? (
          <ul class="link-list">
            {a.consultations.map((x) => (
              <li>
                <a href={`/consultations/${x.id}`}>{x.title}</a>（{formatTokyo(x.created_at, lang, 'date')}）
              </li>
            ))}
          </ul>
        ) : null}
      </Task>
      <Task t={t} id="task-mail" title={t('home.admin.failedMail')} count={a.failedMail} link={{ href: '/admin/outbox', label: t('home.admin.failedMailLink', { count: a.failedMail }) }} />
      <h3>{t('home.admin.otherLinks')}</h3>
      <ul class="link-list">
        <li><a href="/admin/people">{t('nav.people')}</a></li>
        <li><a href="/admin/units">{t('nav.units')}</a></li>
        <li><a href="/admin/programmes">{t('nav.programmes')}</a></li>
        <li><a href="/admin/imports">{t('nav.imports')}</a></li>
        <li><a href="/admin/audit">{t('nav.audit')}</a></li>
        <li><a href="/admin/outbox">{t('nav.outbox')}</a></li>
      </ul>
    </section>
  );
}

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

async function publicPage(c: Ctx) {
  const t = c.get('t');
  const lang = c.get('lang');
  const ctx = c.get('ctx');
  const home = await publicHome(ctx);
  return page(
    c,
    t('home.public.title'),
    <>
      <p>{t('home.public.lead', { prefecture: ctx.config.prefectureName })}</p>
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
          <table class="data-table data-table--stack">
            <caption>{t('home.public.schedule')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('report.col.date')}</th>
                <th scope="col">{t('report.col.theme')}</th>
                <th scope="col">{t('report.col.format')}</th>
                <th scope="col">{t('trainings.venue')}</th>
              </tr>
            </thead>
            <tbody>
              {home.sessions.map((s) => (
                <tr>
                  <td data-label={t('report.col.date')}>
                    {formatTokyo(s.starts_at, lang, 'datetime')}〜{formatTokyo(s.ends_at, lang, 'time')}
                  </td>
                  <td data-label={t('report.col.theme')}>
                    {s.offering_title}：{s.title}
                  </td>
                  <td data-label={t('report.col.format')}>{t(`format.${s.format}`)}</td>
                  <td data-label={t('trainings.venue')}>{s.venue}</td>
                </tr>
              ))}
            </tbody>
          </table>
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
    </>,
    { notice: noticeFrom(c) },
  );
}

export function registerHome(r: Router) {
  // Public: a logged-out visitor sees the schedule, certificate verification and the login; a
  // signed-in person sees what to do now, per role held. (While nobody exists, app.tsx sends / to /setup.)
  r.get('/', 'public', async (c) => {
    const user = c.get('user');
    if (!user) return publicPage(c);
    const t = c.get('t');
    const lang = c.get('lang');
    const task = await homeTasks(c.get('ctx'), user);
    const fy = fiscalYearOf(task.now);
    return page(
      c,
      t('home.title'),
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
      </>,
      { notice: noticeFrom(c) },
    );
  });
}
