import type { Kysely } from 'kysely';
import { z } from 'zod';
import { fiscalYearOf, formatTokyo } from '../domain/calendar.js';
import { offerFiscalYears, offeringRefusal, upcomingStarts } from '../domain/field-offer.js';
import { searchKey } from '../domain/kana.js';
import { offeringRepository } from '../db/repositories/offering.repository.js';
import { partnerRepository } from '../db/repositories/partner.repository.js';
import { personRepository } from '../db/repositories/person.repository.js';
import { applicationRepository } from '../db/repositories/application.repository.js';
import { type Database, type FieldOffer, type OfferingSession, type Partner, type PartnerSite } from '../db/schema.js';
import { type Translate, translator } from '../i18n/index.js';
import { emailField, type FieldErrors, instantField, intField, kanaField, optionalText, requiredId, requiredText, validate } from '../lib/validation.js';
import { sendOneTimeLink } from './account.service.js';
import { audit } from './audit.service.js';
import { type Actor, type AppContext, invalid, ServiceError } from './context.js';
import { enqueueMail } from './mail.service.js';
import { normaliseKana } from './person.service.js';
import { PARTNER_TYPES } from '../domain/values.js';
import { type CurrentUser } from './context.js';
import { mayEditPartner, mayHostSession, mayOfferAtSite, mayViewPartner, type PartnerActor } from '../domain/policies/partner.js';

const list = (v: unknown) => (typeof v === 'string' ? v.split(/[、,，;\s]+/).map((x) => x.trim()).filter(Boolean) : v === undefined ? [] : v);
const ids = (v: unknown) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]);

export const partnerInputSchema = z.object({
  name: requiredText(200),
  kana: kanaField(200),
  type: z.enum(PARTNER_TYPES),
  fields: z.preprocess(list, z.array(z.string().max(30)).max(20)),
  areas: z.preprocess(ids, z.array(z.coerce.number().int().positive().max(2147483647)).max(50)),
  contactName: optionalText(100),
  contactEmail: z.preprocess((v) => (v === '' ? undefined : v), emailField().optional()),
  contactPhone: optionalText(30),
  description: optionalText(4000),
});

export function partnerSearchKey(p: { name: string; kana: string; description?: string; fields?: string[] }): string {
  return [p.name, p.kana, (p.fields ?? []).join(' '), p.description ?? ''].map(searchKey).join('|');
}

function partnerColumns(d: z.output<typeof partnerInputSchema>) {
  const kana = normaliseKana(d.kana);
  return {
    name: d.name,
    kana,
    type: d.type,
    fields: JSON.stringify(d.fields),
    area_unit_ids: JSON.stringify(d.areas),
    contact_name: d.contactName ?? '',
    contact_email: d.contactEmail ?? '',
    contact_phone: d.contactPhone ?? '',
    description: d.description ?? '',
    search_key: partnerSearchKey({ name: d.name, kana, description: d.description, fields: d.fields }),
  };
}

export async function memberPartnerId(ctx: AppContext, actor: CurrentUser): Promise<number | null> {
  const p = await personRepository.find(ctx.db, actor.id);
  return p?.partner_id ?? null;
}

/** The actor as the partner policies see them: with the organisation they are a member of. */
async function asPartnerActor(ctx: AppContext, actor: CurrentUser): Promise<PartnerActor> {
  return { ...actor, partnerId: await memberPartnerId(ctx, actor) };
}

const notFound = () => new ServiceError(404, 'not_found', 'error.notFound');

/** The organisation with its sites, members, offers and hosted sessions, if the actor may see it (else 404). */
export async function viewPartner(ctx: AppContext, actor: CurrentUser, id: number) {
  if (!mayViewPartner(await asPartnerActor(ctx, actor), { id })) throw notFound();
  const d = await getPartner(ctx, id);
  if (!d) throw notFound();
  return d;
}

/** The actor's own organisation (a partner member's), or null. */
export async function ownPartner(ctx: AppContext, actor: CurrentUser) {
  const id = await memberPartnerId(ctx, actor);
  return id ? getPartner(ctx, id) : null;
}

