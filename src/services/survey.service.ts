import { randomInt, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { formatTokyo, tokyoDateOf } from '../domain/calendar.js';
import {
  type Answers,
  answersFromForm,
  checkAnswers,
  checkQuestions,
  COMPETENCIES,
  isOpen,
  labelOfField,
  pairedChange,
  QUESTION_TYPES,
  responseRate,
  scaleRange,
  type SurveyQuestion,
  summarise,
} from '../domain/survey.js';
import { offeringRepository } from '../db/repositories/offering.repository.js';
import { surveyRepository } from '../db/repositories/survey.repository.js';
import { type Database, type Survey } from '../db/schema.js';
import { translator } from '../i18n/index.js';
import { randomToken, sha256 } from '../lib/crypto.js';
import { answerPoolKey } from '../lib/answer-key.js';
import { open as openBox, seal } from '../lib/sealed-box.js';
import { batchDue, latestPerRespondent, paddingFor, type PooledAnswer, shuffled } from '../domain/answer-batch.js';
import { checkbox, type FieldError, type FieldErrors, instantField, optionalId, optionalText, requiredText, validate } from '../lib/validation.js';
import { mayAnswerSurvey, mayViewSurvey } from '../domain/policies/survey.js';
import { audit } from './audit.service.js';
import { type Actor, type AppContext, invalid, ServiceError } from './context.js';
import { enqueueMail } from './mail.service.js';
import { SURVEY_KINDS, type SurveyKind } from '../domain/values.js';
import { TEMPLATE_PURPOSES, type ImpactGrouping } from '../domain/values.js';
import { type CurrentUser } from './context.js';

const DAY = 86_400_000;
/** How long an automatic post-session questionnaire stays open. */
export const POST_SESSION_DAYS = 14;
/** The automatic reminder goes out this long before a survey closes. */
export const REMINDER_BEFORE_CLOSE_DAYS = 3;

const notFound = () => new ServiceError(404, 'not_found', 'error.notFound');

// --- Templates ----------------------------------------------------------------------------------

/**
 * The text form of a template's questions, one per line:
 *   type:id[*]: label | option | option …      (* = required)
 *   matrix:id*: label | row_id=row label | …
 *   scale5:id*: label | scale=満足/やや満足/どちらともいえない/やや不満/不満
 * A scale (scale5 or matrix) may name its own words for 5 … 1 with "scale=" (highest first);
 * without it, it is the agreement scale (そう思う … そう思わない).
 */
export function questionsToText(questions: SurveyQuestion[]): string {
  return questions
    .map((q) => {
      const head = `${q.type}:${q.id}${q.required ? '*' : ''}: ${q.label}`;
      const tail = q.type === 'matrix' ? (q.rows ?? []).map((r) => `${r.id}=${r.label}`) : (q.options ?? []);
      const scale = q.anchors?.length ? [`${SCALE_PREFIX}${q.anchors.map((a) => a.label).join('/')}`] : [];
      return [head, ...scale, ...tail].join(' | ');
    })
    .join('\n');
}

const SCALE_PREFIX = 'scale=';

/** Parses the text form; English labels of questions and rows that keep their id are kept. */
export function questionsFromText(text: string, previous: SurveyQuestion[] = []): { questions: SurveyQuestion[]; problems: string[] } {
  const questions: SurveyQuestion[] = [];
  const problems: string[] = [];
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  for (const [i, line] of lines.entries()) {
    const m = /^([a-z0-9]+):([a-z][a-z0-9_]*)(\*?):\s*(.+)$/.exec(line);
    if (!m || !(QUESTION_TYPES as readonly string[]).includes(m[1])) {
      problems.push(`${i + 1}`);
      continue;
    }
    const [label, ...rest] = m[4].split('|').map((x) => x.trim());
    const prev = previous.find((p) => p.id === m[2]);
    const q: SurveyQuestion = { id: m[2], type: m[1] as SurveyQuestion['type'], label, required: m[3] === '*' };
    if (prev?.labelEn && prev.label === label) q.labelEn = prev.labelEn;
    const scale = rest.find((x) => x.startsWith(SCALE_PREFIX));
    const items = rest.filter((x) => x && !x.startsWith(SCALE_PREFIX));
    if (scale !== undefined) {
      // Words for 5 … 1; English words are kept where the Japanese ones did not change.
      const words = scale.slice(SCALE_PREFIX.length).split('/').map((w) => w.trim());
      q.anchors = words.map((label, k) => (prev?.anchors?.[k]?.label === label && prev.anchors[k].labelEn ? { label, labelEn: prev.anchors[k].labelEn } : { label }));
    }
    if (q.type === 'single' || q.type === 'multiple') q.options = items;
    if (q.type === 'matrix')
      q.rows = items.map((r) => {
        const [id, ...l] = r.split('=');
        const row = { id: id.trim(), label: l.join('=').trim() };
        const prevRow = prev?.rows?.find((x) => x.id === row.id);
        return prevRow?.labelEn && prevRow.label === row.label ? { ...row, labelEn: prevRow.labelEn } : row;
      });
    questions.push(q);
  }
  return { questions, problems };
}

/** A question as JSON (how the API gives a template's questions, and how a survey shows them). */
export const surveyQuestionSchema: z.ZodType<SurveyQuestion> = z.object({
  id: z.string().max(40),
  type: z.enum(QUESTION_TYPES),
  label: z.string().min(1).max(1000),
  labelEn: z.string().max(1000).optional(),
  required: z.boolean(),
  options: z.array(z.string().min(1).max(200)).max(30).optional(),
  rows: z.array(z.object({ id: z.string().max(40), label: z.string().min(1).max(500), labelEn: z.string().max(500).optional() })).max(30).optional(),
  anchors: z
    .array(z.object({ label: z.string().min(1).max(100), labelEn: z.string().max(100).optional() }))
    .max(5)
    .optional()
    .describe("Words of a scale's points for 5, 4, 3, 2, 1 (highest first); the agreement scale when absent"),
});

/** A template's fields but its questions, as a form or the API gives them. */
export const templateFields = {
  name: requiredText(200),
  purpose: z.enum(TEMPLATE_PURPOSES),
  anonymous: checkbox(),
};
/** A template's questions as JSON: at most 60. */
export const templateQuestionsSchema = z.array(surveyQuestionSchema).max(60);

const templateSchema = z.object({
  ...templateFields,
  questions: z.union([z.string().max(40_000), templateQuestionsSchema]),
});

/** The one refusal of questions that cannot be used: the first five problems, named. */
export function questionsError(problems: string[]): FieldError {
  return { key: 'error.questions', params: { detail: problems.slice(0, 5).join(', ') } };
}

function readTemplate(input: Record<string, unknown>, previous: SurveyQuestion[] = []) {
  const v = validate(templateSchema, input);
  if (!v.ok) throw invalid(v.errors);
  const parsed = typeof v.data.questions === 'string' ? questionsFromText(v.data.questions, previous) : { questions: v.data.questions, problems: [] };
  const problems = [...parsed.problems.map((line) => `line ${line}`), ...checkQuestions(parsed.questions)];
  if (problems.length) throw invalid({ questions: questionsError(problems) });
  return { ...v.data, questions: parsed.questions };
}

export function listTemplates(ctx: AppContext) {
  return surveyRepository.templates(ctx.db);
}
export function getTemplate(ctx: AppContext, id: number) {
  return surveyRepository.findTemplate(ctx.db, id);
}

export async function createTemplate(ctx: AppContext, actor: Actor, input: Record<string, unknown>) {
  const d = readTemplate(input);
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    const row = await surveyRepository.insertTemplate(trx, { code: null, name: d.name, purpose: d.purpose, anonymous: d.anonymous, questions: JSON.stringify(d.questions), created_at: now, updated_at: now });
    await audit(trx, ctx, actor, 'create', 'survey_template', row.id, undefined, row);
    return row;
  });
}

