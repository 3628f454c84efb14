import type { Kysely } from 'kysely';
import { z } from 'zod';
import { formatTokyo } from '../domain/calendar.js';
import {
  type ApplicationStatus,
  type Capacity,
  canTransition,
  type ConfirmedCounts,
  type ArrivalDecision,
  decideArrivals,
  drawLottery,
  hasSeat,
  type LotteryCandidate,
  newSeed,
  priorityTier,
  promoteAll,
  LIVE_STATUSES,
  seatGroupOf,
} from '../domain/selection.js';
import { mayViewOffering } from '../domain/policies/offering.js';
import { mayAnswerApplication, mayCancelApplication } from '../domain/policies/application.js';
import { isAdmin } from '../domain/policies/actor.js';
import { cancellationEffect, decisionRefusal, endorseRefusal, endorsersFor, owesAnswers, unansweredRequired } from '../domain/application-policy.js';
import { applicationRepository, type BatchState, type NewApplication } from '../db/repositories/application.repository.js';
import { outboxRepository } from '../db/repositories/outbox.repository.js';
import { offeringRepository } from '../db/repositories/offering.repository.js';
import { personRepository } from '../db/repositories/person.repository.js';
import { programmeRepository } from '../db/repositories/programme.repository.js';
import type { Application, Database, Offering, OfferingSession } from '../db/schema.js';
import { Batcher, batcherPerOwner, type Settled } from '../lib/batcher.js';
import { translator } from '../i18n/index.js';
import { optionalText, validate } from '../lib/validation.js';
import { audit } from './audit.service.js';
import { type AppContext, invalid, ServiceError } from './context.js';
import { enqueueMails, type Mail, outboxMails } from './mail.service.js';
import { notStarted, reviseSessions, sessionNotesText, stillToCome, withCalendar } from './calendar-invitation.service.js';
import { cancellationDeadline } from './offering.service.js';
import { randomBytes } from 'node:crypto';
import { type CurrentUser } from './context.js';

type Trx = Kysely<Database>;

const capacityOf = (o: Offering): Capacity => ({ capacity: o.capacity, seats: o.seats });

/** A participant code as on the decision notice: 8 characters without look-alikes (0/O, 1/I/L). */
export function participantCode(): string {
  return participantCodes(1)[0];
}

/** `n` participant codes from one draw of random bytes. */
function participantCodes(n: number): string[] {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(8 * n);
  return Array.from({ length: n }, (_, i) => {
    let s = '';
    for (const b of bytes.subarray(8 * i, 8 * i + 8)) s += alphabet[b % alphabet.length];
    return `${s.slice(0, 4)}-${s.slice(4)}`;
  });
}

// ---------------------------------------------------------------------------------------------
// Notices

type NoticeKind = 'received' | 'confirmed' | 'waitlisted' | 'not_selected' | 'promoted' | 'cancelled' | 'endorsed' | 'returned' | 'endorse_request';

interface NoticeData {
  person: { name: string; email: string; locale: string | null; unit_id: number | null };
  offering: Pick<Offering, 'title'>;
  sessions: Pick<OfferingSession, 'id' | 'title' | 'venue' | 'starts_at' | 'ends_at' | 'ical_sequence' | 'belongings' | 'access'>[];
  app: Pick<Application, 'id' | 'participant_code'>;
  /** Set when the application was taken for the person with answers pending: who applied for them. */
  answersPendingBy?: string | null;
}

/** Words a notice (no database access), so that callers holding a lock can prepare it beforehand. */
function renderNotice(ctx: AppContext, d: NoticeData, kind: Exclude<NoticeKind, 'endorse_request'>, comment?: string | null) {
  const t = translator(d.person.locale === 'en' ? 'en' : 'ja');
  // Under each session, its 持ち物 and access when set (indented as the change mails indent them).
  // Dates, times and brackets in the reader's language too.
  const en = d.person.locale === 'en';
  const indent = en ? '  ' : '　';
  const lang = en ? 'en' : 'ja';
  const schedule = d.sessions
    .map((s) => `・${formatTokyo(s.starts_at, lang, 'datetime')}${en ? '–' : '〜'}${formatTokyo(s.ends_at, lang, 'time')} ${s.title}${s.venue ? (en ? ` (${s.venue})` : `（${s.venue}）`) : ''}${sessionNotesText(t, s, indent)}`)
    .join('\n');
  const params = {
    name: d.person.name,
    offering: d.offering.title,
    url: `${ctx.config.baseUrl}/my/applications/${d.app.id}`,
    code: d.app.participant_code,
    schedule,
    comment: comment ?? '',
  };
  const pending = d.answersPendingBy ? t('applications.mail.answersPending', { by: d.answersPendingBy, url: params.url }) : '';
  return { to: d.person.email, subject: t(`mail.${kind}Subject`, params), body: t(`mail.${kind}Body`, params) + pending };
}

const invitee = (d: NoticeData) => ({ name: d.person.name, email: d.person.email, locale: d.person.locale, code: d.app.participant_code });

/** The notice of a confirmed place (受講決定, 繰上げ) with an invitation for each session still to come (decision 0023); any other notice alone. */
function withInvitations(ctx: AppContext, notice: Mail, d: NoticeData, kind: Exclude<NoticeKind, 'endorse_request'>): Mail[] {
  if (kind !== 'confirmed' && kind !== 'promoted') return [notice];
  return withCalendar(ctx, notice, 'REQUEST', invitee(d), d.offering.title, stillToCome(d.sessions, ctx.now()), `${ctx.config.baseUrl}/my/applications/${d.app.id}`);
}

