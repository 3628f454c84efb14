import type { Child } from 'hono/jsx';
import { formatTokyo } from '../../domain/calendar.js';
import { formatPercent } from '../../domain/rounding.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { HomeTasks } from '../../services/home.service.js';

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

/** One to-do: a heading with its count, and the rows that link to the lists where the work is done. */
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

/** The training office's to-dos, each linking to where the work is done. */
export function AdminSection({ t, lang, a }: { t: Translate; lang: Lang; a: NonNullable<HomeTasks['admin']> }) {
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
