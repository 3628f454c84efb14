import type { Kysely } from 'kysely';
import { z } from 'zod';
import { fiscalYearOf, formatTokyo } from '../domain/calendar.js';
import { offeringRefusal } from '../domain/field-offer.js';
import { applicationRepository } from '../db/repositories/application.repository.js';
import { offeringRepository } from '../db/repositories/offering.repository.js';
import { partnerRepository } from '../db/repositories/partner.repository.js';
import type { Database } from '../db/schema.js';
import { translator } from '../i18n/index.js';
import { type FieldErrors, instantField, optionalInt, realDate, requiredId, requiredText, validate } from '../lib/validation.js';
import { confirmationRequired, previewCompletionChange, recomputeOfferingCompletions } from './completion.service.js';
import { type Actor, type AppContext, invalid, ServiceError } from './context.js';
import { insertFieldSession, mailedMemberCount, notifyMembers } from './partner.service.js';

/**
 * The office sets up a field training (現地研修) directly (issue 16 §2.5): a session of an offering at
 * one of a partner's sites, without waiting for the partner's offer. It is the same kind of session
 * an accepted offer makes (partner.service.ts `insertFieldSession`): hosted by the partner, so its
 * members see the roster and get the host-side questionnaire. Like an acceptance, it asks first
 * (who is mailed, whether it is published, what it does to completions) and then tells the host.
 */

/** The API's fields: instants with a zone. The form sends a date and two times instead (see `fromForm`). */
export const fieldSessionInputSchema = z.object({
  siteId: requiredId(),
  theme: requiredText(200),
  startsAt: instantField(),
  endsAt: instantField(),
  capacity: optionalInt(1, 1000),
});

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const confirmed = (v: unknown) => v === true || v === 'yes' || v === 'on' || v === 'true';
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * The form's date (type="date") and start and end times (type="time"), Tokyo wall-clock, as the
 * schema's instants; each missing or malformed part is refused at its own field.
 */
function fromForm(input: Record<string, unknown>): { data: Record<string, unknown>; errors: FieldErrors } {
  if (input.date === undefined && input.startTime === undefined && input.endTime === undefined) return { data: input, errors: {} };
  const errors: FieldErrors = {};
  const date = text(input.date);
  if (!date) errors.date = { key: 'error.required' };
  else if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !realDate(date)) errors.date = { key: 'error.invalid' };
  for (const f of ['startTime', 'endTime'] as const) {
    const v = text(input[f]);
    if (!v) errors[f] = { key: 'error.required' };
    else if (!TIME.test(v)) errors[f] = { key: 'error.invalid' };
  }
  const at = (f: 'startTime' | 'endTime') => (errors.date || errors[f] ? '' : `${date}T${text(input[f])}`);
  return { data: { ...input, startsAt: at('startTime'), endsAt: at('endTime') }, errors };
}

/** Everything adding checks, on the database or a transaction, whatever the client sent. */
async function check(db: Kysely<Database>, ctx: AppContext, offeringId: number, input: Record<string, unknown>, lock: boolean) {
  const form = fromForm(input);
  const v = validate(fieldSessionInputSchema, form.data);
  const errors: FieldErrors = { ...(v.ok ? {} : v.errors), ...form.errors };
  // A form's date and times stand for startsAt/endsAt: their errors are said at the form's own fields.
  if (input.date !== undefined || input.startTime !== undefined) {
    if (errors.startsAt && !form.errors.date && !form.errors.startTime) errors.startTime = errors.startsAt;
    if (errors.endsAt && !form.errors.date && !form.errors.endTime) errors.endTime = errors.endsAt;
    delete errors.startsAt;
    delete errors.endsAt;
  }
  if (!v.ok || Object.keys(errors).length) throw invalid(errors);
  const d = v.data;
  const endField = input.endTime !== undefined ? 'endTime' : 'endsAt';
  const startField = input.startTime !== undefined ? 'startTime' : 'startsAt';
  if (d.endsAt <= d.startsAt) throw invalid({ [endField]: { key: 'error.sessionOrder' } });
  const offering = lock ? await offeringRepository.lock(db, offeringId) : await offeringRepository.find(db, offeringId);
  if (!offering) throw new ServiceError(404, 'not_found', 'error.offeringNotFound');
  const now = ctx.now();
  if (d.startsAt.getTime() <= now.getTime()) throw invalid({ [startField]: { key: 'error.pastDate' } });
  const refusal = offeringRefusal(offering, d.startsAt, now);
  if (refusal === 'year') throw invalid({ [input.date !== undefined ? 'date' : startField]: { key: 'error.offeringYear', params: { fy: fiscalYearOf(d.startsAt) } } });
  if (refusal) throw new ServiceError(409, 'cannot_change', 'error.offeringFinished');
  const site = await partnerRepository.findSite(db, d.siteId);
  const partner = site ? await partnerRepository.find(db, site.partner_id) : undefined;
  if (!site || !site.active || !partner || !partner.active) throw invalid({ siteId: { key: 'error.choice' } });
  const capacity = d.capacity ?? site.capacity;
  if (capacity > site.capacity) throw invalid({ capacity: { key: 'error.offerOverSite', params: { max: site.capacity } } });
  return { offering, site, partner, theme: d.theme, starts: d.startsAt, endsAt: d.endsAt, capacity };
}

