import { z } from 'zod';
import { fiscalYearOf, formatFiscalYear, formatTokyo, parseFiscalYear, sessionDateWarnings, tokyoDateOf } from '../domain/calendar.js';
import { offeringYearProblem, openProgrammes, wouldCycle } from '../domain/programme.js';
import { translator } from '../i18n/index.js';
import { unitRepository } from '../db/repositories/unit.repository.js';
import { enqueueMails, type Mail } from './mail.service.js';
import { reviseSessions, withCalendar } from './calendar-invitation.service.js';
import { checkCapacity, SELECTION_METHODS } from '../domain/selection.js';
import { applicationRepository } from '../db/repositories/application.repository.js';
import { offeringRepository } from '../db/repositories/offering.repository.js';
import { previewCompletionChange, recomputeCompletion } from './completion.service.js';
import { programmeRepository } from '../db/repositories/programme.repository.js';
import type { Offering, OfferingQuestion, OfferingSession, PriorityRule } from '../db/schema.js';
import { type FieldErrors, checkbox, instantField, intField, optionalInstant, optionalInt, optionalText, requiredText, validate } from '../lib/validation.js';
import { audit } from './audit.service.js';
import { type Actor, type AppContext, invalid, ServiceError } from './context.js';

export const PRIORITY_RULES: readonly PriorityRule[] = ['first_time', 'unit_untrained'];

const seatsObject = z.object({
  prefecture: z.number().int().min(0).optional(),
  municipality: z.number().int().min(0).optional(),
  partner: z.number().int().min(0).optional(),
});

/**
 * Questions come from the API as objects, or from the form as text, one per line,
 * a leading * marking a required one.
 */
function parseQuestions(v: unknown): unknown {
  if (v === undefined || v === '') return [];
  if (typeof v !== 'string') return v;
  return v
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l, i) => ({ id: `q${i + 1}`, label: l.replace(/^\*\s*/, ''), required: l.startsWith('*') }));
}

export const offeringInputSchema = z.object({
  programmeId: intField(1, 2 ** 31 - 1),
  fiscalYear: intField(1990, 2100),
  title: requiredText(200),
  audience: optionalText(500),
  description: optionalText(4000),
  selection: z.enum(SELECTION_METHODS),
  capacity: intField(1, 100_000),
  seats: seatsObject.optional(),
  seatsPrefecture: optionalInt(0, 100_000),
  seatsMunicipality: optionalInt(0, 100_000),
  seatsPartner: optionalInt(0, 100_000),
  waitlist: z.union([z.boolean(), checkbox()]).optional(),
  endorsementRequired: z.union([z.boolean(), checkbox()]).optional(),
  applicationOpensAt: instantField(),
  applicationClosesAt: instantField(),
  cancellationDeadline: optionalInstant(),
  promotionCutoff: optionalInstant(),
  questions: z.preprocess(parseQuestions, z.array(z.object({ id: z.string().max(20), label: z.string().min(1).max(200), required: z.boolean() })).max(20)),
  priorityRules: z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(['first_time', 'unit_untrained']))),
  completionRule: z
    .object({
      minSessions: z.number().int().min(0).max(100).optional(),
      requiredSessionIds: z.array(z.number().int().positive().max(2147483647)).max(100).optional(),
      assignment: z.boolean().optional(),
      signOff: z.boolean().optional(),
    })
    .optional(),
  completionMinSessions: optionalInt(0, 100),
  completionRequiredSessions: z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(z.coerce.number().int().positive().max(2147483647)).max(100)),
  completionAssignment: z.union([z.boolean(), checkbox()]).optional(),
  completionSignOff: z.union([z.boolean(), checkbox()]).optional(),
  reminderDays: optionalInt(0, 60),
  published: z.union([z.boolean(), checkbox()]).optional(),
});

