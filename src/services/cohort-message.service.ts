import { z } from 'zod';
import { cohortMessageRepository, type CohortRecipient } from '../db/repositories/cohort-message.repository.js';
import { offeringRepository } from '../db/repositories/offering.repository.js';
import { APPLICATION_STATUSES, type ApplicationStatus } from '../domain/selection.js';
import { translator } from '../i18n/index.js';
import { requiredText, validate } from '../lib/validation.js';
import { audit } from './audit.service.js';
import { type Actor, type AppContext, invalid, ServiceError } from './context.js';
import { enqueueMails } from './mail.service.js';

/**
 * Messages to a cohort (issue 16 §2.2): the training office writes to the applicants of an offering
 * chosen by application status, or to a session's participants. Each person gets a mail through the
 * outbox and finds their copy on their own page (/my/messages).
 */
const listOf = (v: unknown) => (v === undefined || v === '' || v === null ? [] : Array.isArray(v) ? v : [v]);

const audienceSchema = z.object({
  statuses: z.preprocess(listOf, z.array(z.enum(APPLICATION_STATUSES)).max(APPLICATION_STATUSES.length)),
  sessionId: z.preprocess((v) => (v === '' || v === null ? undefined : v), z.coerce.number().int().positive().max(2147483647).optional()),
});
export const cohortMessageInputSchema = audienceSchema.extend({ subject: requiredText(200), body: requiredText(10_000) });

export interface CohortAudience {
  statuses: ApplicationStatus[];
  sessionId: number | null;
}

async function resolve(ctx: AppContext, offeringId: number, input: Record<string, unknown>) {
  const offering = await offeringRepository.find(ctx.db, offeringId);
  if (!offering) throw new ServiceError(404, 'not_found', 'error.offeringNotFound');
  const v = validate(audienceSchema, { statuses: input.statuses, sessionId: input.sessionId });
  if (!v.ok) throw invalid(v.errors);
  const statuses = [...new Set(v.data.statuses)];
  const sessionId = v.data.sessionId ?? null;
  if (sessionId !== null && statuses.length) throw invalid({ statuses: { key: 'bulk.error.audienceBoth' } });
  if (sessionId === null && !statuses.length) throw invalid({ statuses: { key: 'bulk.error.audience' } });
  if (sessionId !== null) {
    const s = await offeringRepository.findSession(ctx.db, sessionId);
    if (!s || s.offering_id !== offeringId) throw invalid({ sessionId: { key: 'error.choice' } });
  }
  return { offering, audience: { statuses, sessionId } as CohortAudience };
}

function recipientsOf(ctx: AppContext, offeringId: number, a: CohortAudience): Promise<CohortRecipient[]> {
  return a.sessionId !== null ? cohortMessageRepository.bySession(ctx.db, offeringId, a.sessionId) : cohortMessageRepository.byStatus(ctx.db, offeringId, a.statuses);
}

/** How many people a message to this audience would reach (the confirmation step). */
export async function previewCohortMessage(ctx: AppContext, offeringId: number, input: Record<string, unknown>) {
  const { offering, audience } = await resolve(ctx, offeringId, input);
  const v = validate(cohortMessageInputSchema, { ...input, statuses: audience.statuses, sessionId: audience.sessionId ?? undefined });
  if (!v.ok) throw invalid(v.errors);
  const people = await recipientsOf(ctx, offeringId, audience);
  if (!people.length) throw invalid({ [audience.sessionId !== null ? 'sessionId' : 'statuses']: { key: 'bulk.error.noRecipients' } });
  return { offering, audience, subject: v.data.subject, body: v.data.body, count: people.length };
}

/** Queues the message to each person of the audience; returns how many were queued. */
export async function sendCohortMessage(ctx: AppContext, actor: Actor, offeringId: number, input: Record<string, unknown>): Promise<{ id: number; queued: number }> {
  const p = await previewCohortMessage(ctx, offeringId, input);
  const result = await ctx.db.transaction().execute(async (trx) => {
    // The audience as of the transaction (a decision taken since the preview counts).
    const people = p.audience.sessionId !== null ? await cohortMessageRepository.bySession(trx, offeringId, p.audience.sessionId) : await cohortMessageRepository.byStatus(trx, offeringId, p.audience.statuses);
    if (!people.length) throw invalid({ statuses: { key: 'bulk.error.noRecipients' } });
    const now = ctx.now();
    const row = await cohortMessageRepository.insert(trx, {
      offeringId,
      sessionId: p.audience.sessionId,
      statuses: p.audience.statuses,
      subject: p.subject,
      body: p.body,
      personIds: people.map((x) => x.id),
      sentBy: actor?.id ?? null,
      now,
    });
    await enqueueMails(
      trx,
      ctx,
      people.map((x) => {
        const t = translator(x.locale === 'en' ? 'en' : 'ja');
        return {
          to: x.email,
          subject: p.subject,
          body: `${t('bulk.mail.greeting', { name: x.name })}\n\n${p.body}\n\n--\n${t('bulk.mail.footer', { title: p.offering.title, url: `${ctx.config.baseUrl}/my/messages` })}`,
        };
      }),
    );
    await audit(trx, ctx, actor, 'create', 'cohort_message', row.id, undefined, { ...row, personIds: people.map((x) => x.id) });
    return { id: row.id, queued: people.length };
  });
  ctx.kickOutbox();
  return result;
}

/** Per status, how many people the offering's applications hold (for the form's choices). */
export function cohortCounts(ctx: AppContext, offeringId: number) {
  return cohortMessageRepository.countsByStatus(ctx.db, offeringId);
}

export function messagesOfOffering(ctx: AppContext, offeringId: number) {
  return cohortMessageRepository.forOffering(ctx.db, offeringId);
}

export function myMessages(ctx: AppContext, personId: number) {
  return cohortMessageRepository.forPerson(ctx.db, personId);
}
