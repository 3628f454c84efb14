import { z } from 'zod';
import { fiscalYearOf, formatTokyo } from '../domain/calendar.js';
import { applicationRepository } from '../db/repositories/application.repository.js';
import { offeringRepository } from '../db/repositories/offering.repository.js';
import { partnerRepository } from '../db/repositories/partner.repository.js';
import type { Database, OfferingSession } from '../db/schema.js';
import { translator } from '../i18n/index.js';
import { instantField, optionalInt, optionalText, requiredText, validate } from '../lib/validation.js';
import { audit } from './audit.service.js';
import { type CompletionChange, confirmationRequired, previewCompletionChange, recomputeOfferingCompletions } from './completion.service.js';
import { type Actor, type AppContext, invalid, ServiceError } from './context.js';
import { enqueueMails } from './mail.service.js';
import { reviseSessions, withCalendar } from './calendar-invitation.service.js';
import { mailedMemberCount, notifyHostOfChange, sessionChangeParams, withdrawFieldSession } from './partner.service.js';
import type { Kysely } from 'kysely';

/**
 * Sessions (回) of an offering: add, change (date, time, venue, title) and delete. A change that
 * revokes certificates is refused until confirmed; a change or deletion tells the confirmed
 * participants and, for a field training, the host organisation; a session that came from a
 * partner's offer gives the offer back (申出中, with a note) when it is deleted.
 */

const SESSION_FORMATS = ['lecture', 'workshop', 'field', 'online'] as const;

export const sessionInputSchema = z.object({
  title: requiredText(200),
  format: z.enum(SESSION_FORMATS),
  startsAt: instantField(),
  endsAt: instantField(),
  venue: optionalText(300),
  lecturers: optionalText(500),
  capacity: optionalInt(1, 100_000),
  belongings: optionalText(1000),
  access: optionalText(1000),
});

export const sessionChangeSchema = z.object({
  title: requiredText(200),
  startsAt: instantField(),
  endsAt: instantField(),
  venue: optionalText(300),
  lecturers: optionalText(500),
  belongings: optionalText(1000),
  access: optionalText(1000),
});

const confirmed = (v: unknown) => v === true || v === 'on' || v === 'yes' || v === 'true';

/** Participants are told of a change to a session that has not ended yet; one that is over concerns nobody. */
const stillAhead = (s: Pick<OfferingSession, 'ends_at'>, now: Date) => s.ends_at.getTime() > now.getTime();

async function hostOf(db: Kysely<Database>, session: OfferingSession) {
  const offer = await partnerRepository.offerOfSession(db, session.id);
  const hostId = session.host_partner_id ?? offer?.partner_id ?? null;
  const partner = hostId ? await partnerRepository.find(db, hostId) : undefined;
  return { offer: offer ?? null, partner: partner ?? null };
}

export async function addSession(ctx: AppContext, actor: Actor, offeringId: number, input: Record<string, unknown>): Promise<OfferingSession> {
  const v = validate(sessionInputSchema, input);
  if (!v.ok) throw invalid(v.errors);
  if (v.data.endsAt <= v.data.startsAt) throw invalid({ endsAt: { key: 'error.sessionOrder' } });
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await offeringRepository.lock(trx, offeringId))) throw new ServiceError(404, 'not_found', 'error.offeringNotFound');
    const effect = await previewCompletionChange(ctx, offeringId, { addSession: { startsAt: v.data.startsAt, endsAt: v.data.endsAt } }, trx);
    if ((effect.certificatesRevoked > 0 || effect.completionsLost > 0) && !confirmed(input.confirm)) throw confirmationRequired(effect);
    const row = await offeringRepository.insertSession(trx, {
      offering_id: offeringId,
      title: v.data.title,
      format: v.data.format,
      starts_at: v.data.startsAt,
      ends_at: v.data.endsAt,
      venue: v.data.venue ?? '',
      lecturers: v.data.lecturers ?? '',
      capacity: v.data.capacity ?? null,
      belongings: v.data.belongings ?? '',
      access: v.data.access ?? '',
    });
    await audit(trx, ctx, actor, 'create', 'offering_session', row.id, undefined, { ...row, ...effect });
    // The offering's completion now counts the new session: recompute at once, not at the next mark.
    if (effect.completionsLost > 0) await recomputeOfferingCompletions(trx, ctx, actor, offeringId);
    return row;
  });
}

/** What adding a session would do to completions, for the confirmation step (nothing is written). */
export async function previewAddSession(ctx: AppContext, offeringId: number, input: Record<string, unknown>) {
  const v = validate(sessionInputSchema, input);
  if (!v.ok) throw invalid(v.errors);
  if (v.data.endsAt <= v.data.startsAt) throw invalid({ endsAt: { key: 'error.sessionOrder' } });
  return previewCompletionChange(ctx, offeringId, { addSession: { startsAt: v.data.startsAt, endsAt: v.data.endsAt } });
}

