import { z } from 'zod';
import { offeringRepository } from '../db/repositories/offering.repository.js';
import { programmeRepository } from '../db/repositories/programme.repository.js';
import { surveyCopyRepository } from '../db/repositories/survey-copy.repository.js';
import { surveyRepository } from '../db/repositories/survey.repository.js';
import type { Offering } from '../db/schema.js';
import { fiscalYearOf, parseFiscalYear } from '../domain/calendar.js';
import { planSessionCopy, remapSessionIds, type SessionCopyPlan, shiftInstantByYears } from '../domain/offering-copy.js';
import { offeringYearProblem } from '../domain/programme.js';
import type { SurveyKind } from '../domain/values.js';
import { validate } from '../lib/validation.js';
import { audit } from './audit.service.js';
import { type Actor, type AppContext, invalid, ServiceError } from './context.js';

/**
 * Copying an offering into another fiscal year (issue 16 §2.1): its sessions on the same weekday in
 * that year (never on a weekend or a 祝日: those moved are reported) with their venue, lecturers,
 * 持ち物 and access, its questions, seats per group,
 * completion rule, reminders and priority rules, and its survey settings. The copy starts unpublished,
 * with no applications and no partner named as a field training's host.
 *
 * Surveys: the offering's own surveys (pre/post self-assessments and others of the whole offering)
 * are copied with their template, questions and anonymity, their opening and closing moved into the
 * new year, and nobody invited: a copy is made before anyone is confirmed, so its audience is invited
 * (and mailed) once it opens (survey-opening.service.ts). One that would already have closed in the
 * new year is left out and said so. Session questionnaires are made after each session anyway.
 */
export const offeringCopyInputSchema = z.object({
  fiscalYear: z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : (parseFiscalYear(v) ?? v)) : v),
    z.number({ message: 'error.fiscalYear' }).int().min(1990).max(2100),
  ),
});

/** One survey of the offering and its copy's window in the new year; `closed`: it would already be over, so it is not copied. */
export interface SurveyCopyPlan {
  id: number;
  kind: SurveyKind;
  title: string;
  templateName: string;
  anonymous: boolean;
  opensAt: Date;
  closesAt: Date;
  closed: boolean;
}

export interface CopyPreview {
  offering: Offering;
  fiscalYear: number;
  sessions: (SessionCopyPlan & { title: string })[];
  surveys: SurveyCopyPlan[];
}

/** Where the copy's sessions would go (nothing is written). */
export async function previewOfferingCopy(ctx: AppContext, id: number, input: Record<string, unknown>, lang: 'ja' | 'en' = 'ja'): Promise<CopyPreview> {
  const offering = await offeringRepository.find(ctx.db, id);
  if (!offering) throw new ServiceError(404, 'not_found', 'error.offeringNotFound');
  const v = validate(offeringCopyInputSchema, { fiscalYear: input.fiscalYear });
  if (!v.ok) throw invalid(v.errors);
  const fy = v.data.fiscalYear;
  if (fy === offering.fiscal_year) throw invalid({ fiscalYear: { key: 'bulk.error.sameYear' } });
  const programme = await programmeRepository.find(ctx.db, offering.programme_id);
  if (!programme) throw invalid({ fiscalYear: { key: 'error.programmeNotFound' } });
  const problem = offeringYearProblem(programme, fy, fiscalYearOf(ctx.now()));
  if (problem) throw invalid({ fiscalYear: { key: problem.key, params: { programme: programme.name, years: '' } } });
  const sessions = await offeringRepository.sessions(ctx.db, id);
  const plan = planSessionCopy(
    sessions.map((s) => ({ id: s.id, startsAt: s.starts_at, endsAt: s.ends_at })),
    offering.fiscal_year,
    fy,
    lang,
  );
  const years = fy - offering.fiscal_year;
  const surveys = (await surveyCopyRepository.ofOffering(ctx.db, id)).map((x) => {
    const opensAt = shiftInstantByYears(x.opens_at, years);
    const closesAt = shiftInstantByYears(x.closes_at, years);
    return { id: x.id, kind: x.kind, title: x.title, templateName: x.template_name, anonymous: x.anonymous, opensAt, closesAt, closed: closesAt.getTime() <= ctx.now().getTime() };
  });
  return { offering, fiscalYear: fy, sessions: plan.map((p, i) => ({ ...p, title: sessions[i].title })), surveys };
}