/**
 * The mails asking for each applicant's endorsement (推薦・承認): to the approvers of the applicant's
 * unit other than the applicant (nobody endorses their own application), or to the admins when the
 * unit has no other approver.
 */
function endorseRequests(
  ctx: AppContext,
  offering: Pick<Offering, 'title'>,
  applicants: readonly { id: number; name: string; unit_id: number | null }[],
  approvers: readonly { id: number; unit_id: number | null; name: string; email: string }[],
  admins: readonly { id: number; unit_id: number | null; name: string; email: string }[],
): Mail[] {
  const t = translator('ja');
  return applicants.flatMap((a) => {
    const { to, fallback } = endorsersFor(a, approvers, admins);
    return to.map((ap) => {
      const params = { approver: ap.name, name: a.name, offering: offering.title, url: `${ctx.config.baseUrl}/approvals` };
      return { to: ap.email, subject: t('mail.endorseRequestSubject', params), body: t(fallback ? 'applications.mail.endorseFallbackBody' : 'mail.endorseRequestBody', params) };
    });
  });
}

async function notify(trx: Trx, ctx: AppContext, appId: number, kind: NoticeKind, extra: { comment?: string | null; withdrawn?: boolean } = {}) {
  const a = await applicationRepository.find(trx, appId);
  if (!a) return;
  const offering = (await offeringRepository.find(trx, a.offering_id))!;
  const person = (await personRepository.find(trx, a.person_id))!;
  if (kind === 'endorse_request') {
    const approvers = person.unit_id ? await personRepository.approversOf(trx, [person.unit_id]) : [];
    await enqueueMails(trx, ctx, endorseRequests(ctx, offering, [person], approvers, await applicationRepository.admins(trx)));
    return;
  }
  const sessions = await offeringRepository.sessions(trx, offering.id);
  const d: NoticeData = { person, offering, sessions, app: a };
  const notice = renderNotice(ctx, d, kind, extra.comment);
  // A confirmed place given up (辞退, or a decision taken back) takes its sessions out of the calendar (decision 0023).
  if (extra.withdrawn) {
    const revised = await reviseSessions(trx, notStarted(sessions, ctx.now()));
    await enqueueMails(trx, ctx, withCalendar(ctx, notice, 'CANCEL', invitee(d), offering.title, revised, `${ctx.config.baseUrl}/my/applications/${a.id}`));
  } else await enqueueMails(trx, ctx, withInvitations(ctx, notice, d, kind));
}

// ---------------------------------------------------------------------------------------------
// Seat decisions, always under the offering's row lock

async function lockOffering(trx: Trx, offeringId: number): Promise<Offering> {
  const o = await offeringRepository.lock(trx, offeringId);
  if (!o) throw new ServiceError(404, 'not_found', 'error.offeringNotFound');
  return o;
}

async function setStatus(trx: Trx, ctx: AppContext, app: Pick<Application, 'id' | 'status'>, to: ApplicationStatus, actor: { id: number } | null, extra: Partial<Application> = {}) {
  if (!canTransition(app.status, to)) throw new ServiceError(409, 'cannot_change', 'error.cannotChange', {}, { status: app.status });
  const now = ctx.now();
  const after = await applicationRepository.update(trx, app.id, {
    status: to,
    updated_at: now,
    ...(to === 'confirmed' || to === 'waitlisted' || to === 'not_selected' ? { decided_at: now } : {}),
    ...extra,
  } as never);
  await audit(trx, ctx, actor, `status_${to}`, 'application', app.id, { status: app.status }, { status: to, ...extra });
  return after;
}

/** First-come: confirm while seats are left; then waitlist (or refuse when the offering keeps no waitlist). */
async function decideFirstCome(trx: Trx, ctx: AppContext, offering: Offering, app: Application, actor: { id: number } | null, refuseWhenFull: boolean) {
  const counts = (await applicationRepository.confirmedCounts(trx, offering.id)) as ConfirmedCounts;
  if (hasSeat(capacityOf(offering), counts, app.seat_group)) return setStatus(trx, ctx, app, 'confirmed', actor);
  if (offering.waitlist) return setStatus(trx, ctx, app, 'waitlisted', actor, { waitlist_order: await applicationRepository.nextWaitlistOrder(trx, offering.id) });
  if (refuseWhenFull) throw new ServiceError(409, 'full', 'error.full');
  return setStatus(trx, ctx, app, 'not_selected', actor);
}

/** Fills free seats from the waitlist, in order, until the cut-off; each promoted person is notified. */
async function promoteFromWaitlist(trx: Trx, ctx: AppContext, offering: Offering, actor: { id: number } | null): Promise<number[]> {
  if (!offering.waitlist) return [];
  if (offering.promotion_cutoff && ctx.now() >= offering.promotion_cutoff) return [];
  const counts = (await applicationRepository.confirmedCounts(trx, offering.id)) as ConfirmedCounts;
  const waiting = await applicationRepository.waitlisted(trx, offering.id);
  const ids = promoteAll(
    capacityOf(offering),
    counts,
    waiting.map((w) => ({ id: w.id, group: w.seat_group, order: Number(w.waitlist_order ?? Number.MAX_SAFE_INTEGER) })),
  );
  for (const id of ids) {
    const app = waiting.find((w) => w.id === id)!;
    await setStatus(trx, ctx, app, 'confirmed', actor, { waitlist_order: null });
    await notify(trx, ctx, id, 'promoted');
  }
  return ids;
}