/**
 * What deleting a session would do, for the confirmation step: who is told, whether a partner's
 * offer goes back to 申出中, and how many completions and certificates it withdraws. Refuses as
 * `deleteSession` would.
 */
export async function previewDeleteSession(ctx: AppContext, sessionId: number) {
  const session = await offeringRepository.findSession(ctx.db, sessionId);
  if (!session) throw new ServiceError(404, 'not_found', 'error.notFound');
  const records = await offeringRepository.sessionRecords(ctx.db, sessionId);
  if (records.attended || records.surveyed) throw new ServiceError(409, 'in_use', 'error.sessionInUse');
  const offering = (await offeringRepository.find(ctx.db, session.offering_id))!;
  const [participants, host, effect] = await Promise.all([
    applicationRepository.confirmedForSession(ctx.db, session.offering_id),
    hostOf(ctx.db, session),
    previewCompletionChange(ctx, session.offering_id, { removeSessionId: sessionId } satisfies CompletionChange),
  ]);
  const ahead = stillAhead(session, ctx.now());
  return {
    session,
    offering,
    participantsTold: ahead ? participants.length : 0,
    ahead,
    partner: host.partner ? { id: host.partner.id, name: host.partner.name, membersTold: await mailedMemberCount(ctx, host.partner.id) } : null,
    offer: host.offer,
    ...effect,
  };
}

/**
 * Deletes a session that has no record of what happened. A field training's offer goes back to
 * 申出中 with a note; the host's members and the confirmed participants are told; completions
 * follow at once. Refused (409 with the counts) while it would revoke certificates, unless confirmed.
 */
export async function deleteSession(ctx: AppContext, actor: Actor, sessionId: number, input: { reason?: unknown; confirm?: unknown } = {}): Promise<void> {
  const v = validate(z.object({ reason: optionalText(1000) }), { reason: input.reason });
  if (!v.ok) throw invalid(v.errors);
  const reason = v.data.reason;
  await ctx.db.transaction().execute(async (trx) => {
    const session = await offeringRepository.findSession(trx, sessionId);
    if (!session) throw new ServiceError(404, 'not_found', 'error.notFound');
    const offering = (await offeringRepository.lock(trx, session.offering_id))!;
    // A session with a record of what happened (attendance, questionnaires) is kept: reports count it.
    const records = await offeringRepository.sessionRecords(trx, sessionId);
    if (records.attended || records.surveyed) throw new ServiceError(409, 'in_use', 'error.sessionInUse');
    const effect = await previewCompletionChange(ctx, session.offering_id, { removeSessionId: sessionId }, trx);
    if ((effect.certificatesRevoked > 0 || effect.completionsLost > 0) && !confirmed(input.confirm)) throw confirmationRequired(effect);
    // The offer lets go of the session first, so that nothing refers to it when it goes.
    await withdrawFieldSession(trx, ctx, actor, session, reason);
    const row = await offeringRepository.deleteSession(trx, sessionId);
    if (!row) throw new ServiceError(404, 'not_found', 'error.notFound');
    await audit(trx, ctx, actor, 'delete', 'offering_session', sessionId, row, reason ? { reason } : undefined);
    const now = ctx.now();
    if (stillAhead(session, now)) {
      // The event leaves each participant's calendar: METHOD:CANCEL, same UID, next SEQUENCE (decision 0023; the row is gone, nothing to store).
      const cancelled = { ...session, ical_sequence: session.ical_sequence + 1 };
      for (const p of await applicationRepository.confirmedForSession(trx, session.offering_id)) {
        // Each participant in their own language, as the confirmation mail was.
        const t = translator(p.person_locale === 'en' ? 'en' : 'ja');
        const notice = {
          to: p.person_email,
          subject: t('mail.sessionCancelledSubject', { session: session.title }),
          body: t('mail.sessionCancelledBody', {
            name: p.person_name,
            offering: offering.title,
            session: session.title,
            when: formatTokyo(session.starts_at, p.person_locale === 'en' ? 'en' : 'ja', 'datetime'),
            reason: reason || t('mail.noReason'),
            url: `${ctx.config.baseUrl}/trainings/${offering.id}`,
          }),
        };
        const who = { name: p.person_name, email: p.person_email, locale: p.person_locale, code: p.participant_code };
        await enqueueMails(trx, ctx, withCalendar(ctx, notice, 'CANCEL', who, offering.title, [cancelled], `${ctx.config.baseUrl}/my/applications/${p.id}`));
      }
    }
    await recomputeOfferingCompletions(trx, ctx, actor, session.offering_id);
  });
  ctx.kickOutbox();
}