/** Edits a template. Surveys already made from it keep the questions they were made with. */
export async function updateTemplate(ctx: AppContext, actor: Actor, id: number, input: Record<string, unknown>) {
  return ctx.db.transaction().execute(async (trx) => {
    const before = await surveyRepository.findTemplate(trx, id);
    if (!before) throw notFound();
    const d = readTemplate(input, before.questions);
    const after = await surveyRepository.updateTemplate(trx, id, { name: d.name, purpose: d.purpose, anonymous: d.anonymous, questions: JSON.stringify(d.questions), updated_at: ctx.now() });
    await audit(trx, ctx, actor, 'update', 'survey_template', id, before, after);
    return after;
  });
}

// --- Surveys and who is asked -------------------------------------------------------------------

/** The people a survey of this kind asks. */
async function audienceOf(db: Kysely<Database>, kind: SurveyKind, offeringId: number | null, sessionId: number | null): Promise<number[]> {
  if (kind === 'host') {
    if (!sessionId) return [];
    const s = await offeringRepository.findSession(db, sessionId);
    if (!s?.host_partner_id) return [];
    const rows = await surveyRepository.activeMembersOf(db, s.host_partner_id);
    return rows.map((r) => r.id);
  }
  if (kind === 'post_session' && sessionId) {
    // Those who were there; if attendance was not taken, everyone confirmed.
    const marked = await surveyRepository.attendanceOf(db, sessionId);
    if (marked.length) return marked.filter((m) => m.status === 'present' || m.status === 'late' || m.status === 'left_early').map((m) => m.person_id);
  }
  if (!offeringId) return [];
  const rows = await surveyRepository.confirmedParticipants(db, offeringId);
  return rows.map((r) => r.person_id);
}