// ---------------------------------------------------------------------------------------------
// Apply

const answersSchema = z.record(z.string(), z.string().max(2000));

export interface ApplyInput {
  personId?: number;
  answers?: Record<string, unknown>;
  /**
   * Applying for someone else (代理申込, 所属推薦): leave the required questions to the applicant, who
   * is asked to answer them on their application page. Ignored when applying for oneself.
   */
  answersPending?: unknown;
}

const flag = z.preprocess((v) => v === true || v === 'true' || v === 'on' || v === 'yes' || v === '1', z.boolean());

/** The checks made on the offering as read for the decision, before an application is taken. */
function checkApplicable(
  ctx: AppContext,
  offering: Offering,
  person: { affiliation: string; active: boolean },
  actor: CurrentUser,
  onBehalf: boolean,
  answers: Record<string, string>,
  answersPending: boolean,
) {
  if (!person.active) throw new ServiceError(409, 'inactive', 'error.personInactive');
  if (!mayViewOffering(actor, offering)) throw new ServiceError(404, 'not_found', 'error.offeringNotFound');
  // A cancelled (中止) offering takes no application, not even 代理申込 by an admin.
  if (offering.cancelled_at) throw new ServiceError(409, 'cancelled', 'error.offeringCancelled');
  const now = ctx.now();
  // Admins applying on someone's behalf (代理申込) may do so outside the window.
  if (!onBehalf) {
    if (now < offering.application_opens_at)
      throw new ServiceError(409, 'not_open', 'error.notOpen', {}, { opens: formatTokyo(offering.application_opens_at, 'ja', 'datetime') });
    if (now >= offering.application_closes_at) throw new ServiceError(409, 'closed', 'error.closed');
  }
  if (person.affiliation === 'partner' && !(offering.seats.partner && offering.seats.partner > 0))
    throw new ServiceError(409, 'partner_no_seats', 'error.partnerNoSeats');
  if (answersPending) return;
  const missing = unansweredRequired(offering.questions, answers);
  if (missing.length) throw invalid(Object.fromEntries(missing.map((q) => [`answers.${q.id}`, { key: 'error.answerRequired', params: { question: q.label } }])));
}

interface ApplyRequest {
  actor: CurrentUser;
  personId: number;
  onBehalf: boolean;
  answers: Record<string, string>;
  /** Taken for someone else with the required answers left to them. */
  answersPending: boolean;
}

/**
 * Applications to one offering that arrive while an earlier group is being decided wait and are then
 * decided together, in arrival order (decision 0015).
 */
const applyBatcher = batcherPerOwner(
  (ctx: AppContext) => new Batcher<number, ApplyRequest, Application>((offeringId, requests) => applyTogether(ctx, offeringId, requests)),
);

/**
 * Applies (for oneself, or for someone else by an admin: 代理申込). First-come offerings without
 * endorsement confirm while seats are left, then waitlist (or refuse when the offering keeps no
 * waitlist); the others wait as 'applied'. Decided with the applications that arrive at the same time,
 * never over capacity (decision 0015).
 */
export async function apply(ctx: AppContext, actor: CurrentUser, offeringId: number, input: ApplyInput): Promise<Application> {
  const onBehalf = input.personId !== undefined && input.personId !== actor.id;
  if (onBehalf && !actor.roles.includes('admin')) throw new ServiceError(403, 'forbidden', 'error.forbidden');
  const answers = validate(answersSchema, input.answers ?? {});
  if (!answers.ok) throw invalid({ answers: { key: 'error.invalid' } });
  const pending = flag.safeParse(input.answersPending ?? false);
  if (!pending.success) throw invalid({ answersPending: { key: 'error.invalid' } });
  const answersPending = onBehalf && pending.data;
  return applyBatcher(ctx).submit(offeringId, { actor, personId: input.personId ?? actor.id, onBehalf, answers: answers.data, answersPending });
}

async function applyTogether(ctx: AppContext, offeringId: number, requests: ApplyRequest[]): Promise<Settled<Application>[]> {
  try {
    const results = await decideWithRetry(ctx, offeringId, requests);
    ctx.kickOutbox();
    return results;
  } catch (e) {
    if (requests.length === 1 || e instanceof ServiceError) throw e;
    // The group failed as a whole (a database error): decide each alone, so that only the one at fault fails.
    const results: Settled<Application>[] = [];
    for (const r of requests) {
      try {
        results.push(...(await decideWithRetry(ctx, offeringId, [r])));
        ctx.kickOutbox();
      } catch (error) {
        results.push({ ok: false, error });
      }
    }
    return results;
  }
}

/** Optimistic attempts before deciding under the offering's lock. */
const OPTIMISTIC_ATTEMPTS = 3;

/**
 * Decides on a snapshot and writes only if no seat moved since (two statements, no lock held while
 * deciding); when another instance keeps moving seats in between, or a returned application is
 * resubmitted, decides under the offering's lock instead. Decision 0015.
 */
async function decideWithRetry(ctx: AppContext, offeringId: number, requests: readonly ApplyRequest[]): Promise<Settled<Application>[]> {
  for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
    const results = await decideTogether(ctx.db, ctx, offeringId, requests, false);
    if (results === 'needs_lock') break;
    if (results) return results;
  }
  return (await ctx.db.transaction().execute((trx) => decideTogether(trx, ctx, offeringId, requests, true))) as Settled<Application>[];
}

