import { z } from 'zod';
import { fiscalYearOf, sessionDateWarnings } from '../domain/calendar.js';
import { checkCapacity, SELECTION_METHODS } from '../domain/selection.js';
import { applicationRepository } from '../db/repositories/application.repository.js';
import { offeringRepository } from '../db/repositories/offering.repository.js';
import { recomputeCompletion } from './completion.service.js';
import { programmeRepository } from '../db/repositories/programme.repository.js';
import type { Offering, OfferingQuestion, OfferingSession, PriorityRule } from '../db/schema.js';
import { type FieldErrors, checkbox, instantField, intField, optionalInstant, optionalInt, optionalText, requiredText, validate } from '../lib/validation.js';
import { audit } from './audit.service.js';
import { type Actor, type AppContext, invalid, ServiceError } from './context.js';

export const SESSION_FORMATS = ['lecture', 'workshop', 'field', 'online'] as const;
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

async function checkOffering(ctx: AppContext, c: ReturnType<typeof toColumns>): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  for (const [field, key] of Object.entries(checkCapacity({ capacity: c.capacity, seats: c.seats }))) errors[field] = { key };
  if (c.application_closes_at <= c.application_opens_at) errors.applicationClosesAt = { key: 'error.windowOrder' };
  if (!(await programmeRepository.find(ctx.db, c.programme_id))) errors.programmeId = { key: 'error.programmeNotFound' };
  return errors;
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
  const errors = await checkOffering(ctx, cols);
  if (Object.keys(errors).length) throw invalid(errors);
  return ctx.db.transaction().execute(async (trx) => {
    const before = await offeringRepository.lock(trx, id);
    if (!before) throw new ServiceError(404, 'not_found', 'error.offeringNotFound');
    const after = await offeringRepository.update(trx, id, {
      ...cols,
      seats: JSON.stringify(cols.seats),
      questions: JSON.stringify(cols.questions),
      priority_rules: JSON.stringify(cols.priority_rules),
      completion_rule: JSON.stringify(cols.completion_rule),
      updated_at: ctx.now(),
    });
    await audit(trx, ctx, actor, 'update', 'offering', id, before, after);
    // A new completion rule applies at once to everyone confirmed.
    if (JSON.stringify(before.completion_rule) !== JSON.stringify(after.completion_rule))
      for (const a of await applicationRepository.confirmedForSession(trx, id)) await recomputeCompletion(trx, ctx, actor, a.id);
    return after;
  });
}

export const sessionInputSchema = z.object({
  title: requiredText(200),
  format: z.enum(SESSION_FORMATS),
  startsAt: instantField(),
  endsAt: instantField(),
  venue: optionalText(300),
  lecturers: optionalText(500),
  capacity: optionalInt(1, 100_000),
});

export async function addSession(ctx: AppContext, actor: Actor, offeringId: number, input: Record<string, unknown>): Promise<OfferingSession> {
  const v = validate(sessionInputSchema, input);
  if (!v.ok) throw invalid(v.errors);
  if (v.data.endsAt <= v.data.startsAt) throw invalid({ endsAt: { key: 'error.sessionOrder' } });
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await offeringRepository.lock(trx, offeringId))) throw new ServiceError(404, 'not_found', 'error.offeringNotFound');
    const row = await offeringRepository.insertSession(trx, {
      offering_id: offeringId,
      title: v.data.title,
      format: v.data.format,
      starts_at: v.data.startsAt,
      ends_at: v.data.endsAt,
      venue: v.data.venue ?? '',
      lecturers: v.data.lecturers ?? '',
      capacity: v.data.capacity ?? null,
    });
    await audit(trx, ctx, actor, 'create', 'offering_session', row.id, undefined, row);
    return row;
  });
}

export async function deleteSession(ctx: AppContext, actor: Actor, sessionId: number): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    // A session with a record of what happened (attendance, questionnaires) is kept: reports count it.
    const used = await trx
      .selectFrom('offering_sessions as s')
      .select((eb) => [
        eb.exists(eb.selectFrom('attendance').select('session_id').whereRef('attendance.session_id', '=', 's.id')).as('attended'),
        eb.exists(eb.selectFrom('surveys').select('id').whereRef('surveys.session_id', '=', 's.id')).as('surveyed'),
      ])
      .where('s.id', '=', sessionId)
      .executeTakeFirst();
    if (used && (used.attended || used.surveyed)) throw new ServiceError(409, 'in_use', 'error.sessionInUse');
    const row = await offeringRepository.deleteSession(trx, sessionId);
    if (!row) throw new ServiceError(404, 'not_found', 'error.notFound');
    await audit(trx, ctx, actor, 'delete', 'offering_session', sessionId, row, undefined);
  });
}

export async function createProgramme(ctx: AppContext, actor: Actor, input: Record<string, unknown>) {
  const v = validate(
    z.object({
      name: requiredText(200),
      nameEn: optionalText(200),
      kana: optionalText(200),
      description: optionalText(4000),
      predecessorId: optionalInt(1, 2 ** 31 - 1),
      kind: z.enum(['seminar', 'coordinator_course', 'follow_up', 'other']).optional(),
    }),
    input,
  );
  if (!v.ok) throw invalid(v.errors);
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    const code = `p-${now.getTime().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    const row = await programmeRepository.insert(trx, {
      code,
      name: v.data.name,
      name_en: v.data.nameEn ?? v.data.name,
      kana: v.data.kana ?? '',
      owning_unit_id: null,
      predecessor_id: v.data.predecessorId ?? null,
      first_fiscal_year: fiscalYearOf(now),
      last_fiscal_year: null,
      description: v.data.description ?? '',
      kind: v.data.kind ?? 'other',
      updated_at: now,
    });
    await audit(trx, ctx, actor, 'create', 'programme', row.id, undefined, row);
    return row;
  });
}

export function listOfferings(ctx: AppContext, f: { fiscalYear?: number; programmeId?: number; publishedOnly?: boolean }) {
  return offeringRepository.list(ctx.db, f);
}

export async function getOffering(ctx: AppContext, id: number) {
  const offering = await offeringRepository.find(ctx.db, id);
  if (!offering) return null;
  const [sessions, programme] = await Promise.all([offeringRepository.sessions(ctx.db, id), programmeRepository.find(ctx.db, offering.programme_id)]);
  return { offering, programme: programme!, sessions };
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