async function mailInvitations(trx: Kysely<Database>, ctx: AppContext, survey: Survey, personIds: number[], reminder: boolean) {
  if (!personIds.length) return;
  const people = await surveyRepository.activePeople(trx, personIds);
  for (const p of people) {
    const t = translator(p.locale === 'en' ? 'en' : 'ja');
    const lang = p.locale === 'en' ? 'en' : 'ja';
    await enqueueMail(trx, ctx, {
      to: p.email,
      subject: t(reminder ? 'mail.surveyReminderSubject' : 'mail.surveySubject', { title: survey.title }),
      body: t(reminder ? 'mail.surveyReminderBody' : 'mail.surveyBody', {
        name: p.name,
        title: survey.title,
        closes: formatTokyo(survey.closes_at, lang, 'datetime'),
        anonymity: t(survey.anonymous ? 'survey.anonymousNote' : 'survey.namedNote'),
        url: `${ctx.config.baseUrl}/surveys/${survey.id}`,
      }),
    });
  }
}

/** Creates a survey from a template, invites its audience and mails them if it is already open. */
async function openSurvey(
  trx: Kysely<Database>,
  ctx: AppContext,
  actor: Actor,
  s: { templateId: number; kind: SurveyKind; title: string; anonymous: boolean; offeringId: number | null; sessionId: number | null; opensAt: Date; closesAt: Date },
): Promise<Survey | null> {
  const template = await surveyRepository.findTemplate(trx, s.templateId);
  if (!template) throw invalid({ templateId: { key: 'error.choice' } });
  const now = ctx.now();
  const survey = await surveyRepository.insert(trx, {
    template_id: template.id,
    kind: s.kind,
    title: s.title,
    anonymous: s.anonymous,
    offering_id: s.offeringId,
    session_id: s.sessionId,
    questions: JSON.stringify(template.questions),
    opens_at: s.opensAt,
    closes_at: s.closesAt,
    created_by: actor?.id ?? null,
    created_at: now,
  });
  if (!survey) return null;
  const invited = await surveyRepository.invite(trx, survey.id, await audienceOf(trx, s.kind, s.offeringId, s.sessionId), now);
  if (survey.opens_at.getTime() <= now.getTime())
    await mailInvitations(
      trx,
      ctx,
      survey,
      invited.map((i) => i.person_id),
      false,
    );
  await audit(trx, ctx, actor, 'create', 'survey', survey.id, undefined, { ...survey, invited: invited.length });
  return survey;
}

/** A new survey's fields, as the form and the API give them (the API documents them from here). */
export const surveyInputFields = {
  templateId: z.coerce.number().int().positive().max(2147483647),
  kind: z.enum(SURVEY_KINDS),
  title: optionalText(200),
  anonymous: z.preprocess((v) => (v === undefined ? undefined : v), checkbox().optional()),
  offeringId: optionalId(),
  sessionId: optionalId(),
  opensAt: instantField(),
  closesAt: instantField(),
};
type SurveyInputFields = z.output<z.ZodObject<typeof surveyInputFields>>;

/** The rules between a new survey's fields. */
export function surveyInputRules(d: Pick<SurveyInputFields, 'kind' | 'offeringId' | 'sessionId' | 'opensAt' | 'closesAt'>, c: z.RefinementCtx) {
  if (d.closesAt.getTime() <= d.opensAt.getTime()) c.addIssue({ code: 'custom', path: ['closesAt'], message: 'error.windowOrder' });
  if ((d.kind === 'pre' || d.kind === 'post') && !d.offeringId) c.addIssue({ code: 'custom', path: ['offeringId'], message: 'error.required' });
  if ((d.kind === 'post_session' || d.kind === 'host') && !d.sessionId) c.addIssue({ code: 'custom', path: ['sessionId'], message: 'error.required' });
}