function toColumns(d: z.output<typeof offeringInputSchema>, forForm: boolean) {
  const seats = d.seats ?? {
    ...(d.seatsPrefecture !== undefined ? { prefecture: d.seatsPrefecture } : {}),
    ...(d.seatsMunicipality !== undefined ? { municipality: d.seatsMunicipality } : {}),
    ...(d.seatsPartner !== undefined ? { partner: d.seatsPartner } : {}),
  };
  return {
    programme_id: d.programmeId,
    fiscal_year: d.fiscalYear,
    title: d.title,
    audience: d.audience ?? '',
    description: d.description ?? '',
    selection: d.selection,
    capacity: d.capacity,
    seats,
    // An unticked checkbox is absent from a form; in JSON, an absent field takes the default.
    waitlist: d.waitlist ?? !forForm,
    endorsement_required: d.endorsementRequired ?? false,
    application_opens_at: d.applicationOpensAt,
    application_closes_at: d.applicationClosesAt,
    cancellation_deadline: d.cancellationDeadline ?? null,
    promotion_cutoff: d.promotionCutoff ?? null,
    questions: d.questions as OfferingQuestion[],
    priority_rules: d.priorityRules,
    completion_rule: d.completionRule ?? {
      ...(d.completionMinSessions !== undefined ? { minSessions: d.completionMinSessions } : {}),
      ...(d.completionRequiredSessions.length ? { requiredSessionIds: d.completionRequiredSessions } : {}),
      ...(d.completionAssignment ? { assignment: true } : {}),
      ...(d.completionSignOff ? { signOff: true } : {}),
    },
    reminder_days: d.reminderDays ?? 3,
    published: d.published ?? !forForm,
  };
}

/**
 * Checks an offering's columns. A new offering (or one moved to another programme or year) must belong
 * to a programme that has not ended, in one of the programme's years (NPO・協働研修 ended in 平成18年度).
 */
async function checkOffering(ctx: AppContext, c: ReturnType<typeof toColumns>, before?: Offering): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  for (const [field, key] of Object.entries(checkCapacity({ capacity: c.capacity, seats: c.seats }))) errors[field] = { key };
  if (c.application_closes_at <= c.application_opens_at) errors.applicationClosesAt = { key: 'error.windowOrder' };
  const programme = await programmeRepository.find(ctx.db, c.programme_id);
  if (!programme) errors.programmeId = { key: 'error.programmeNotFound' };
  else if (!before || before.programme_id !== c.programme_id || before.fiscal_year !== c.fiscal_year) {
    const problem = offeringYearProblem(programme, c.fiscal_year, fiscalYearOf(ctx.now()));
    if (problem) errors[problem.field] = { key: problem.key, params: { programme: programme.name, years: programmeYears(programme) } };
  }
  return errors;
}

/** A programme's years as the messages give them: 平成19年度（2007）〜 / 〜平成18年度（2006）. */
function programmeYears(p: { first_fiscal_year: number | null; last_fiscal_year: number | null }): string {
  const y = (fy: number | null) => (fy === null ? '' : formatFiscalYear(fy, 'ja'));
  return `${y(p.first_fiscal_year)}〜${y(p.last_fiscal_year)}`;
}

export async function createOffering(ctx: AppContext, actor: Actor, input: Record<string, unknown>, opts: { form?: boolean } = {}): Promise<Offering> {
  const v = validate(offeringInputSchema, input);
  if (!v.ok) throw invalid(v.errors);
  const cols = toColumns(v.data, !!opts.form);
  const errors = await checkOffering(ctx, cols);
  if (Object.keys(errors).length) throw invalid(errors);
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    const row = await offeringRepository.insert(trx, {
      ...cols,
      seats: JSON.stringify(cols.seats),
      questions: JSON.stringify(cols.questions),
      priority_rules: JSON.stringify(cols.priority_rules),
      completion_rule: JSON.stringify(cols.completion_rule),
      created_at: now,
      updated_at: now,
    });
    await audit(trx, ctx, actor, 'create', 'offering', row.id, undefined, row);
    return row;
  });
}