/**
 * Checks each request against the offering, decides the new applications in arrival order (domain
 * `decideArrivals`), then writes them with their audit entries and notices in one statement. A request
 * that is refused fails alone; the others go on.
 *
 * `locked`: inside a transaction that takes the offering's lock first. Otherwise the state is read in
 * one snapshot and the write carries the seat guard: it writes nothing, and the answer is null, if a
 * seat decision was committed in between (then the caller decides again), and 'needs_lock' when the
 * group holds a resubmission.
 */
async function decideTogether(
  db: Trx,
  ctx: AppContext,
  offeringId: number,
  requests: readonly ApplyRequest[],
  locked: boolean,
): Promise<Settled<Application>[] | null | 'needs_lock'> {
  if (locked) await lockOffering(db, offeringId);
  const personIds = [...new Set(requests.map((r) => r.personId))];
  const state = await applicationRepository.batchState(db, offeringId, personIds, requests.length);
  if (!state) throw new ServiceError(404, 'not_found', 'error.offeringNotFound');
  const { offering, sessions } = state;
  const people = new Map(state.people.map((p) => [p.id, p]));
  const previous = new Map(state.previous.map((a) => [a.person_id, a]));
  const now = ctx.now();
  const results: Settled<Application>[] = requests.map(() => ({ ok: false, error: null }));
  type Applicant = BatchState['people'][number];
  const taken: { index: number; request: ApplyRequest; person: Applicant }[] = [];
  const resubmitted: { index: number; request: ApplyRequest; person: Applicant; app: Pick<Application, 'id' | 'status'> }[] = [];
  const inBatch = new Set<number>();
  requests.forEach((request, index) => {
    try {
      const person = people.get(request.personId);
      if (!person) throw new ServiceError(404, 'not_found', 'error.notFound');
      checkApplicable(ctx, offering, person, request.actor, request.onBehalf, request.answers, request.answersPending);
      const before = previous.get(person.id);
      if (inBatch.has(person.id) || (before && LIVE_STATUSES.includes(before.status))) throw new ServiceError(409, 'already_applied', 'error.alreadyApplied');
      inBatch.add(person.id);
      // A returned application is resubmitted rather than duplicated.
      if (before?.status === 'returned') resubmitted.push({ index, request, person, app: before });
      else taken.push({ index, request, person });
    } catch (error) {
      results[index] = { ok: false, error };
    }
  });
  // A resubmission updates a row: done under the lock, with the rest of the group.
  if (resubmitted.length && !locked) return 'needs_lock';

  const mails: Mail[] = [];
  const toEndorse: Applicant[] = [];
  const pendingFor = (request: ApplyRequest) => request.answersPending && unansweredRequired(offering.questions, request.answers).length > 0;
  for (const { index, request, person, app: before } of resubmitted) {
    const answersPending = pendingFor(request);
    const app = await setStatus(db, ctx, before, 'applied', request.actor, {
      answers: JSON.stringify(request.answers) as never,
      answers_pending: answersPending,
      applied_at: now,
      applied_by: request.actor.id,
      endorsed_at: null,
      endorsed_by: null,
      endorse_comment: null,
    });
    mails.push(renderNotice(ctx, { person, offering, sessions, app, answersPendingBy: answersPending ? request.actor.name : null }, 'received'));
    toEndorse.push(person);
    results[index] = { ok: true, value: app };
  }

  // First come without endorsement decides at once; every other method waits as 'applied'.
  const decides = !offering.endorsement_required && offering.selection === 'first_come';
  const decisions: (ArrivalDecision | { status: 'applied' })[] = decides
    ? decideArrivals(
        capacityOf(offering),
        state.counts as ConfirmedCounts,
        { waitlist: offering.waitlist, nextWaitlistOrder: state.nextWaitlistOrder },
        taken.map((t) => ({ group: seatGroupOf(t.person.affiliation), whenFull: t.request.onBehalf ? 'not_selected' : 'refuse' })),
      )
    : taken.map(() => ({ status: 'applied' }));
  const codes = participantCodes(taken.length);
  const ids = [...state.ids];
  const written: { index: number; request: ApplyRequest; app: NewApplication }[] = [];
  taken.forEach((t, i) => {
    const d = decisions[i];
    if (d.status === 'full') {
      results[t.index] = { ok: false, error: new ServiceError(409, 'full', 'error.full') };
      return;
    }
    const app: NewApplication = {
      id: ids.shift()!,
      offering_id: offeringId,
      person_id: t.person.id,
      status: d.status,
      seat_group: seatGroupOf(t.person.affiliation),
      answers: t.request.answers,
      answers_pending: pendingFor(t.request),
      applied_at: now,
      applied_by: t.request.actor.id,
      endorsed_at: null,
      endorsed_by: null,
      endorse_comment: null,
      decided_at: d.status === 'applied' ? null : now,
      waitlist_order: d.status === 'waitlisted' ? d.waitlistOrder : null,
      lottery_rank: null,
      cancelled_at: null,
      cancel_reason: null,
      participant_code: codes[i],
      updated_at: now,
    };
    written.push({ index: t.index, request: t.request, app });
    const notice: NoticeData = { person: t.person, offering, sessions, app, answersPendingBy: app.answers_pending ? t.request.actor.name : null };
    const kind = app.status === 'applied' ? 'received' : (app.status as 'confirmed' | 'waitlisted' | 'not_selected');
    mails.push(...withInvitations(ctx, renderNotice(ctx, notice, kind), notice, kind));
    if (offering.endorsement_required) toEndorse.push(t.person);
  });
  if (!written.length && !resubmitted.length) return results;
  mails.push(...endorseRequests(ctx, offering, toEndorse, state.approvers, state.admins));
  // The applications, their audit entries (each `after` the row as written, the actor who applied:
  // `applicationStatements.groupWrite`) and their notices: one statement, guarded unless locked.
  const stored = await applicationRepository.writeGroup(
    db,
    written.map((w) => w.app),
    { at: ctx.now() },
    outboxRepository.insertion(outboxMails(ctx, mails)),
    locked ? undefined : offeringRepository.seatGuard(offeringId, offering.seat_version),
  );
  if (!stored) return null;
  // The row as written (its answers are the same object, typed as the stored JSON).
  for (const w of written) results[w.index] = { ok: true, value: w.app as unknown as Application };
  return results;
}