export async function createPartner(ctx: AppContext, actor: Actor, input: Record<string, unknown>): Promise<Partner> {
  const v = validate(partnerInputSchema, input);
  if (!v.ok) throw invalid(v.errors);
  return ctx.db.transaction().execute(async (trx) => {
    if (await partnerRepository.findByName(trx, v.data.name)) throw invalid({ name: { key: 'error.nameTaken' } });
    const now = ctx.now();
    const row = await partnerRepository.insert(trx, { ...partnerColumns(v.data), created_at: now, updated_at: now });
    await audit(trx, ctx, actor, 'create', 'partner', row.id, undefined, row);
    return row;
  });
}

export async function updatePartner(ctx: AppContext, actor: CurrentUser, id: number, input: Record<string, unknown>): Promise<Partner> {
  if (!mayEditPartner(await asPartnerActor(ctx, actor), { id })) throw notFound();
  const v = validate(partnerInputSchema, input);
  if (!v.ok) throw invalid(v.errors);
  return ctx.db.transaction().execute(async (trx) => {
    const before = await partnerRepository.find(trx, id);
    if (!before) throw new ServiceError(404, 'not_found', 'error.notFound');
    const same = await partnerRepository.findByName(trx, v.data.name);
    if (same && same.id !== id) throw invalid({ name: { key: 'error.nameTaken' } });
    const after = await partnerRepository.update(trx, id, { ...partnerColumns(v.data), updated_at: ctx.now() });
    await audit(trx, ctx, actor, 'update', 'partner', id, before, after);
    return after;
  });
}

export const siteInputSchema = z.object({
  name: requiredText(200),
  address: requiredText(300),
  whatToSee: optionalText(2000),
  accessibility: optionalText(1000),
  capacity: intField(1, 1000),
});

export async function addSite(ctx: AppContext, actor: CurrentUser, partnerId: number, input: Record<string, unknown>) {
  if (!mayEditPartner(await asPartnerActor(ctx, actor), { id: partnerId })) throw notFound();
  const v = validate(siteInputSchema, input);
  if (!v.ok) throw invalid(v.errors);
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await partnerRepository.find(trx, partnerId))) throw new ServiceError(404, 'not_found', 'error.notFound');
    const now = ctx.now();
    const row = await partnerRepository.insertSite(trx, {
      partner_id: partnerId,
      name: v.data.name,
      address: v.data.address,
      what_to_see: v.data.whatToSee ?? '',
      accessibility: v.data.accessibility ?? '',
      capacity: v.data.capacity,
      created_at: now,
      updated_at: now,
    });
    await audit(trx, ctx, actor, 'create', 'partner_site', row.id, undefined, row);
    return row;
  });
}

/** Invites a member of a partner organisation: a person with the partner role, and an emailed link. */
export async function invitePartnerMember(ctx: AppContext, actor: Actor, partnerId: number, input: Record<string, unknown>) {
  const v = validate(z.object({ name: requiredText(100), kana: kanaField(100), email: emailField() }), input);
  if (!v.ok) throw invalid(v.errors);
  const result = await ctx.db.transaction().execute(async (trx) => {
    if (!(await partnerRepository.find(trx, partnerId))) throw new ServiceError(404, 'not_found', 'error.notFound');
    if (await personRepository.findByEmail(trx, v.data.email)) throw invalid({ email: { key: 'error.emailTaken' } });
    const now = ctx.now();
    const kana = normaliseKana(v.data.kana);
    const p = await personRepository.insert(trx, {
      name: v.data.name,
      kana,
      email: v.data.email,
      staff_number: null,
      unit_id: null,
      affiliation: 'partner',
      partner_id: partnerId,
      search_key: [v.data.name, kana, v.data.email].map(searchKey).join('|'),
      created_at: now,
      updated_at: now,
    });
    await personRepository.setRoles(trx, p.id, ['partner']);
    await audit(trx, ctx, actor, 'invite_member', 'partner', partnerId, undefined, { personId: p.id, email: p.email });
    await sendOneTimeLink(trx, ctx, p, 'invite');
    return p;
  });
  ctx.kickOutbox();
  return result;
}

// ---------------------------------------------------------------------------------------------
// Field-training offers