export async function updateOffering(ctx: AppContext, actor: Actor, id: number, input: Record<string, unknown>, opts: { form?: boolean } = {}): Promise<Offering> {
  const v = validate(offeringInputSchema, input);
  if (!v.ok) throw invalid(v.errors);
  const cols = toColumns(v.data, !!opts.form);
  const current = await offeringRepository.find(ctx.db, id);
  if (!current) throw new ServiceError(404, 'not_found', 'error.offeringNotFound');
  if (current.cancelled_at) throw new ServiceError(409, 'cancelled', 'error.offeringCancelled');
  const errors = await checkOffering(ctx, cols, current);
  if (Object.keys(errors).length) throw invalid(errors);
  return ctx.db.transaction().execute(async (trx) => {
    const before = await offeringRepository.lock(trx, id);
    if (!before) throw new ServiceError(404, 'not_found', 'error.offeringNotFound');
    if (before.cancelled_at) throw new ServiceError(409, 'cancelled', 'error.offeringCancelled');
    const after = await offeringRepository.update(trx, id, {
      ...cols,
      seats: JSON.stringify(cols.seats),
      questions: JSON.stringify(cols.questions),
      priority_rules: JSON.stringify(cols.priority_rules),
      completion_rule: JSON.stringify(cols.completion_rule),
      updated_at: ctx.now(),
    });
    await audit(trx, ctx, actor, 'update', 'offering', id, before, after);
    // A new completion rule applies at once to everyone confirmed; one that withdraws completions asks first (H4).
    if (JSON.stringify(before.completion_rule) !== JSON.stringify(after.completion_rule)) {
      const effect = await previewCompletionChange(ctx, id, { rule: cols.completion_rule }, trx);
      if (effect.completionsLost > 0 && input.confirmCompletionChange !== true && input.confirmCompletionChange !== 'on')
        throw invalid({ completionRule: { key: 'error.completionRuleRevokes', params: { completions: effect.completionsLost, certificates: effect.certificatesRevoked } } });
      for (const a of await applicationRepository.confirmedForSession(trx, id)) await recomputeCompletion(trx, ctx, actor, a.id);
    }
    return after;
  });
}

// Sessions (回): add, change and delete live in session.service.ts (they tell participants and hosts,
// give a partner's offer back, and ask before revoking certificates).
export { addSession, deleteSession, sessionInputSchema, updateSession } from './session.service.js';

/** A fiscal year as typed (2011, H23, 平成23年度) or sent (a number). */
const fiscalYearInput = (optional: boolean) =>
  z.preprocess(
    (v) => {
      if (typeof v !== 'string') return v;
      if (v.trim() === '') return undefined;
      return parseFiscalYear(v) ?? v;
    },
    optional
      ? z.union([z.number().int().min(1950).max(2100), z.null()], { message: 'error.fiscalYear' }).optional()
      : z.number({ message: 'error.fiscalYear' }).int().min(1950).max(2100),
  );

export const programmeInputSchema = z.object({
  name: requiredText(200),
  nameEn: optionalText(200),
  kana: optionalText(200),
  description: optionalText(4000),
  predecessorId: z.union([optionalInt(1, 2 ** 31 - 1), z.null()]),
  owningUnitId: z.union([optionalInt(1, 2 ** 31 - 1), z.null()]),
  kind: z.enum(['seminar', 'coordinator_course', 'follow_up', 'other']).optional(),
  firstFiscalYear: fiscalYearInput(true),
  lastFiscalYear: fiscalYearInput(true),
});
type ProgrammeInput = z.output<typeof programmeInputSchema>;

/** Checks a programme against the others: its predecessor and unit exist, its years read forwards, its lineage has no loop. */
async function checkProgramme(db: AppContext['db'], d: ProgrammeInput, id: number | null, firstFiscalYear: number | null): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  if (d.lastFiscalYear != null && firstFiscalYear !== null && d.lastFiscalYear < firstFiscalYear) errors.lastFiscalYear = { key: 'error.programmeYearsOrder' };
  if (d.owningUnitId != null && !(await unitRepository.find(db, d.owningUnitId))) errors.owningUnitId = { key: 'error.choice' };
  if (d.predecessorId != null) {
    const links = await programmeRepository.links(db);
    if (!links.some((l) => l.id === d.predecessorId)) errors.predecessorId = { key: 'error.programmeNotFound' };
    else if (id !== null && wouldCycle(links, id, d.predecessorId)) errors.predecessorId = { key: 'error.predecessorCycle' };
  }
  return errors;
}