const surveyInputSchema = z.object(surveyInputFields).superRefine(surveyInputRules);

/** An admin creates a survey: a pre/post self-assessment of an offering, or a questionnaire for a session. */
export async function createSurvey(ctx: AppContext, actor: Actor, input: Record<string, unknown>): Promise<Survey> {
  const v = validate(surveyInputSchema, input);
  if (!v.ok) throw invalid(v.errors);
  const d = v.data;
  return ctx.db.transaction().execute(async (trx) => {
    let offeringId = d.offeringId ?? null;
    let title = d.title;
    if (d.sessionId) {
      const s = await offeringRepository.findSession(trx, d.sessionId);
      if (!s) throw invalid({ sessionId: { key: 'error.choice' } });
      if (d.kind === 'host' && !s.host_partner_id) throw invalid({ sessionId: { key: 'error.noHost' } });
      offeringId = s.offering_id;
      const o = await offeringRepository.find(trx, s.offering_id);
      title ??= `${o?.title ?? ''}：${s.title}`;
    }
    if (offeringId) {
      const o = await offeringRepository.find(trx, offeringId);
      if (!o) throw invalid({ offeringId: { key: 'error.choice' } });
      title ??= `${o.title}（${d.kind === 'pre' ? '受講前' : d.kind === 'post' ? '受講後' : ''}）`;
    }
    const template = await surveyRepository.findTemplate(trx, d.templateId);
    if (!template) throw invalid({ templateId: { key: 'error.choice' } });
    const survey = await openSurvey(trx, ctx, actor, {
      templateId: d.templateId,
      kind: d.kind,
      title: title ?? template.name,
      anonymous: d.anonymous ?? template.anonymous,
      offeringId,
      sessionId: d.sessionId ?? null,
      opensAt: d.opensAt,
      closesAt: d.closesAt,
    });
    if (!survey) throw invalid({ kind: { key: 'error.surveyExists' } });
    return survey;
  });
}

/**
 * After a session ends: its questionnaire (anonymous, open for two weeks) for those who attended,
 * and for a field training the host-side questionnaire for the host's members. Each is made once,
 * whichever instance runs this first; sessions that ended over a week ago are left alone.
 */
export async function createDueSurveys(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const post = await surveyRepository.findTemplateByCode(ctx.db, 'post-seminar');
  const host = await surveyRepository.findTemplateByCode(ctx.db, 'host');
  if (!post) return 0;
  const ended = await surveyRepository.endedWithoutQuestionnaire(ctx.db, new Date(now.getTime() - 7 * DAY), now);
  let made = 0;
  for (const s of ended) {
    await ctx.db.transaction().execute(async (trx) => {
      const closesAt = new Date(Math.max(s.ends_at.getTime(), now.getTime()) + POST_SESSION_DAYS * DAY);
      const base = { offeringId: s.offering_id, sessionId: s.id, opensAt: now, closesAt };
      if (await openSurvey(trx, ctx, null, { ...base, templateId: post.id, kind: 'post_session', title: `${s.offering_title}：${s.title}`, anonymous: post.anonymous })) made++;
      if (host && s.host_partner_id && (await openSurvey(trx, ctx, null, { ...base, templateId: host.id, kind: 'host', title: `${s.offering_title}：${s.title}（受入れ団体）`, anonymous: host.anonymous }))) made++;
    });
  }
  if (made) ctx.kickOutbox();
  return made;
}

/** Reminds, once, those who have not answered a survey that closes within three days. */
export async function sendDueSurveyReminders(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const due = await surveyRepository.closingSoon(ctx.db, now, new Date(now.getTime() + REMINDER_BEFORE_CLOSE_DAYS * DAY));
  let sent = 0;
  for (const s of due)
    sent += await ctx.db.transaction().execute(async (trx) => {
      if (!(await surveyRepository.claimAutoReminder(trx, s.id, now))) return 0;
      return remindPending(trx, ctx, s);
    });
  if (sent) ctx.kickOutbox();
  return sent;
}

async function remindPending(trx: Kysely<Database>, ctx: AppContext, s: Survey): Promise<number> {
  const pending = await surveyRepository.pending(trx, s.id);
  await mailInvitations(
    trx,
    ctx,
    s,
    pending.map((p) => p.id),
    true,
  );
  await surveyRepository.markReminded(
    trx,
    s.id,
    pending.map((p) => p.id),
    ctx.now(),
  );
  return pending.length;
}