/** Candidate dates: an array from the API, or text with one per line ('2027-01-20T13:30', the form before issue 16). */
const candidates = (v: unknown) => (typeof v === 'string' ? v.split(/\r?\n/).map((x) => x.trim()).filter(Boolean) : v === undefined ? [] : v);

/**
 * The offer form's candidates come as rows of a date input and a time input (candidateDate[i],
 * candidateTime[i]); each filled row becomes one start in Tokyo time. A row with only one of the two
 * stays incomplete ('2027-01-20T'), so that it is refused as a bad date-time, never silently dropped.
 * Without those fields, candidateStarts is taken as sent (the API's array, or the old one-per-line text).
 */
export function withCandidateRows(input: Record<string, unknown>): Record<string, unknown> {
  if (input.candidateDate === undefined && input.candidateTime === undefined) return input;
  const many = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => (typeof x === 'string' ? x.trim() : ''));
  const dates = many(input.candidateDate);
  const times = many(input.candidateTime);
  const rows = Array.from({ length: Math.max(dates.length, times.length) }, (_, i) => [dates[i] ?? '', times[i] ?? ''] as const);
  return { ...input, candidateStarts: rows.filter(([d, t]) => d || t).map(([d, t]) => `${d}T${t}`) };
}

export const offerInputSchema = z.object({
  siteId: z.coerce.number().int().positive().max(2147483647),
  theme: requiredText(200),
  candidateStarts: z.preprocess(candidates, z.array(instantField()).min(1).max(10)),
  durationMinutes: intField(30, 600),
  capacity: intField(1, 1000),
  preparation: optionalText(2000),
});

export async function createOffer(ctx: AppContext, actor: CurrentUser, input: Record<string, unknown>) {
  const who = await asPartnerActor(ctx, actor);
  const partnerId = who.partnerId;
  if (!partnerId) throw notFound();
  const v = validate(offerInputSchema, withCandidateRows(input));
  if (!v.ok) {
    // With the form's date and time inputs, a bad candidate is one without both parts (not a typed format).
    const rows = input.candidateDate !== undefined || input.candidateTime !== undefined;
    if (rows && v.errors.candidateStarts?.key === 'error.datetime') v.errors.candidateStarts = { key: 'offer.error.candidateRow' };
    throw invalid(v.errors);
  }
  const result = await ctx.db.transaction().execute(async (trx) => {
    const site = await partnerRepository.findSite(trx, v.data.siteId);
    if (!site || !mayOfferAtSite(who, site)) throw invalid({ siteId: { key: 'error.invalid' } });
    const errors: FieldErrors = {};
    if (v.data.capacity > site.capacity) errors.capacity = { key: 'error.offerOverSite', params: { max: site.capacity } };
    if (v.data.candidateStarts.some((d) => d.getTime() <= ctx.now().getTime())) errors.candidateStarts = { key: 'error.pastDate' };
    if (Object.keys(errors).length) throw invalid(errors);
    const row = await partnerRepository.insertOffer(trx, {
      partner_id: partnerId,
      site_id: site.id,
      theme: v.data.theme,
      candidate_starts: JSON.stringify(v.data.candidateStarts.map((d) => d.toISOString())),
      duration_minutes: v.data.durationMinutes,
      capacity: v.data.capacity,
      preparation: v.data.preparation ?? '',
      status: 'offered',
      created_by: actor.id,
      created_at: ctx.now(),
    });
    await audit(trx, ctx, actor, 'create', 'field_offer', row.id, undefined, row);
    const admins = (await personRepository.list(trx, { role: 'admin', limit: 20 })).rows;
    const t = translator('ja');
    for (const a of admins)
      await enqueueMail(trx, ctx, { to: a.email, subject: t('mail.offerSubject', { theme: row.theme }), body: t('mail.offerBody', { theme: row.theme, url: `${ctx.config.baseUrl}/admin/field-offers` }) });
    return row;
  });
  ctx.kickOutbox();
  return result;
}

/** Mails the partner's active members (inside the caller's transaction). */
export async function notifyMembers(trx: Kysely<Database>, ctx: AppContext, partnerId: number, subject: string, body: string) {
  for (const m of await partnerRepository.members(trx, partnerId)) if (m.active) await enqueueMail(trx, ctx, { to: m.email, subject, body });
}