// ---------------------------------------------------------------------------------------------
// Cancel (辞退)

export async function cancel(ctx: AppContext, actor: CurrentUser, applicationId: number, input: { reason?: unknown } = {}): Promise<Application> {
  const v = validate(z.object({ reason: optionalText(500) }), input);
  if (!v.ok) throw invalid(v.errors);
  const result = await ctx.db.transaction().execute(async (trx) => {
    const found = await applicationRepository.find(trx, applicationId);
    if (!found) throw new ServiceError(404, 'not_found', 'error.notFound');
    if (!mayCancelApplication(actor, found)) throw new ServiceError(404, 'not_found', 'error.notFound');
    const offering = await lockOffering(trx, found.offering_id);
    const app = (await applicationRepository.find(trx, applicationId))!; // re-read under the lock
    const sessions = await offeringRepository.sessions(trx, offering.id);
    const deadline = cancellationDeadline(offering, sessions);
    // Past the deadline only the training office may still withdraw an application.
    if (!isAdmin(actor) && deadline && ctx.now() >= deadline)
      throw new ServiceError(409, 'cancel_deadline', 'error.cancelDeadline', {}, { deadline: formatTokyo(deadline, 'ja', 'datetime') });
    const wasConfirmed = app.status === 'confirmed';
    const after = await setStatus(trx, ctx, app, 'cancelled', actor, { cancelled_at: ctx.now(), cancel_reason: v.data.reason ?? null, waitlist_order: null });
    await notify(trx, ctx, app.id, 'cancelled', { withdrawn: wasConfirmed });
    if (wasConfirmed) await promoteFromWaitlist(trx, ctx, offering, actor);
    return after;
  });
  ctx.kickOutbox();
  return result;
}

// ---------------------------------------------------------------------------------------------
// Endorsement (推薦・承認) by the unit approver

export async function endorse(
  ctx: AppContext,
  actor: CurrentUser,
  applicationId: number,
  input: { decision?: unknown; comment?: unknown },
): Promise<Application> {
  const v = validate(z.object({ decision: z.enum(['endorse', 'return']), comment: optionalText(1000) }), input);
  if (!v.ok) throw invalid(v.errors);
  const result = await ctx.db.transaction().execute(async (trx) => {
    const found = await applicationRepository.find(trx, applicationId);
    if (!found) throw new ServiceError(404, 'not_found', 'error.notFound');
    // Nobody decides on their own case: an approver (or admin) who applied is refused.
    const refusal = endorseRefusal(actor, { id: found.person_id, unitId: found.person_unit_id });
    if (refusal === 'own_application') throw new ServiceError(403, 'own_application', 'applications.error.ownApplication');
    if (refusal) throw new ServiceError(403, 'not_approver', 'error.notApprover');
    const offering = await lockOffering(trx, found.offering_id);
    const app = (await applicationRepository.find(trx, applicationId))!;
    if (v.data.decision === 'return') {
      const after = await setStatus(trx, ctx, app, 'returned', actor, { endorse_comment: v.data.comment ?? null, endorsed_by: actor.id, endorsed_at: ctx.now() });
      await notify(trx, ctx, app.id, 'returned', { comment: v.data.comment });
      return after;
    }
    let after = await setStatus(trx, ctx, app, 'endorsed', actor, { endorse_comment: v.data.comment ?? null, endorsed_by: actor.id, endorsed_at: ctx.now() });
    if (offering.selection === 'first_come') {
      after = await decideFirstCome(trx, ctx, offering, after, actor, false);
      await notify(trx, ctx, after.id, after.status as NoticeKind);
    } else await notify(trx, ctx, after.id, 'endorsed', { comment: v.data.comment });
    return after;
  });
  ctx.kickOutbox();
  return result;
}

// ---------------------------------------------------------------------------------------------
// Review (選考): bulk decisions by an admin, all or nothing

const decisionSchema = z.object({
  applicationIds: z.preprocess((x) => (Array.isArray(x) ? x : x === undefined || x === '' ? [] : [x]), z.array(z.coerce.number().int().positive().max(2147483647)).min(1)),
  decision: z.enum(['confirmed', 'waitlisted', 'not_selected']),
});

/**
 * What a bulk decision would do, for its confirmation step (each person decided on is mailed): the
 * applications chosen, and how many change. Refuses what `decide` would refuse before anything is asked.
 */
/** Carries a dry run's result out of a transaction that is rolled back. */
class DryRun<T> extends Error {
  constructor(readonly value: T) {
    super('dry run');
  }
}