/** How many people a reminder would mail now (the API's confirmation step); refused as `remind` would be. */
export async function pendingReminders(ctx: AppContext, surveyId: number): Promise<number> {
  const s = await surveyRepository.find(ctx.db, surveyId);
  if (!s) throw notFound();
  if (!isOpen(s, ctx.now())) throw new ServiceError(409, 'closed', 'error.surveyClosed');
  return (await surveyRepository.pending(ctx.db, s.id)).length;
}

/** An admin reminds everyone who has not answered an open survey now. */
export async function remind(ctx: AppContext, actor: Actor, surveyId: number): Promise<number> {
  const n = await ctx.db.transaction().execute(async (trx) => {
    const s = await surveyRepository.find(trx, surveyId);
    if (!s) throw notFound();
    if (!isOpen(s, ctx.now())) throw new ServiceError(409, 'closed', 'error.surveyClosed');
    const n = await remindPending(trx, ctx, s);
    await audit(trx, ctx, actor, 'remind', 'survey', s.id, undefined, { reminded: n });
    return n;
  });
  ctx.kickOutbox();
  return n;
}

export function listSurveys(ctx: AppContext, f: { offeringId?: number; kind?: SurveyKind; sessionId?: number; fiscalYear?: number } = {}) {
  return surveyRepository.list(ctx.db, f);
}

/**
 * A survey's questions as someone asked to answer it reads them (an admin may read any), and whether
 * they answered; null when there is no such survey for them.
 */
export async function surveyForReader(ctx: AppContext, actor: CurrentUser, id: number) {
  const survey = await surveyRepository.find(ctx.db, id);
  if (!survey) return null;
  const invitation = await surveyRepository.invitation(ctx.db, survey.id, actor.id);
  if (!mayViewSurvey(actor, { invited: !!invitation })) return null;
  return { survey, answered: !!invitation?.responded_on };
}

// --- Answering ----------------------------------------------------------------------------------

export function mySurveys(ctx: AppContext, actor: CurrentUser) {
  return surveyRepository.forPerson(ctx.db, actor.id);
}

/**
 * What a respondent sees: the survey, whether they answered, and their own answers when Kyodo can
 * find them (a named response; an anonymous one only with the edit key its respondent holds).
 * Someone not asked gets 404.
 */
export async function respondentView(ctx: AppContext, actor: CurrentUser, surveyId: number, editKey?: string | null) {
  const survey = await surveyRepository.find(ctx.db, surveyId);
  if (!survey) throw notFound();
  const invitation = await surveyRepository.invitation(ctx.db, surveyId, actor.id);
  if (!mayAnswerSurvey(actor, { invited: !!invitation }) || !invitation) throw notFound();
  const response = survey.anonymous
    ? editKey && invitation.responded_on
      ? ((await pooledByKey(ctx.db, ctx, surveyId, sha256(editKey))) ?? (await surveyRepository.responseByKey(ctx.db, surveyId, sha256(editKey))))
      : undefined
    : await surveyRepository.responseOf(ctx.db, surveyId, actor.id);
  return { survey, answered: invitation.responded_on !== null, answers: (response?.answers as Answers | undefined) ?? null, open: isOpen(survey, ctx.now()), canEdit: !!response || !invitation.responded_on };
}

export interface RespondResult {
  /** For an anonymous survey: the key with which the respondent (and only they) can edit the answer. */
  editKey: string | null;
  updated: boolean;
}

type Score = { question_id: string; item: string; score: number };
type Pooled = PooledAnswer<Answers, Score>;

/** A respondent's latest answer still waiting for its batch, found by their edit key (the pool is sealed). */
async function pooledByKey(db: Kysely<Database>, ctx: AppContext, surveyId: number, keyHash: string): Promise<Pooled | null> {
  const key = answerPoolKey(ctx.config);
  const mine = (await surveyRepository.pool(db, surveyId)).map((p) => openBox<Pooled>(key, p.sealed)).filter((a): a is Pooled => !!a && a.editKeyHash === keyHash);
  return mine.sort((a, b) => b.at - a.at)[0] ?? null;
}

/**
 * Writes a survey's waiting anonymous answers (decision 0018) when a batch is due: at least
 * `surveyMinAnswers` of them, or whatever waits once answering has closed (`closed`). In one
 * transaction, each respondent's latest answer and, for a batch smaller than the minimum, as many
 * older answers as needed are written again, under new ids, in shuffled order: every row of a batch
 * shares its transaction id, its physical order says nothing, and no row carries a time. Returns how
 * many waiting answers were written.
 */