/**
 * Creates a programme (研修事業). Its first fiscal year is the one given (this year when none is), its
 * last one is set when it ends; a predecessor links it into a lineage.
 */
export async function createProgramme(ctx: AppContext, actor: Actor, input: Record<string, unknown>) {
  const v = validate(programmeInputSchema, input);
  if (!v.ok) throw invalid(v.errors);
  const d = v.data;
  const first = d.firstFiscalYear ?? fiscalYearOf(ctx.now());
  const errors = await checkProgramme(ctx.db, d, null, first);
  if (Object.keys(errors).length) throw invalid(errors);
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    const code = `p-${now.getTime().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    const row = await programmeRepository.insert(trx, {
      code,
      name: d.name,
      name_en: d.nameEn ?? d.name,
      kana: d.kana ?? '',
      owning_unit_id: d.owningUnitId ?? null,
      predecessor_id: d.predecessorId ?? null,
      first_fiscal_year: first,
      last_fiscal_year: d.lastFiscalYear ?? null,
      description: d.description ?? '',
      kind: d.kind ?? 'other',
      updated_at: now,
    });
    await audit(trx, ctx, actor, 'create', 'programme', row.id, undefined, row);
    return row;
  });
}

/**
 * Updates a programme: names, owner, years (setting the last fiscal year closes it: no new offerings
 * after it) and predecessor (a loop in the lineage is refused). Fields left out keep their value.
 */
export async function updateProgramme(ctx: AppContext, actor: Actor, id: number, input: Record<string, unknown>) {
  const v = validate(programmeInputSchema, input);
  if (!v.ok) throw invalid(v.errors);
  const d = v.data;
  return ctx.db.transaction().execute(async (trx) => {
    const before = await programmeRepository.lock(trx, id);
    if (!before) throw new ServiceError(404, 'not_found', 'error.notFound');
    const has = (k: string) => Object.hasOwn(input, k);
    const first = has('firstFiscalYear') ? (d.firstFiscalYear ?? null) : before.first_fiscal_year;
    const merged: ProgrammeInput = {
      ...d,
      predecessorId: has('predecessorId') ? d.predecessorId : before.predecessor_id,
      owningUnitId: has('owningUnitId') ? d.owningUnitId : before.owning_unit_id,
      lastFiscalYear: has('lastFiscalYear') ? d.lastFiscalYear : before.last_fiscal_year,
    };
    const errors = await checkProgramme(trx, merged, id, first);
    if (Object.keys(errors).length) throw invalid(errors);
    const after = await programmeRepository.update(trx, id, {
      name: d.name,
      name_en: d.nameEn ?? (has('nameEn') ? d.name : before.name_en),
      kana: has('kana') ? (d.kana ?? '') : before.kana,
      description: has('description') ? (d.description ?? '') : before.description,
      kind: d.kind ?? before.kind,
      owning_unit_id: merged.owningUnitId ?? null,
      predecessor_id: merged.predecessorId ?? null,
      first_fiscal_year: first,
      last_fiscal_year: merged.lastFiscalYear ?? null,
      updated_at: ctx.now(),
    });
    await audit(trx, ctx, actor, 'update', 'programme', id, before, after);
    return after;
  });
}

/** Every programme, for the offering forms and the programme list. */
export function listProgrammes(ctx: AppContext) {
  return programmeRepository.list(ctx.db);
}

export function getProgramme(ctx: AppContext, id: number) {
  return programmeRepository.find(ctx.db, id);
}

/** Programmes that can receive a new offering this fiscal year (those that have not ended). */
export async function openProgrammesNow(ctx: AppContext) {
  return openProgrammes(await programmeRepository.list(ctx.db), fiscalYearOf(ctx.now()));
}

export function programmeOfferingCounts(ctx: AppContext) {
  return programmeRepository.offeringCounts(ctx.db);
}

// ---------------------------------------------------------------------------------------------
// Cancelling (中止) and deleting an offering

/** What cancelling would touch: how many applicants will be told. */
export async function cancellationPreview(ctx: AppContext, id: number) {
  const offering = await offeringRepository.find(ctx.db, id);
  if (!offering) return null;
  const counts = await offeringRepository.applicationCounts(ctx.db, id);
  return { offering, applicants: counts.live, applications: counts.total };
}

const cancelSchema = z.object({ reason: requiredText(1000) });

/**
 * Cancels an offering (中止): records who, when and why; every live application (applied, endorsed,
 * returned, confirmed, waitlisted) is cancelled and its applicant mailed, with the reason; the hosts of
 * its field trainings are told too. A cancelled offering leaves the public schedule, the open-data feed,
 * the calendars and /trainings, and takes no application. Sessions that have started are a record:
 * an offering that has begun cannot be cancelled (delete its remaining sessions instead).
 */
export async function cancelOffering(ctx: AppContext, actor: Actor, id: number, input: Record<string, unknown>) {
  const v = validate(cancelSchema, input);
  if (!v.ok) throw invalid(v.errors);
  const result = await ctx.db.transaction().execute(async (trx) => {
    const before = await offeringRepository.lock(trx, id);
    if (!before) throw new ServiceError(404, 'not_found', 'error.offeringNotFound');
    if (before.cancelled_at) throw new ServiceError(409, 'cancelled', 'error.offeringCancelled');
    const now = ctx.now();
    const sessions = await offeringRepository.sessions(trx, id);
    const started = sessions.find((s) => s.starts_at <= now);
    if (started) throw new ServiceError(409, 'started', 'error.offeringStarted', {}, { session: started.title, at: formatTokyo(started.starts_at, 'ja', 'datetime') });
    const apps = await offeringRepository.liveApplications(trx, id);
    const after = await offeringRepository.update(trx, id, { cancelled_at: now, cancelled_by: actor?.id ?? null, cancelled_reason: v.data.reason, published: false, updated_at: now });
    await audit(trx, ctx, actor, 'cancel', 'offering', id, before, after);
    const mails: Mail[] = [];
    // Confirmed participants have the sessions in their calendars: each is cancelled there, same UID, next SEQUENCE (decision 0023).
    const revised = apps.some((a) => a.status === 'confirmed') ? await reviseSessions(trx, sessions) : [];
    for (const a of apps) {
      const updated = await applicationRepository.update(trx, a.id, { status: 'cancelled', cancelled_at: now, cancel_reason: v.data.reason, waitlist_order: null, updated_at: now });
      await audit(trx, ctx, actor, 'offering_cancelled', 'application', a.id, { status: a.status }, { status: updated.status, cancel_reason: v.data.reason });
      const t = translator(a.person_locale === 'en' ? 'en' : 'ja');
      const params = { name: a.person_name, offering: before.title, reason: v.data.reason, schedule: scheduleText(sessions) };
      const notice = { to: a.person_email, subject: t('mail.offeringCancelledSubject', params), body: t('mail.offeringCancelledBody', params) };
      const who = { name: a.person_name, email: a.person_email, locale: a.person_locale, code: a.participant_code };
      mails.push(...(a.status === 'confirmed' ? withCalendar(ctx, notice, 'CANCEL', who, before.title, revised, `${ctx.config.baseUrl}/my/applications/${a.id}`) : [notice]));
    }
    for (const h of await offeringRepository.hostMembers(trx, id)) {
      const t = translator(h.locale === 'en' ? 'en' : 'ja');
      const params = { name: h.name, offering: before.title, session: h.session_title, reason: v.data.reason };
      mails.push({ to: h.email, subject: t('mail.offeringCancelledHostSubject', params), body: t('mail.offeringCancelledHostBody', params) });
    }
    await enqueueMails(trx, ctx, mails);
    return { offering: after, told: apps.length };
  });
  ctx.kickOutbox();
  return result;
}

function scheduleText(sessions: readonly OfferingSession[]): string {
  return sessions.map((s) => `・${formatTokyo(s.starts_at, 'ja', 'datetime')}〜${formatTokyo(s.ends_at, 'ja', 'time')} ${s.title}`).join('\n');
}

/**
 * Deletes an offering nobody applied to, with its sessions. One with applications (even withdrawn
 * ones) is a record: it is refused, pointing to 中止. So is one with questionnaires or attendance, or
 * with a session that came from a partner's offer (delete that session first: the partner is told).
 */
export async function deleteOffering(ctx: AppContext, actor: Actor, id: number): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const before = await offeringRepository.lock(trx, id);
    if (!before) throw new ServiceError(404, 'not_found', 'error.offeringNotFound');
    const counts = await offeringRepository.applicationCounts(trx, id);
    if (counts.total > 0) throw new ServiceError(409, 'has_applications', 'error.offeringHasApplications', {}, { count: counts.total });
    const usage = await offeringRepository.usage(trx, id);
    if (usage.fieldOffers > 0) throw new ServiceError(409, 'in_use', 'error.offeringHasFieldOffers', {}, { count: usage.fieldOffers });
    if (usage.surveys > 0 || usage.attendance > 0) throw new ServiceError(409, 'in_use', 'error.offeringInUse');
    const sessions = await offeringRepository.sessions(trx, id);
    await offeringRepository.delete(trx, id);
    await audit(trx, ctx, actor, 'delete', 'offering', id, { ...before, sessions }, undefined);
  });
}

export function listOfferings(ctx: AppContext, f: { fiscalYear?: number; programmeId?: number; publishedOnly?: boolean }) {
  return offeringRepository.list(ctx.db, f);
}

/**
 * The catalogue (研修一覧): the programmes for its filter, and the year's published offerings (of one
 * programme) with their sessions, in one read; those with no session of the format, or none starting
 * in the month (Tokyo time), are left out.
 */
export async function catalogue(ctx: AppContext, f: { fiscalYear: number; programmeId?: number; format?: OfferingSession['format']; month?: number }) {
  const { programmes, offerings } = await offeringRepository.catalogue(ctx.db, f);
  const { format, month } = f;
  return {
    programmes,
    offerings: offerings.filter(
      (o) => (!format || o.sessions.some((s) => s.format === format)) && (!month || o.sessions.some((s) => Number(tokyoDateOf(s.starts_at).slice(5, 7)) === month)),
    ),
  };
}

export async function getOffering(ctx: AppContext, id: number) {
  const offering = await offeringRepository.find(ctx.db, id);
  if (!offering) return null;
  const [sessions, programme] = await Promise.all([offeringRepository.sessions(ctx.db, id), programmeRepository.find(ctx.db, offering.programme_id)]);
  return { offering, programme: programme!, sessions };
}

/** The offering's sessions that cannot be deleted, because attendance or questionnaires are recorded for them (`deleteSession` refuses them). */
export async function sessionsKept(ctx: AppContext, offeringId: number): Promise<ReadonlySet<number>> {
  return new Set(await offeringRepository.sessionsWithRecords(ctx.db, offeringId));
}

export function sessionWarnings(s: Pick<OfferingSession, 'starts_at' | 'ends_at'>, lang: 'ja' | 'en' = 'ja') {
  return sessionDateWarnings(s.starts_at, s.ends_at, lang);
}

/** The cancellation deadline in force: the offering's own, else the start of its first session. */
export function cancellationDeadline(offering: Offering, sessions: OfferingSession[]): Date | null {
  return offering.cancellation_deadline ?? sessions[0]?.starts_at ?? null;
}

export function sessionsOfOfferings(ctx: AppContext, offeringIds: number[]) {
  return offeringRepository.sessionsOf(ctx.db, offeringIds);
}

export function getSession(ctx: AppContext, id: number) {
  return offeringRepository.findSession(ctx.db, id);
}
