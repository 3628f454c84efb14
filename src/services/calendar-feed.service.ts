import { applicationRepository } from '../db/repositories/application.repository.js';
import { calendarFeedRepository } from '../db/repositories/calendar-feed.repository.js';
import { offeringRepository } from '../db/repositories/offering.repository.js';
import { personRepository } from '../db/repositories/person.repository.js';
import { randomToken } from '../lib/crypto.js';
import { type IcsEvent, toIcs } from '../lib/icalendar.js';
import { formatTokyo } from '../domain/calendar.js';
import type { PolicyActor } from '../domain/policies/actor.js';
import { mayViewOffering, seesPublishedOfferingsOnly } from '../domain/policies/offering.js';
import { type Translate, translator } from '../i18n/index.js';
import { audit } from './audit.service.js';
import { enqueueMail } from './mail.service.js';
import { type SessionNotes, sessionNoteLines } from './calendar-invitation.service.js';
import type { AppContext } from './context.js';

/**
 * A session's event in the feeds and its .ics: the participant code (in a person's feed), then the
 * session's 持ち物 and access, each left out when empty; in the feed's owner's language (Japanese for a
 * session's own .ics).
 */
function event(ctx: AppContext, s: SessionNotes & { title: string; starts_at: Date; ends_at: Date; venue: string }, offeringTitle: string, code?: string, t: Translate = translator('ja')): IcsEvent {
  const description = [...(code ? [t('mail.calendarCode', { code })] : []), ...sessionNoteLines(t, s)].join('\n');
  return {
    uid: `session-${s.id}@kyodo`,
    start: s.starts_at,
    end: s.ends_at,
    summary: `${offeringTitle}：${s.title}`,
    location: s.venue || undefined,
    description: description || undefined,
    url: `${ctx.config.baseUrl}/trainings`,
    updated: ctx.now(),
  };
}

/**
 * One session as an .ics file, for `viewer` (the signed-in person; none: a visitor). The offering policy
 * decides whether they may see it; a cancelled offering is in no one's calendar but the admins'.
 */
export async function sessionIcs(ctx: AppContext, sessionId: number, opts: { viewer?: PolicyActor | null } = {}): Promise<string | null> {
  const s = await offeringRepository.findSession(ctx.db, sessionId);
  if (!s) return null;
  const o = (await offeringRepository.find(ctx.db, s.offering_id))!;
  const viewer = opts.viewer ?? null;
  // A session of an offering not yet published is no one's business but the admins' (found by tests/http/idor.test.ts).
  if (!mayViewOffering(viewer, o) || (o.cancelled_at && seesPublishedOfferingsOnly(viewer))) return null;
  return toIcs(o.title, [event(ctx, s, o.title)]);
}

/** The person's secret calendar feed token, made on first use. */
/** The person's feed token if they have made one (null if not): reading it records nothing. */
export async function existingCalendarToken(ctx: AppContext, personId: number): Promise<string | null> {
  return (await personRepository.find(ctx.db, personId))?.calendar_token ?? null;
}

export async function calendarToken(ctx: AppContext, personId: number, renew = false): Promise<string> {
  const p = await personRepository.find(ctx.db, personId);
  if (p?.calendar_token && !renew) return p.calendar_token;
  const token = randomToken(24);
  await ctx.db.transaction().execute(async (trx) => {
    await personRepository.update(trx, personId, { calendar_token: token, updated_at: ctx.now() });
    await audit(trx, ctx, { id: personId }, renew ? 'calendar_token_renewed' : 'calendar_token_created', 'person', personId);
  });
  return token;
}

/** Every session of every offering where the token's owner is confirmed. */
export async function personalFeed(ctx: AppContext, token: string): Promise<string | null> {
  const person = await calendarFeedRepository.personByToken(ctx.db, token);
  if (!person) return null;
  const rows = await calendarFeedRepository.confirmedSessions(ctx.db, person.id);
  const t = translator(person.locale === 'en' ? 'en' : 'ja');
  return toIcs(`Kyodo：${person.name}`, rows.map((r) => event(ctx, r, r.offering_title, r.participant_code, t)));
}

/**
 * Queues a reminder for each confirmed participant of each session starting within its offering's
 * reminder period; each (session, participant) is reminded once, whichever instance runs this.
 */
export async function sendDueReminders(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const horizon = new Date(now.getTime() + 60 * 86_400_000);
  const sessions = (await offeringRepository.sessionsStartingBetween(ctx.db, now, horizon)).filter(
    (s) => s.reminder_days > 0 && s.starts_at.getTime() - now.getTime() <= s.reminder_days * 86_400_000,
  );
  let sent = 0;
  for (const s of sessions) {
    const participants = await applicationRepository.confirmedForSession(ctx.db, s.offering_id);
    for (const a of participants) {
      await ctx.db.transaction().execute(async (trx) => {
        if (!(await applicationRepository.markReminded(trx, s.id, a.id, now))) return;
        const t = translator('ja');
        await enqueueMail(trx, ctx, {
          to: a.person_email,
          subject: t('mail.reminderSubject', { date: formatTokyo(s.starts_at, 'ja', 'date'), offering: s.offering_title }),
          body: t('mail.reminderBody', {
            name: a.person_name,
            offering: s.offering_title,
            session: s.title,
            when: `${formatTokyo(s.starts_at, 'ja', 'datetime')}〜${formatTokyo(s.ends_at, 'ja', 'time')}`,
            venue: s.venue,
            code: a.participant_code,
            url: `${ctx.config.baseUrl}/my/applications/${a.id}`,
          }),
        });
        sent++;
      });
    }
  }
  if (sent) ctx.kickOutbox();
  return sent;
}