export async function flushAnswerPool(ctx: AppContext, surveyId: number, closed: boolean): Promise<number> {
  const key = answerPoolKey(ctx.config);
  const min = ctx.config.surveyMinAnswers;
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await surveyRepository.lockForBatch(trx, surveyId))) return 0;
    const pool = (await surveyRepository.pool(trx, surveyId)).map((p) => ({ id: p.id, answer: openBox<Pooled>(key, p.sealed) }));
    const mine = pool.filter((p): p is { id: string; answer: Pooled } => p.answer !== null); // sealed by another key: its instance writes it
    // Counted by respondent: five changes by one person are one person's answer.
    const latest = latestPerRespondent(mine.map((p) => p.answer));
    if (!batchDue(latest.length, min, closed)) return 0;
    // A change replaces the respondent's earlier answer, wherever it is now.
    const replaced = (await Promise.all(latest.map((a) => surveyRepository.responseByKey(trx, surveyId, a.editKeyHash)))).filter((r) => !!r).map((r) => r!.id);
    const others = (await surveyRepository.responseIds(trx, surveyId)).map((r) => r.id).filter((id) => !replaced.includes(id));
    const padIds = shuffled(others, randomInt).slice(0, paddingFor(latest.length, others.length, min));
    const padding = await surveyRepository.responsesWithScores(trx, padIds);
    const rows = shuffled(
      [
        ...latest.map((a) => ({ editKeyHash: a.editKeyHash, answers: a.answers, scores: a.scores })),
        ...padding.map((r) => ({ editKeyHash: r.edit_key_hash, answers: r.answers as Answers, scores: r.scores.map((x) => ({ question_id: x.question_id, item: x.item, score: x.score })) })),
      ],
      randomInt,
    ).map((r) => ({ ...r, id: randomUUID() }));
    await surveyRepository.deleteResponses(trx, [...replaced, ...padIds]);
    await surveyRepository.insertBatch(trx, surveyId, rows);
    await surveyRepository.removeFromPool(trx, mine.map((p) => p.id));
    return mine.length;
  });
}

/** The last batch of every survey whose answering has closed (run with the surveys job). */
export async function flushClosedAnswerPools(ctx: AppContext): Promise<number> {
  let n = 0;
  for (const s of await surveyRepository.closedWithPool(ctx.db, ctx.now())) n += await flushAnswerPool(ctx, s.id, true);
  return n;
}

/**
 * Saves a person's answers. Each person answers once; they may edit until the survey closes. An
 * anonymous answer is sealed and waits in the pool, with no person and no time, until it is written
 * in a shuffled batch with others (decision 0018): the invitation only records that (and on which
 * day) they answered, so the answer cannot be traced back to them.
 */