/**
 * What adding would do, for the confirmation step (nothing is written): the session, who at the
 * partner is mailed, whether it is published, who the host's roster lists, and the completions and
 * certificates a further session would withdraw.
 */
export async function previewAddFieldSession(ctx: AppContext, offeringId: number, input: Record<string, unknown>) {
  const c = await check(ctx.db, ctx, offeringId, input, false);
  const [membersMailed, roster, effect] = await Promise.all([
    mailedMemberCount(ctx, c.partner.id),
    applicationRepository.confirmedForSession(ctx.db, c.offering.id),
    previewCompletionChange(ctx, offeringId, { addSession: { startsAt: c.starts, endsAt: c.endsAt } }),
  ]);
  return { ...c, membersMailed, published: c.offering.published && !c.offering.cancelled_at, rosterCount: roster.length, effect };
}

/** Adds the field session, tells the host's members, and recomputes completions if the session changes them. */
export async function addFieldSession(ctx: AppContext, actor: Actor, offeringId: number, input: Record<string, unknown>) {
  const session = await ctx.db.transaction().execute(async (trx) => {
    const c = await check(trx, ctx, offeringId, input, true);
    const effect = await previewCompletionChange(ctx, offeringId, { addSession: { startsAt: c.starts, endsAt: c.endsAt } }, trx);
    // Withdrawing completions (and revoking certificates) is said on the confirmation step and needs it.
    if ((effect.certificatesRevoked > 0 || effect.completionsLost > 0) && !confirmed(input.confirm)) throw confirmationRequired(effect);
    const row = await insertFieldSession(trx, ctx, actor, c);
    if (effect.completionsLost > 0) await recomputeOfferingCompletions(trx, ctx, actor, offeringId);
    const t = translator('ja');
    const params = { theme: c.theme, offering: c.offering.title, when: `${formatTokyo(c.starts, 'ja', 'datetime')}〜${formatTokyo(c.endsAt, 'ja', 'time')}`, site: `${c.site.name}（${c.site.address}）`, url: `${ctx.config.baseUrl}/partner` };
    await notifyMembers(trx, ctx, c.partner.id, t('offer.directMailSubject', params), t('offer.directMailBody', params));
    return row;
  });
  ctx.kickOutbox();
  return session;
}

/** The sites where the office can hold a field training: active sites of active partners, grouped by partner. */
export async function fieldSessionSites(ctx: AppContext) {
  const rows = await partnerRepository.activeSites(ctx.db);
  const byPartner = new Map<number, { partnerId: number; partnerName: string; sites: typeof rows }>();
  for (const r of rows) {
    const g = byPartner.get(r.partner_id) ?? { partnerId: r.partner_id, partnerName: r.partner_name, sites: [] };
    g.sites.push(r);
    byPartner.set(r.partner_id, g);
  }
  return [...byPartner.values()];
}