/** Accepting an offer: the offering it becomes a session of, and which of its candidate starts. */
export const acceptOfferInputSchema = z.object({ offeringId: requiredId(), start: requiredText(40) });
/** Declining an offer: the reason the partner is mailed. */
export const declineOfferInputSchema = z.object({ reason: requiredText(1000) });

/**
 * Everything an acceptance checks, on the database or a transaction: the offer is still open, the
 * date is one of its candidates and still ahead, and the offering is neither cancelled nor finished
 * and its fiscal year contains the date — whatever the client sent.
 */
async function checkAcceptance(db: Kysely<Database>, ctx: AppContext, offerId: number, input: Record<string, unknown>, lock: boolean) {
  const v = validate(acceptOfferInputSchema, input);
  if (!v.ok) throw invalid(v.errors);
  const offer = await partnerRepository.findOffer(db, offerId);
  if (!offer) throw new ServiceError(404, 'not_found', 'error.notFound');
  if (offer.status !== 'offered') throw new ServiceError(409, 'cannot_change', 'error.cannotChange', {}, { status: offer.status });
  const starts = new Date(v.data.start);
  if (Number.isNaN(starts.getTime()) || !offer.candidate_starts.includes(starts.toISOString())) throw invalid({ start: { key: 'error.choice' } });
  const now = ctx.now();
  if (starts.getTime() <= now.getTime()) throw invalid({ start: { key: 'error.offerStartPast' } });
  const offering = lock ? await offeringRepository.lock(db, v.data.offeringId) : await offeringRepository.find(db, v.data.offeringId);
  if (!offering) throw invalid({ offeringId: { key: 'error.offeringNotFound' } });
  const refusal = offeringRefusal(offering, starts, now);
  if (refusal === 'year') throw invalid({ offeringId: { key: 'error.offeringYear', params: { fy: fiscalYearOf(starts) } } });
  if (refusal) throw invalid({ offeringId: { key: 'error.offeringFinished' } });
  const site = (await partnerRepository.findSite(db, offer.site_id))!;
  const partner = (await partnerRepository.find(db, offer.partner_id))!;
  return { offer, offering, site, partner, starts };
}

/** The members of a partner organisation who are mailed about its field trainings. */
async function mailedMembers(db: Kysely<Database>, partnerId: number) {
  return (await partnerRepository.members(db, partnerId)).filter((m) => m.active);
}

/**
 * What accepting would do, for the confirmation step: nothing is written. Refuses as `acceptOffer`
 * would. Says who is mailed, whether the session is published, and who the host's roster will list.
 */
export async function previewAcceptOffer(ctx: AppContext, offerId: number, input: Record<string, unknown>) {
  const c = await checkAcceptance(ctx.db, ctx, offerId, input, false);
  const [members, roster] = await Promise.all([mailedMembers(ctx.db, c.partner.id), applicationRepository.confirmedForSession(ctx.db, c.offering.id)]);
  return {
    ...c,
    membersMailed: members.length,
    published: c.offering.published && !c.offering.cancelled_at,
    rosterCount: roster.length,
    endsAt: new Date(c.starts.getTime() + c.offer.duration_minutes * 60_000),
  };
}

/** Accepts an offer: one of its candidate dates becomes a field session (現地研修) of an offering. */
export async function acceptOffer(ctx: AppContext, actor: Actor, offerId: number, input: Record<string, unknown>) {
  const result = await ctx.db.transaction().execute(async (trx) => {
    const { offer, offering, site, partner, starts } = await checkAcceptance(trx, ctx, offerId, input, true);
    const session = await insertFieldSession(trx, ctx, actor, { offering, partner, site, theme: offer.theme, starts, endsAt: new Date(starts.getTime() + offer.duration_minutes * 60_000), capacity: offer.capacity });
    const after = await partnerRepository.updateOffer(trx, offerId, {
      status: 'accepted',
      session_id: session.id,
      decided_by: actor?.id ?? null,
      decided_at: ctx.now(),
      withdrawn_session_starts_at: null,
      session_withdrawn_at: null,
      session_withdrawn_reason: null,
    });
    await audit(trx, ctx, actor, 'accept', 'field_offer', offerId, { status: offer.status }, { status: 'accepted', sessionId: session.id, offeringId: offering.id });
    const t = translator('ja');
    await notifyMembers(trx, ctx, partner.id, t('mail.offerAcceptedSubject', { theme: offer.theme }), t('mail.offerAcceptedBody', { theme: offer.theme, offering: offering.title, when: formatTokyo(starts, 'ja', 'datetime'), url: `${ctx.config.baseUrl}/partner` }));
    return { offer: after, session };
  });
  ctx.kickOutbox();
  return result;
}