export async function copyOffering(ctx: AppContext, actor: Actor, id: number, input: Record<string, unknown>): Promise<{ offering: Offering; sessions: CopyPreview['sessions']; surveys: CopyPreview['surveys'] }> {
  const p = await previewOfferingCopy(ctx, id, input);
  const src = p.offering;
  const years = p.fiscalYear - src.fiscal_year;
  const shift = (d: Date | null) => (d ? shiftInstantByYears(d, years) : null);
  const created = await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    const sourceSessions = await offeringRepository.sessions(trx, id);
    const row = await offeringRepository.insert(trx, {
      programme_id: src.programme_id,
      fiscal_year: p.fiscalYear,
      title: src.title,
      audience: src.audience,
      description: src.description,
      selection: src.selection,
      capacity: src.capacity,
      seats: JSON.stringify(src.seats),
      waitlist: src.waitlist,
      endorsement_required: src.endorsement_required,
      application_opens_at: shift(src.application_opens_at)!,
      application_closes_at: shift(src.application_closes_at)!,
      cancellation_deadline: shift(src.cancellation_deadline),
      promotion_cutoff: shift(src.promotion_cutoff),
      questions: JSON.stringify(src.questions),
      priority_rules: JSON.stringify(src.priority_rules),
      completion_rule: JSON.stringify({}),
      reminder_days: src.reminder_days,
      published: false,
      created_at: now,
      updated_at: now,
    });
    const ids = new Map<number, number>();
    const planById = new Map(p.sessions.map((s) => [s.id, s]));
    for (const s of sourceSessions) {
      const at = planById.get(s.id);
      if (!at) continue;
      const copy = await offeringRepository.insertSession(trx, {
        offering_id: row.id,
        title: s.title,
        format: s.format,
        starts_at: at.startsAt,
        ends_at: at.endsAt,
        venue: s.venue,
        lecturers: s.lecturers,
        capacity: s.capacity,
        // What to bring and how to get there are the same next year more often than not: kept, to be edited.
        belongings: s.belongings,
        access: s.access,
        // A partner hosts a field training by its own offer (field_offers): a copy names no host nor site
        // until the partner agrees again; the venue text stays as a reminder.
        site_id: null,
        host_partner_id: null,
      });
      ids.set(s.id, copy.id);
    }
    const rule = { ...src.completion_rule };
    const required = remapSessionIds(rule.requiredSessionIds, ids);
    if (required) rule.requiredSessionIds = required;
    const offering = await offeringRepository.update(trx, row.id, { completion_rule: JSON.stringify(rule) });
    // The survey settings: unopened copies dated into the new year, inviting nobody until they open.
    const sources = new Map((await surveyCopyRepository.ofOffering(trx, id)).map((x) => [x.id, x]));
    const surveys = [];
    for (const plan of p.surveys) {
      const from = sources.get(plan.id);
      if (!from || plan.closed) continue;
      const copy = await surveyRepository.insert(trx, {
        template_id: from.template_id,
        kind: from.kind,
        title: from.title,
        anonymous: from.anonymous,
        offering_id: row.id,
        session_id: null,
        questions: JSON.stringify(from.questions),
        opens_at: plan.opensAt,
        closes_at: plan.closesAt,
        created_by: actor?.id ?? null,
        created_at: now,
      });
      if (copy) {
        surveys.push({ from: from.id, to: copy.id });
        await audit(trx, ctx, actor, 'create', 'survey', copy.id, undefined, { ...copy, copiedFrom: from.id, invited: 0 });
      }
    }
    await audit(trx, ctx, actor, 'copy', 'offering', row.id, undefined, {
      ...offering,
      copiedFrom: id,
      sessions: p.sessions.map((s) => ({ from: s.from, to: s.to, moved: s.moved?.kind ?? null })),
      surveys,
    });
    return offering;
  });
  return { offering: created, sessions: p.sessions, surveys: p.surveys };
}