export async function respond(
  ctx: AppContext,
  actor: CurrentUser,
  surveyId: number,
  input: { answers: Record<string, unknown>; form?: boolean; editKey?: string | null; lang?: 'ja' | 'en' },
): Promise<RespondResult> {
  const result = await ctx.db.transaction().execute(async (trx) => {
    const survey = await surveyRepository.find(trx, surveyId);
    if (!survey) throw notFound();
    const invitation = await surveyRepository.invitationForUpdate(trx, surveyId, actor.id);
    if (!mayAnswerSurvey(actor, { invited: !!invitation }) || !invitation) throw notFound();
    if (!isOpen(survey, ctx.now())) throw new ServiceError(409, 'closed', 'error.surveyClosed');
    const raw = input.form ? answersFromForm(survey.questions, input.answers) : input.answers;
    const checked = checkAnswers(survey.questions, raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {});
    if (!checked.ok) {
      const fields: FieldErrors = {};
      for (const [f, p] of Object.entries(checked.problems))
        fields[f] = { key: p.key, params: { field: labelOfField(survey.questions, f, input.lang), ...(p.max ? { max: p.max } : {}) } };
      throw invalid(fields);
    }
    const today = tokyoDateOf(ctx.now());
    const scores = checked.scores.map((s) => ({ question_id: s.questionId, item: s.item, score: s.score }));
    const answers = JSON.stringify(checked.answers);
    if (!survey.anonymous) {
      const existing = await surveyRepository.responseOf(trx, surveyId, actor.id);
      const id = existing?.id ?? randomUUID();
      await surveyRepository.saveResponse(trx, { id, survey_id: surveyId, person_id: actor.id, edit_key_hash: null, answers, submitted_on: existing?.submitted_on ?? today, updated_on: today }, scores, !!existing);
      if (!existing) await surveyRepository.markResponded(trx, surveyId, actor.id, today);
      await audit(trx, ctx, actor, existing ? 'update' : 'create', 'survey_response', id, existing ? { answers: existing.answers } : undefined, { survey_id: surveyId, answers: checked.answers });
      return { editKey: null, updated: !!existing, anonymous: false };
    }
    // Anonymous: the answer is sealed into the pool, never written beside this person's invitation
    // mark or audit entry (decision 0018).
    // `at` orders one respondent's own changes (inside the seal only): always after their previous one.
    const pool = (a: Omit<Pooled, 'at'>, after = 0) =>
      surveyRepository.addToPool(trx, { id: randomUUID(), survey_id: surveyId, sealed: seal(answerPoolKey(ctx.config), { ...a, at: Math.max(ctx.now().getTime(), after + 1) }) });
    if (invitation.responded_on) {
      const keyHash = input.editKey ? sha256(input.editKey) : null;
      const waiting = keyHash ? await pooledByKey(trx, ctx, surveyId, keyHash) : null;
      const known = keyHash && (waiting ?? (await surveyRepository.responseByKey(trx, surveyId, keyHash)));
      if (!known) throw new ServiceError(409, 'answered', 'error.surveyAnswered');
      await pool({ kind: 'edit', editKeyHash: keyHash, answers: checked.answers, scores }, waiting?.at ?? 0);
      await audit(trx, ctx, actor, 'update', 'survey_response', null, undefined, { survey_id: surveyId });
      return { editKey: input.editKey!, updated: true, anonymous: true };
    }
    const editKey = randomToken(24);
    await pool({ kind: 'new', editKeyHash: sha256(editKey), answers: checked.answers, scores });
    await surveyRepository.markResponded(trx, surveyId, actor.id, today);
    // The audit log says who answered, never which answer is theirs.
    await audit(trx, ctx, actor, 'create', 'survey_response', null, undefined, { survey_id: surveyId });
    return { editKey, updated: false, anonymous: true };
  });
  // A batch may now be due: written in its own transaction, never in this person's. The answer is
  // safe in the pool whatever happens here; the next answer or the close writes it otherwise.
  if (result.anonymous)
    await flushAnswerPool(ctx, surveyId, false).catch((e) => ctx.logger?.error({ err: e, job: 'answer-batch', surveyId }, 'writing a batch of anonymous answers failed'));
  return { editKey: result.editKey, updated: result.updated };
}

// --- Results ------------------------------------------------------------------------------------

/**
 * The answers that may be shown: a named survey's all; an anonymous survey's written ones (its last
 * batch is written first once answering has closed), none while fewer than `surveyMinAnswers` have
 * been written (decision 0018: "too few answers to show").
 */
async function shownAnswers(ctx: AppContext, survey: Survey) {
  if (survey.anonymous && !isOpen(survey, ctx.now()) && survey.opens_at <= ctx.now()) await flushAnswerPool(ctx, survey.id, true);
  const rows = await surveyRepository.answers(ctx.db, survey.id);
  const waiting = survey.anonymous ? Number((await surveyRepository.poolSize(ctx.db, survey.id)).n) : 0;
  const tooFew = survey.anonymous && rows.length < ctx.config.surveyMinAnswers;
  return { rows: tooFew ? [] : rows, written: rows.length, waiting, tooFew };
}

export async function results(ctx: AppContext, surveyId: number) {
  const survey = await surveyRepository.find(ctx.db, surveyId);
  if (!survey) return null;
  const counts = await surveyRepository.counts(ctx.db, surveyId);
  const shown = await shownAnswers(ctx, survey);
  const invited = Number(counts.invited);
  // Who has answered is known from the invitations, at once; what they answered, batch by batch.
  const responded = survey.anonymous ? Number(counts.responded) : shown.written;
  return {
    survey,
    invited,
    responded,
    rate: responseRate(responded, invited),
    /** Anonymous: answers written so far, and those waiting for their batch. */
    written: shown.written,
    waiting: shown.waiting,
    /** Anonymous and fewer than the minimum written: no per-answer figure or text is shown. */
    tooFew: shown.tooFew,
    minAnswers: ctx.config.surveyMinAnswers,
    summaries: summarise(
      survey.questions,
      shown.rows.map((r) => r.answers),
    ),
  };
}