/**
 * A field session (現地研修) at a partner's site, as an accepted offer makes it and as the office adds
 * it directly (field-session.service.ts): hosted by the partner, at the site, titled by its theme,
 * with the venue in words. Inside the caller's transaction; audited.
 */
export async function insertFieldSession(
  trx: Kysely<Database>,
  ctx: AppContext,
  actor: Actor,
  f: { offering: { id: number }; partner: Pick<Partner, 'id' | 'name'>; site: Pick<PartnerSite, 'id' | 'name' | 'address'>; theme: string; starts: Date; endsAt: Date; capacity: number | null },
): Promise<OfferingSession> {
  const session = await offeringRepository.insertSession(trx, {
    offering_id: f.offering.id,
    title: `現地研修：${f.theme}`,
    format: 'field',
    starts_at: f.starts,
    ends_at: f.endsAt,
    venue: `${f.partner.name} ${f.site.name}（${f.site.address}）`,
    lecturers: f.partner.name,
    capacity: f.capacity,
    site_id: f.site.id,
    host_partner_id: f.partner.id,
  });
  await audit(trx, ctx, actor, 'create', 'offering_session', session.id, undefined, session);
  return session;
}

/**
 * A field session is being deleted (inside the caller's transaction): its offer, if it came from one,
 * goes back to 申出中 with a note of the withdrawn session, and the host's members are told. Returns
 * the offer as it now stands, or null when the session came from no offer and has no host.
 */
export async function withdrawFieldSession(trx: Kysely<Database>, ctx: AppContext, actor: Actor, session: OfferingSession, reason: string | undefined) {
  const offer = await partnerRepository.offerOfSession(trx, session.id);
  const hostId = session.host_partner_id ?? offer?.partner_id ?? null;
  if (!hostId) return null;
  const now = ctx.now();
  let after: FieldOffer | null = null;
  if (offer) {
    after = await partnerRepository.updateOffer(trx, offer.id, {
      status: 'offered',
      session_id: null,
      decided_by: null,
      decided_at: null,
      withdrawn_session_starts_at: session.starts_at,
      session_withdrawn_at: now,
      session_withdrawn_reason: reason ?? null,
    });
    await audit(trx, ctx, actor, 'session_withdrawn', 'field_offer', offer.id, { status: offer.status, sessionId: offer.session_id }, { status: 'offered', sessionId: null, reason: reason ?? null });
  }
  const t = translator('ja');
  const theme = offer?.theme ?? session.title;
  await notifyMembers(
    trx,
    ctx,
    hostId,
    t('mail.fieldSessionWithdrawnSubject', { theme }),
    t('mail.fieldSessionWithdrawnBody', { theme, when: formatTokyo(session.starts_at, 'ja', 'datetime'), reason: reason || t('mail.noReason'), next: offer ? t('mail.fieldSessionWithdrawnNext') : '', url: `${ctx.config.baseUrl}/partner` }),
  );
  return after;
}

/** The host of a field session is told that its date, time or venue changed (inside the caller's transaction). */
export async function notifyHostOfChange(trx: Kysely<Database>, ctx: AppContext, session: OfferingSession, before: OfferingSession, offeringTitle: string) {
  if (!session.host_partner_id) return;
  const t = translator('ja');
  await notifyMembers(
    trx,
    ctx,
    session.host_partner_id,
    t('mail.sessionChangedSubject', { session: session.title }),
    t('mail.hostSessionChangedBody', { offering: offeringTitle, ...sessionChangeParams(before, session), url: `${ctx.config.baseUrl}/partner/sessions/${session.id}` }),
  );
}

