import { fiscalYearOf, nextDate, tokyoDateOf, tokyoLocalToUtc } from '../domain/calendar.js';
import { percent } from '../domain/rounding.js';
import { homeRepository as repo } from '../db/repositories/home.repository.js';
import { endorsementQueue } from './application.service.js';
import type { AppContext } from './context.js';
import { publicSchedule } from './report.service.js';
import { type CurrentUser } from './context.js';

/** An approval counts as "waiting too long" at a unit after this many days. */
export const SLOW_ENDORSEMENT_DAYS = 7;
/** Past sessions without attendance are looked for this far back. */
export const ATTENDANCE_LOOKBACK_DAYS = 90;

const DAY = 86_400_000;

/** What the office (研修担当) has to do now, each list with the ids its links need. */
async function adminTask(ctx: AppContext, now: Date) {
  const today = tokyoDateOf(now);
  const tomorrow = nextDate(today);
  const todayStart = tokyoLocalToUtc(today, '00:00');
  const tomorrowStart = tokyoLocalToUtc(tomorrow, '00:00');
  const dayAfter = tokyoLocalToUtc(nextDate(tomorrow), '00:00');
  const [decisions, slow, offers, sessions, noAttendance, signOff, assignments, surveys, consultations, failedMail] = await Promise.all([
    repo.awaitingDecision(ctx.db),
    repo.slowEndorsements(ctx.db, new Date(now.getTime() - SLOW_ENDORSEMENT_DAYS * DAY)),
    repo.openFieldOffers(ctx.db),
    repo.sessionsBetween(ctx.db, todayStart, dayAfter),
    repo.sessionsWithoutAttendance(ctx.db, new Date(now.getTime() - ATTENDANCE_LOOKBACK_DAYS * DAY), now),
    repo.unsignedCompletions(ctx.db, fiscalYearOf(now) - 1, now),
    repo.assignmentsToReview(ctx.db),
    repo.surveysClosing(ctx.db, now, new Date(now.getTime() + 7 * DAY)),
    repo.unassignedConsultations(ctx.db),
    repo.failedMail(ctx.db),
  ]);
  const sum = (xs: { n: number }[]) => xs.reduce((s, x) => s + x.n, 0);
  const withConfirmed = sessions.map((s) => ({ ...s, confirmed: Number(s.confirmed ?? 0) }));
  return {
    decisions: { total: sum(decisions), rows: decisions },
    slowEndorsements: { total: sum(slow), rows: slow, days: SLOW_ENDORSEMENT_DAYS },
    fieldOffers: offers,
    today: withConfirmed.filter((s) => s.starts_at < tomorrowStart),
    tomorrow: withConfirmed.filter((s) => s.starts_at >= tomorrowStart),
    noAttendance,
    signOff: { total: sum(signOff), rows: signOff },
    assignments: { total: sum(assignments), rows: assignments },
    surveys: surveys.map((s) => ({ ...s, rate: percent(s.responded, s.invited) })),
    consultations,
    failedMail,
  };
}

/** The 所属長's to-do: 推薦待ち and the unit's people in this fiscal year's trainings. */
async function approverTask(ctx: AppContext, user: CurrentUser, now: Date) {
  const queue = await endorsementQueue(ctx, user);
  const fiscalYear = fiscalYearOf(now);
  const trainees = user.unitId ? await repo.unitTrainees(ctx.db, user.unitId, fiscalYear) : [];
  return { pending: queue.length, fiscalYear, trainees };
}

async function staffTask(ctx: AppContext, user: CurrentUser, now: Date) {
  const [sessions, surveys, certificates] = await Promise.all([
    repo.nextSessions(ctx.db, user.id, now),
    repo.surveysWaiting(ctx.db, user.id, now),
    repo.myCertificates(ctx.db, user.id),
  ]);
  return { sessions, surveys, certificates };
}

async function coordinatorTask(ctx: AppContext, user: CurrentUser, now: Date) {
  const today = tokyoDateOf(now);
  const cases = (await repo.myOpenCases(ctx.db, user.id)).map((c) => ({ ...c, overdue: !!c.desired_to && c.desired_to < today }));
  return { cases, overdue: cases.filter((c) => c.overdue).length };
}

async function partnerTask(ctx: AppContext, user: CurrentUser, now: Date) {
  const partnerId = await repo.partnerOf(ctx.db, user.id);
  if (!partnerId) return { sessions: [] };
  const sessions = await repo.hostedSessions(ctx.db, partnerId, now);
  return { sessions: sessions.map((s) => ({ ...s, confirmed: Number(s.confirmed ?? 0) })) };
}

export type HomeTasks = Awaited<ReturnType<typeof homeTasks>>;

/** Everything the signed-in person's home page lists, per role they hold (read only). */
export async function homeTasks(ctx: AppContext, user: CurrentUser) {
  const now = ctx.now();
  const has = (r: CurrentUser['roles'][number]) => user.roles.includes(r);
  const [admin, approver, staff, coordinator, partner] = await Promise.all([
    has('admin') ? adminTask(ctx, now) : null,
    has('approver') ? approverTask(ctx, user, now) : null,
    staffTask(ctx, user, now),
    has('coordinator') ? coordinatorTask(ctx, user, now) : null,
    has('partner') ? partnerTask(ctx, user, now) : null,
  ]);
  return { now, admin, approver, staff, coordinator, partner };
}

/** The logged-out visitor's home: the next sessions of the public schedule. */
export async function publicHome(ctx: AppContext, limit = 10) {
  const rows = await publicSchedule(ctx);
  return { sessions: rows.slice(0, limit), more: rows.length > limit };
}