/**
 * What a bulk decision would do, for its confirmation step (each person decided on is mailed): the
 * applications chosen and how many change. The decision is made for real in a transaction that is then
 * rolled back, so that the preview refuses exactly what `decide` would (own application, over capacity,
 * not yet endorsed…) and writes nothing, mails nobody.
 */
export async function decisionPreview(ctx: AppContext, actor: CurrentUser, offeringId: number, input: { applicationIds?: unknown; decision?: unknown }) {
  const v = validate(decisionSchema, input);
  if (!v.ok) throw invalid(v.errors);
  let changed: Application[] = [];
  try {
    await ctx.db.transaction().execute(async (trx) => {
      throw new DryRun(await decideIn(trx, ctx, actor, offeringId, v.data));
    });
  } catch (e) {
    if (!(e instanceof DryRun)) throw e;
    changed = e.value as Application[];
  }
  const wanted = new Set(v.data.applicationIds);
  const rows = (await applicationRepository.listForOffering(ctx.db, offeringId)).filter((a) => wanted.has(a.id));
  return { decision: v.data.decision, rows, changing: changed.length };
}

export async function decide(
  ctx: AppContext,
  actor: CurrentUser,
  offeringId: number,
  input: { applicationIds?: unknown; decision?: unknown },
): Promise<Application[]> {
  const v = validate(decisionSchema, input);
  if (!v.ok) throw invalid(v.errors);
  const result = await ctx.db.transaction().execute((trx) => decideIn(trx, ctx, actor, offeringId, v.data));
  ctx.kickOutbox();
  return result;
}