export interface RawAnswerRow {
  respondent: { name: string; kana: string; affiliation: string; unit: string } | null;
  /** The day a named answer was given; null for an anonymous one, which carries no time (decision 0011). */
  submittedOn: string | null;
  answers: Answers;
}

/**
 * Every answer, for export by admins. A named survey's rows carry the respondent; an anonymous
 * survey's never do (there is nothing to carry: the responses hold no person).
 */
export async function rawAnswers(ctx: AppContext, surveyId: number): Promise<{ survey: Survey; rows: RawAnswerRow[]; tooFew?: boolean } | null> {
  const survey = await surveyRepository.find(ctx.db, surveyId);
  if (!survey) return null;
  if (survey.anonymous) {
    const shown = await shownAnswers(ctx, survey);
    return { survey, tooFew: shown.tooFew, rows: shown.rows.map((r) => ({ respondent: null, submittedOn: null, answers: r.answers })) };
  }
  const rows = await surveyRepository.namedAnswers(ctx.db, surveyId);
  return {
    survey,
    rows: rows.map((r) => ({ respondent: { name: r.name, kana: r.kana, affiliation: r.affiliation, unit: r.partner_name ?? r.unit_name ?? '' }, submittedOn: r.submitted_on, answers: r.answers })),
  };
}

/** An answer as one cell of an export or a list. */
export function answerText(q: SurveyQuestion, v: Answers[string] | undefined): string {
  if (v === undefined) return '';
  if (Array.isArray(v)) return v.join('、');
  if (typeof v === 'object') return (q.rows ?? []).map((r) => `${r.label}：${v[r.id] ?? ''}`).join('／');
  return String(v);
}

/** Export columns of raw answers: matrix rows get a column each; a scale's header says what its numbers mean. */
export function answerColumns(questions: SurveyQuestion[]): { header: string; value: (a: Answers) => string | number }[] {
  return questions.flatMap((q) =>
    q.type === 'matrix'
      ? (q.rows ?? []).map((r) => ({ header: `${q.id}.${r.id} ${r.label}（${scaleRange(q)}）`, value: (a: Answers) => ((a[q.id] as Record<string, number> | undefined)?.[r.id] ?? '') as string | number }))
      : [{ header: q.type === 'scale5' ? `${q.id} ${q.label}（${scaleRange(q)}）` : `${q.id} ${q.label}`, value: (a: Answers) => (q.type === 'scale5' ? ((a[q.id] as number | undefined) ?? '') : answerText(q, a[q.id])) }],
  );
}

/**
 * Pre/post change per competency for the people who answered both self-assessments of an offering,
 * grouped by cohort (offering), by unit or by affiliation type, plus an overall row set.
 */
export async function impact(ctx: AppContext, f: { fiscalYear?: number; offeringId?: number; by: ImpactGrouping }) {
  const rows = await surveyRepository.pairs(ctx.db, f);
  const groupOf = (r: (typeof rows)[number]) => (f.by === 'cohort' ? r.offering_title : f.by === 'unit' ? (r.unit_name ?? '—') : r.affiliation);
  const order = new Map<string, string>();
  for (const r of rows) order.set(groupOf(r), f.by === 'unit' ? (r.unit_kana ?? '') : f.by === 'cohort' ? `${r.fiscal_year}-${String(r.offering_id).padStart(10, '0')}` : r.affiliation);
  const groups = [...order.keys()].sort((a, b) => (order.get(a)! < order.get(b)! ? -1 : order.get(a)! > order.get(b)! ? 1 : 0));
  const pairs = rows.map((r) => ({ personId: r.person_id!, group: groupOf(r), item: r.item, pre: r.pre, post: r.post }));
  const byGroup = pairedChange(pairs, COMPETENCIES);
  const overall = pairedChange(
    pairs.map((p) => ({ ...p, group: '' })),
    COMPETENCIES,
  );
  return { groups, byGroup, overall, people: new Set(pairs.map((p) => p.personId)).size };
}

/**
 * A field training seen from both sides: the participants' questionnaire and the host's, side by side.
 */
export async function exchangeViews(ctx: AppContext, sessionId: number) {
  const session = await offeringRepository.findSession(ctx.db, sessionId);
  if (!session) return null;
  const surveys = await surveyRepository.list(ctx.db, { sessionId });
  const participant = surveys.find((s) => s.kind === 'post_session');
  const host = surveys.find((s) => s.kind === 'host');
  return {
    session,
    participant: participant ? await results(ctx, participant.id) : null,
    host: host ? await results(ctx, host.id) : null,
  };
}