/**
 * How a session read before and after a change, for mails (in Japanese): title, time and venue, then the
 * 持ち物 and the access when they changed, so that a notice about 持ち物 alone does not read as
 * "nothing changed". In `t`'s language (Japanese for a partner's members; a participant's own).
 */
export function sessionChangeParams(before: OfferingSession, after: OfferingSession, t: Translate = translator('ja')) {
  const when = (s: OfferingSession) => `${formatTokyo(s.starts_at, 'ja', 'datetime')}〜${formatTokyo(s.ends_at, 'ja', 'time')}`;
  const notes = (['belongings', 'access'] as const).filter((k) => before[k] !== after[k]);
  const read = (s: OfferingSession) =>
    `${s.title}　${when(s)}　${s.venue || '—'}` + notes.map((k) => `\n　${t(`field.${k}`)}：${(s[k] || '—').replace(/\r\n?|\n/g, '\n　　')}`).join('');
  return { session: after.title, before: read(before), after: read(after) };
}

/** How many members of a partner would be mailed (for confirmation steps). */
export async function mailedMemberCount(ctx: AppContext, partnerId: number | null) {
  return partnerId ? (await mailedMembers(ctx.db, partnerId)).length : 0;
}

/** What declining would do, for the confirmation step (nothing is written): the offer, and who is mailed. */
export async function previewDeclineOffer(ctx: AppContext, offerId: number, input: Record<string, unknown>) {
  const v = validate(declineOfferInputSchema, input);
  if (!v.ok) throw invalid(v.errors);
  const offer = await partnerRepository.findOffer(ctx.db, offerId);
  if (!offer) throw new ServiceError(404, 'not_found', 'error.notFound');
  if (offer.status !== 'offered') throw new ServiceError(409, 'cannot_change', 'error.cannotChange', {}, { status: offer.status });
  const partner = (await partnerRepository.find(ctx.db, offer.partner_id))!;
  return { offer, partner, reason: v.data.reason, membersMailed: (await mailedMembers(ctx.db, partner.id)).length };
}

export async function declineOffer(ctx: AppContext, actor: Actor, offerId: number, input: Record<string, unknown>) {
  const v = validate(declineOfferInputSchema, input);
  if (!v.ok) throw invalid(v.errors);
  await ctx.db.transaction().execute(async (trx) => {
    const offer = await partnerRepository.findOffer(trx, offerId);
    if (!offer) throw new ServiceError(404, 'not_found', 'error.notFound');
    if (offer.status !== 'offered') throw new ServiceError(409, 'cannot_change', 'error.cannotChange', {}, { status: offer.status });
    await partnerRepository.updateOffer(trx, offerId, { status: 'declined', decline_reason: v.data.reason, decided_by: actor?.id ?? null, decided_at: ctx.now() });
    await audit(trx, ctx, actor, 'decline', 'field_offer', offerId, { status: offer.status }, { status: 'declined', reason: v.data.reason });
    const t = translator('ja');
    await notifyMembers(trx, ctx, offer.partner_id, t('mail.offerDeclinedSubject', { theme: offer.theme }), t('mail.offerDeclinedBody', { theme: offer.theme, reason: v.data.reason, url: `${ctx.config.baseUrl}/partner` }));
  });
  ctx.kickOutbox();
}

// ---------------------------------------------------------------------------------------------
// Host side: only the partner's own sessions, and only name and unit of participants

async function hostedSession(ctx: AppContext, actor: CurrentUser, sessionId: number) {
  const session = await offeringRepository.findSession(ctx.db, sessionId);
  const who = await asPartnerActor(ctx, actor);
  if (!session || !who.partnerId || !mayHostSession(who, session)) throw notFound();
  return { session, partnerId: who.partnerId };
}

export async function hostRoster(ctx: AppContext, actor: CurrentUser, sessionId: number) {
  const { session } = await hostedSession(ctx, actor, sessionId);
  const offering = (await offeringRepository.find(ctx.db, session.offering_id))!;
  const participants = await applicationRepository.confirmedForSession(ctx.db, session.offering_id);
  return {
    session,
    offering: { title: offering.title },
    participants: participants.map((p) => ({ name: p.person_name, kana: p.person_kana, unit: p.unit_name ?? '' })).sort((a, b) => (a.kana < b.kana ? -1 : a.kana > b.kana ? 1 : 0)),
    messages: await partnerRepository.messages(ctx.db, sessionId),
  };
}