/** Decides in bulk inside the caller's transaction: all or nothing, never over capacity, nobody on their own case. */
async function decideIn(trx: Trx, ctx: AppContext, actor: CurrentUser, offeringId: number, data: z.infer<typeof decisionSchema>): Promise<Application[]> {
  const offering = await lockOffering(trx, offeringId);
  let counts = (await applicationRepository.confirmedCounts(trx, offeringId)) as ConfirmedCounts;
  const out: Application[] = [];
  let order = await applicationRepository.nextWaitlistOrder(trx, offeringId);
  for (const id of data.applicationIds) {
    const app = await applicationRepository.find(trx, id);
    if (!app || app.offering_id !== offeringId) throw new ServiceError(404, 'not_found', 'error.notFound');
    if (decisionRefusal(actor, { id: app.person_id })) throw new ServiceError(409, 'own_application', 'applications.error.ownDecision', {}, { name: app.person_name });
    if (app.status === data.decision) continue;
    if (offering.endorsement_required && app.status === 'applied')
      throw new ServiceError(409, 'cannot_change', 'error.cannotChange', {}, { status: app.status });
    if (data.decision === 'confirmed') {
      if (!hasSeat(capacityOf(offering), counts, app.seat_group)) {
        throw new ServiceError(409, 'over_capacity', 'error.overCapacity', {}, { left: Math.max(0, offering.capacity - counts.total) });
      }
      counts = { ...counts, total: counts.total + 1, [app.seat_group]: (counts[app.seat_group] ?? 0) + 1 };
    }
    const wasConfirmed = app.status === 'confirmed';
    if (wasConfirmed) counts = { ...counts, total: counts.total - 1, [app.seat_group]: (counts[app.seat_group] ?? 1) - 1 };
    out.push(await setStatus(trx, ctx, app, data.decision, actor, data.decision === 'waitlisted' ? { waitlist_order: order++ } : { waitlist_order: null }));
    await notify(trx, ctx, app.id, data.decision, { withdrawn: wasConfirmed });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Lottery (抽選)

/** Refuses a lottery that cannot run: not a lottery, already drawn, cancelled, or before applications close. */
function checkLotteryRunnable(ctx: AppContext, offering: Offering) {
  if (offering.selection !== 'lottery') throw new ServiceError(409, 'not_lottery', 'error.notLottery');
  if (offering.lottery_seed) throw new ServiceError(409, 'lottery_done', 'error.lotteryDone', {}, { seed: offering.lottery_seed });
  if (offering.cancelled_at) throw new ServiceError(409, 'cancelled', 'error.offeringCancelled');
  if (ctx.now() < offering.application_closes_at)
    throw new ServiceError(409, 'lottery_open', 'error.lotteryOpen', {}, { closes: formatTokyo(offering.application_closes_at, 'ja', 'datetime') });
}

/**
 * What a lottery would do, for the page that asks first: how many applicants take part, how many seats
 * are left, and why it cannot run yet (a refusal, e.g. before applications close), if it cannot.
 */
export async function lotteryPreview(ctx: AppContext, offeringId: number) {
  const offering = await offeringRepository.find(ctx.db, offeringId);
  if (!offering) return null;
  const eligibleStatus: ApplicationStatus = offering.endorsement_required ? 'endorsed' : 'applied';
  const [apps, counts] = await Promise.all([applicationRepository.listForOffering(ctx.db, offeringId, { status: eligibleStatus }), applicationRepository.confirmedCounts(ctx.db, offeringId)]);
  const confirmed = Number((counts as ConfirmedCounts).total ?? 0);
  let refusal: ServiceError | null = null;
  try {
    checkLotteryRunnable(ctx, offering);
  } catch (e) {
    if (!(e instanceof ServiceError)) throw e;
    refusal = e;
  }
  return { offering, applicants: apps.length, capacity: offering.capacity, confirmed, seats: Math.max(0, offering.capacity - confirmed), refusal };
}

/**
 * Draws the lottery. The seed is drawn here, on the server, from 128 random bits, then recorded and
 * shown, so that the draw can be reproduced and audited but not chosen: an admin who could supply it
 * could try seeds in advance until one gave the result wanted (issue 17). `internal.seed` is for code
 * that replays a recorded seed (tests); no page or API passes it.
 */
export async function runLottery(ctx: AppContext, actor: CurrentUser, offeringId: number, internal: { seed?: string } = {}) {
  const result = await ctx.db.transaction().execute(async (trx) => {
    const offering = await lockOffering(trx, offeringId);
    checkLotteryRunnable(ctx, offering);
    const seed = internal.seed ?? newSeed(randomBytes(16).toString('hex'));
    const eligibleStatus: ApplicationStatus = offering.endorsement_required ? 'endorsed' : 'applied';
    const apps = await applicationRepository.listForOffering(trx, offeringId, { status: eligibleStatus });
    // "Trained before" is asked of the programme's whole lineage (協働推進セミナー ← NPO・協働研修) and of
    // the history imported from before Kyodo.
    const before = offering.priority_rules.length ? await programmeRepository.trainedIn(trx, await programmeRepository.lineageIds(trx, offering.programme_id), offeringId) : null;
    const candidates: LotteryCandidate[] = apps.map((a) => ({
      id: a.id,
      group: a.seat_group,
      tier: before
        ? priorityTier(offering.priority_rules, { trainedBefore: before.personIds.has(a.person_id), unitTrainedBefore: !!a.person_unit_id && before.unitIds.has(a.person_unit_id) })
        : 0,
    }));
    const counts = (await applicationRepository.confirmedCounts(trx, offeringId)) as ConfirmedCounts;
    const draw = drawLottery(candidates, capacityOf(offering), counts, seed);
    const rankOf = new Map(draw.ranking.map((r) => [r.id, r.rank]));
    const byId = new Map(apps.map((a) => [a.id, a]));
    for (const id of draw.confirmed) {
      await setStatus(trx, ctx, byId.get(id)!, 'confirmed', actor, { lottery_rank: rankOf.get(id)! });
      await notify(trx, ctx, id, 'confirmed');
    }
    for (const id of draw.rest) {
      const to = offering.waitlist ? 'waitlisted' : 'not_selected';
      await setStatus(trx, ctx, byId.get(id)!, to, actor, { lottery_rank: rankOf.get(id)!, waitlist_order: to === 'waitlisted' ? rankOf.get(id)! : null });
      await notify(trx, ctx, id, to);
    }
    await offeringRepository.update(trx, offeringId, { lottery_seed: seed, lottery_at: ctx.now(), updated_at: ctx.now() });
    await audit(trx, ctx, actor, 'lottery', 'offering', offeringId, undefined, {
      seed,
      priorityRules: offering.priority_rules,
      ranking: draw.ranking,
      confirmed: draw.confirmed,
      rest: draw.rest,
    });
    return { seed, confirmed: draw.confirmed.length, waitlisted: offering.waitlist ? draw.rest.length : 0, notSelected: offering.waitlist ? 0 : draw.rest.length, ranking: draw.ranking };
  });
  ctx.kickOutbox();
  return result;
}

// ---------------------------------------------------------------------------------------------
// Bulk nomination (所属推薦): apply for every active staff member of a unit

const nominationSchema = z.object({ unitId: z.coerce.number().int().positive().max(2147483647) });

/** Who a nomination of the unit would apply for: its active staff, except the nominator and those who already applied. */
async function nominationCandidates(ctx: AppContext, actor: CurrentUser, offeringId: number, unitId: number) {
  const people = (await personRepository.list(ctx.db, { unitId, limit: 10_000 })).rows;
  const live = new Set((await applicationRepository.listForOffering(ctx.db, offeringId)).filter((a) => LIVE_STATUSES.includes(a.status)).map((a) => a.person_id));
  const candidates = people.filter((p) => p.id !== actor.id && !live.has(p.id));
  return { people, candidates, skipped: people.length - candidates.length };
}

/** What a nomination would do, for its confirmation step: how many people it applies for (and mails), how many it leaves out. */
export async function nominationPreview(ctx: AppContext, actor: CurrentUser, offeringId: number, input: { unitId?: unknown }) {
  if (!actor.roles.includes('admin')) throw new ServiceError(403, 'forbidden', 'error.forbidden');
  const v = validate(nominationSchema, input);
  if (!v.ok) throw invalid(v.errors);
  const offering = await offeringRepository.find(ctx.db, offeringId);
  if (!offering) throw new ServiceError(404, 'not_found', 'error.offeringNotFound');
  const { candidates, skipped } = await nominationCandidates(ctx, actor, offeringId, v.data.unitId);
  return { count: candidates.length, skipped, answersPending: offering.questions.some((q) => q.required) };
}

/**
 * Applies for every active staff member of the unit (所属推薦), except the nominator. The required
 * questions are left to each applicant (answers pending): the nominator cannot answer 「受講の動機」 for
 * someone else; each applicant is mailed and answers on their application page.
 */
export async function nominateUnit(ctx: AppContext, actor: CurrentUser, offeringId: number, input: { unitId?: unknown }) {
  if (!actor.roles.includes('admin')) throw new ServiceError(403, 'forbidden', 'error.forbidden');
  const v = validate(nominationSchema, input);
  if (!v.ok) throw invalid(v.errors);
  const { people } = await nominationCandidates(ctx, actor, offeringId, v.data.unitId);
  const others = people.filter((p) => p.id !== actor.id);
  // Submitted together, the unit's applications are decided as one group (in list order).
  const outcomes = await Promise.allSettled(others.map((p) => apply(ctx, actor, offeringId, { personId: p.id, answersPending: true })));
  let applied = 0;
  let skipped = people.length - others.length;
  for (const o of outcomes) {
    if (o.status === 'fulfilled') applied++;
    else if (o.reason instanceof ServiceError && o.reason.status === 409) skipped++;
    else throw o.reason;
  }
  return { applied, skipped };
}

// ---------------------------------------------------------------------------------------------
// Answers left to the applicant (代理申込 / 所属推薦 with answers pending)

/** The applicant answers the questions of an application taken for them with answers pending. */
export async function answerQuestions(ctx: AppContext, actor: CurrentUser, applicationId: number, input: { answers?: unknown }): Promise<Application> {
  const parsed = validate(answersSchema, input.answers ?? {});
  if (!parsed.ok) throw invalid({ answers: { key: 'error.invalid' } });
  const result = await ctx.db.transaction().execute(async (trx) => {
    const found = await applicationRepository.find(trx, applicationId);
    if (!found || !mayAnswerApplication(actor, found)) throw new ServiceError(404, 'not_found', 'error.notFound');
    const offering = await lockOffering(trx, found.offering_id);
    const app = (await applicationRepository.find(trx, applicationId))!;
    if (!owesAnswers(app)) throw new ServiceError(409, 'no_answers_owed', 'applications.error.noAnswersOwed');
    const answers = { ...app.answers, ...parsed.data };
    const missing = unansweredRequired(offering.questions, answers);
    if (missing.length) throw invalid(Object.fromEntries(missing.map((q) => [`answers.${q.id}`, { key: 'error.answerRequired', params: { question: q.label } }])));
    const after = await applicationRepository.update(trx, app.id, { answers: JSON.stringify(answers) as never, answers_pending: false, updated_at: ctx.now() });
    await audit(trx, ctx, actor, 'answer', 'application', app.id, { answers: app.answers, answersPending: true }, { answers, answersPending: false });
    return after;
  });
  return result;
}

// ---------------------------------------------------------------------------------------------
// Cancellation preview, for the confirmation step

/** What cancelling the application would do (who is told, whose seat moves), or null when the reader may not cancel it. */
export async function cancellationPreview(ctx: AppContext, actor: CurrentUser, applicationId: number) {
  const app = await applicationRepository.find(ctx.db, applicationId);
  if (!app || !mayCancelApplication(actor, app)) return null;
  const offering = await offeringRepository.find(ctx.db, app.offering_id);
  if (!offering) return null;
  const waiting = await applicationRepository.waitlisted(ctx.db, offering.id);
  const position = waiting.findIndex((w) => w.id === app.id) + 1;
  const effect = cancellationEffect({ status: app.status, waitlistKept: offering.waitlist, waiting: waiting.length, promotionCutoff: offering.promotion_cutoff, now: ctx.now() });
  return { app, offering, effect, waiting: waiting.length, position: position || null, live: LIVE_STATUSES.includes(app.status) };
}

// ---------------------------------------------------------------------------------------------
// Queries

export function getApplication(ctx: AppContext, id: number) {
  return applicationRepository.find(ctx.db, id);
}

/** Applications of an offering, with the 1-based waitlist position (null when not waitlisted). */
export async function listApplications(ctx: AppContext, offeringId: number, f: { status?: string; unitId?: number; q?: string } = {}) {
  const rows = await applicationRepository.listForOffering(ctx.db, offeringId, f);
  const waiting = await applicationRepository.waitlisted(ctx.db, offeringId);
  const position = new Map(waiting.map((w, i) => [w.id, i + 1]));
  return rows.map((r) => ({ ...r, waitlist_position: position.get(r.id) ?? null }));
}

/** One page of an offering's applicants (sorted and paged in the database), and its counts by status. */
export async function pageApplications(
  ctx: AppContext,
  offeringId: number,
  f: { status?: string; unitId?: number },
  p: { sort: 'appliedAt' | 'kana' | 'status'; dir: 'asc' | 'desc'; limit: number; offset: number },
  /** People whose live application (if any) is wanted too, e.g. a proxy search's matches. */
  personIds: readonly number[] = [],
) {
  const [page, counts, applied] = await Promise.all([
    applicationRepository.pageForOffering(ctx.db, offeringId, f, p),
    applicationRepository.statusCounts(ctx.db, offeringId),
    applicationRepository.liveStatusOf(ctx.db, offeringId, personIds),
  ]);
  return { ...page, counts, applied };
}

export function myApplications(ctx: AppContext, personId: number) {
  return applicationRepository.listForPerson(ctx.db, personId);
}

/** The applications the actor may endorse or return: their unit's (every unit's for an admin), never their own. */
export function endorsementQueue(ctx: AppContext, actor: CurrentUser): ReturnType<typeof applicationRepository.pendingEndorsement> {
  if (actor.roles.includes('admin')) return applicationRepository.pendingEndorsement(ctx.db, null, actor.id);
  return actor.unitId ? applicationRepository.pendingEndorsement(ctx.db, actor.unitId, actor.id) : Promise.resolve([]);
}