async function checkChange(db: Kysely<Database>, ctx: AppContext, sessionId: number, input: Record<string, unknown>) {
  const v = validate(sessionChangeSchema, input);
  if (!v.ok) throw invalid(v.errors);
  if (v.data.endsAt <= v.data.startsAt) throw invalid({ endsAt: { key: 'error.sessionOrder' } });
  const before = await offeringRepository.findSession(db, sessionId);
  if (!before) throw new ServiceError(404, 'not_found', 'error.notFound');
  const offering = (await offeringRepository.find(db, before.offering_id))!;
  const after: OfferingSession = { ...before, title: v.data.title, starts_at: v.data.startsAt, ends_at: v.data.endsAt, venue: v.data.venue ?? '', lecturers: v.data.lecturers ?? '', belongings: input.belongings === undefined ? before.belongings : (v.data.belongings ?? ''), access: input.access === undefined ? before.access : (v.data.access ?? '') };
  const moved = after.starts_at.getTime() !== before.starts_at.getTime() || after.ends_at.getTime() !== before.ends_at.getTime();
  if (!moved && after.title === before.title && after.venue === before.venue && after.lecturers === before.lecturers && after.belongings === before.belongings && after.access === before.access) throw new ServiceError(422, 'no_change', 'error.noFields');
  if (moved) {
    // A session that has taken place (attendance recorded) keeps its time: the record says when it happened.
    if ((await offeringRepository.sessionRecords(db, sessionId)).attended) throw invalid({ startsAt: { key: 'error.sessionHeld' } });
    if (fiscalYearOf(after.starts_at) !== offering.fiscal_year) throw invalid({ startsAt: { key: 'error.sessionFiscalYear', params: { fy: offering.fiscal_year } } });
  }
  return { before, after, offering, moved };
}

/** What changing a session would do, for the confirmation step: who is told. Refuses as `updateSession` would. */
export async function previewUpdateSession(ctx: AppContext, sessionId: number, input: Record<string, unknown>) {
  const c = await checkChange(ctx.db, ctx, sessionId, input);
  const ahead = stillAhead(c.before, ctx.now()) || stillAhead(c.after, ctx.now());
  const [participants, host] = await Promise.all([applicationRepository.confirmedForSession(ctx.db, c.before.offering_id), hostOf(ctx.db, c.before)]);
  return {
    ...c,
    ahead,
    participantsTold: ahead ? participants.length : 0,
    partner: host.partner && c.before.host_partner_id ? { id: host.partner.id, name: host.partner.name, membersTold: await mailedMemberCount(ctx, host.partner.id) } : null,
  };
}

/**
 * Changes a session's title, date and time, venue, lecturers, 持ち物 or access. Confirmed participants
 * (for a session not yet over) and, for a field training, the host's members are told what changed.
 */
export async function updateSession(ctx: AppContext, actor: Actor, sessionId: number, input: Record<string, unknown>): Promise<OfferingSession> {
  const result = await ctx.db.transaction().execute(async (trx) => {
    const found = await offeringRepository.findSession(trx, sessionId);
    if (!found) throw new ServiceError(404, 'not_found', 'error.notFound');
    await offeringRepository.lock(trx, found.offering_id);
    const { before, after, offering, moved } = await checkChange(trx, ctx, sessionId, input);
    const row = await offeringRepository.updateSession(trx, sessionId, { title: after.title, starts_at: after.starts_at, ends_at: after.ends_at, venue: after.venue, lecturers: after.lecturers, belongings: after.belongings, access: after.access });
    if (moved) await offeringRepository.clearReminders(trx, sessionId);
    await audit(trx, ctx, actor, 'update', 'offering_session', sessionId, before, row);
    const now = ctx.now();
    if (stillAhead(before, now) || stillAhead(row, now)) {
      // What the calendar shows changed (time, place, title, and the 持ち物 and access in its description): each
      // participant's event is updated, same UID, next SEQUENCE (decision 0023).
      const shown = moved || row.title !== before.title || row.venue !== before.venue || row.belongings !== before.belongings || row.access !== before.access;
      const [revised] = shown ? await reviseSessions(trx, [row]) : [];
      for (const p of await applicationRepository.confirmedForSession(trx, row.offering_id)) {
        // Each participant in their own language, as the confirmation mail was.
        const t = translator(p.person_locale === 'en' ? 'en' : 'ja');
        const change = sessionChangeParams(before, row, t);
        const notice = {
          to: p.person_email,
          subject: t('mail.sessionChangedSubject', { session: row.title }),
          body: t('mail.sessionChangedBody', { name: p.person_name, offering: offering.title, ...change, url: `${ctx.config.baseUrl}/trainings/${offering.id}` }),
        };
        const who = { name: p.person_name, email: p.person_email, locale: p.person_locale, code: p.participant_code };
        await enqueueMails(trx, ctx, revised ? withCalendar(ctx, notice, 'REQUEST', who, offering.title, [revised], `${ctx.config.baseUrl}/my/applications/${p.id}`) : [notice]);
      }
    }
    await notifyHostOfChange(trx, ctx, row, before, offering.title);
    return row;
  });
  ctx.kickOutbox();
  return result;
}