export async function postHostMessage(ctx: AppContext, actor: CurrentUser, sessionId: number, input: { body?: unknown }) {
  const v = validate(z.object({ body: requiredText(4000) }), input);
  if (!v.ok) throw invalid(v.errors);
  const { session, partnerId } = await hostedSession(ctx, actor, sessionId);
  await ctx.db.transaction().execute(async (trx) => {
    const m = await partnerRepository.insertMessage(trx, { session_id: sessionId, partner_id: partnerId, body: v.data.body, created_by: actor.id, created_at: ctx.now() });
    await audit(trx, ctx, actor, 'create', 'host_message', m.id, undefined, { sessionId, body: v.data.body });
    const partner = (await partnerRepository.find(trx, partnerId))!;
    const t = translator('ja');
    for (const p of await applicationRepository.confirmedForSession(trx, session.offering_id))
      await enqueueMail(trx, ctx, {
        to: p.person_email,
        subject: t('mail.hostMessageSubject', { partner: partner.name, session: session.title }),
        body: t('mail.hostMessageBody', { name: p.person_name, partner: partner.name, session: session.title, when: formatTokyo(session.starts_at, 'ja', 'datetime'), body: v.data.body }),
      });
  });
  ctx.kickOutbox();
}

export function hostedSessions(ctx: AppContext, partnerId: number) {
  return partnerRepository.hostedSessions(ctx.db, partnerId);
}

export async function listPartners(
  ctx: AppContext,
  f: { q?: string; type?: string; field?: string; areaId?: number; includeInactive?: boolean; after?: { kana: string; id: number }; limit?: number } = {},
) {
  return partnerRepository.list(ctx.db, { ...f, q: f.q ? searchKey(f.q) : undefined });
}

/** One page of the partner directory, sorted and paged in the database. */
export function pagePartners(
  ctx: AppContext,
  f: { q?: string; type?: string; field?: string; areaId?: number; includeInactive?: boolean },
  p: { sort: 'kana' | 'type'; dir: 'asc' | 'desc'; limit: number; offset: number },
) {
  return partnerRepository.page(ctx.db, { ...f, q: f.q ? searchKey(f.q) : undefined }, { ...p, typeOrder: PARTNER_TYPES });
}

export async function getPartner(ctx: AppContext, id: number) {
  const partner = await partnerRepository.find(ctx.db, id);
  if (!partner) return null;
  const [sites, members, offers, hosted] = await Promise.all([
    partnerRepository.sites(ctx.db, id),
    partnerRepository.members(ctx.db, id),
    partnerRepository.offers(ctx.db, { partnerId: id }),
    partnerRepository.hostedSessions(ctx.db, id),
  ]);
  return { partner, sites, members: members.map(({ password_hash, ...m }) => ({ ...m, invited: !password_hash })), offers, hosted };
}

export function listOffers(ctx: AppContext, f: { status?: string } = {}) {
  return partnerRepository.offers(ctx.db, f);
}

/**
 * For each open offer, the offerings it may be scheduled into: of the fiscal years of its candidate
 * dates still ahead, not cancelled and not finished. Keyed by offer id.
 */
export async function offeringChoices(ctx: AppContext, offers: readonly Pick<FieldOffer, 'id' | 'status' | 'candidate_starts'>[]) {
  const now = ctx.now();
  const years = new Map(offers.filter((o) => o.status === 'offered').map((o) => [o.id, offerFiscalYears(o.candidate_starts, now)]));
  const offerings = await partnerRepository.offeringsOfYears(ctx.db, [...new Set([...years.values()].flat())]);
  return new Map([...years].map(([id, fys]) => [id, { fiscalYears: fys, starts: upcomingStarts(offers.find((o) => o.id === id)!.candidate_starts, now), offerings: offerings.filter((x) => fys.includes(x.fiscal_year)) }]));
}

