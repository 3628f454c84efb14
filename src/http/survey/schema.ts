import { z } from 'zod';
import { QUESTION_TYPES } from '../../domain/survey.js';
import { SURVEY_KINDS } from '../../domain/values.js';
import { surveyInputFields, surveyInputRules, surveyQuestionSchema } from '../../services/survey.service.js';
import { query } from '../api.js';

const int = () => z.number().int();
/** An instant as the API takes it (the JSON Schema of a parsed date says nothing by itself). */
const instant = <S extends z.ZodType>(s: S, description: string) => s.meta({ type: 'string', format: 'date-time', description });

// --- Input --------------------------------------------------------------------------------------

export const surveyListQuery = z.object({ offering: query.id('offering id'), kind: query.oneOf(SURVEY_KINDS, 'survey kind'), fy: query.fiscalYear() });

/** A new survey: the service's own fields and rules, so that op refuses what the service would. */
export const surveyCreateBody = z
  .object({
    ...surveyInputFields,
    templateId: surveyInputFields.templateId.describe('the template whose questions the survey asks'),
    title: surveyInputFields.title.describe('the offering’s (or session’s) title when absent'),
    anonymous: surveyInputFields.anonymous.describe('the template’s setting when absent'),
    offeringId: surveyInputFields.offeringId.describe('required for pre and post'),
    sessionId: surveyInputFields.sessionId.describe('required for post_session and host'),
    opensAt: instant(surveyInputFields.opensAt, 'ISO 8601 with a zone, e.g. 2026-12-01T09:00:00+09:00'),
    closesAt: instant(surveyInputFields.closesAt, 'after opensAt'),
  })
  .superRefine(surveyInputRules);

const answerValue = z.union([z.number(), z.string(), z.array(z.string()), z.record(z.string(), z.number())]);

/** The answers are checked against the survey's own questions by the service (422 naming each question). */
export const responseBody = z.object({
  answers: z.record(z.string(), answerValue).describe('by question id: a number (scale5), text, the chosen options, or a matrix’s numbers by row id'),
  editKey: z.string().max(200).optional().describe('an anonymous survey: the key returned with the first answer, to change it'),
});

// --- Output -------------------------------------------------------------------------------------

export const surveyOut = z.object({
  id: int(),
  kind: z.enum(SURVEY_KINDS),
  title: z.string(),
  anonymous: z.boolean(),
  offeringId: int().nullable(),
  sessionId: int().nullable(),
  opensAt: z.string(),
  closesAt: z.string(),
  invited: int(),
  responded: int(),
});
export const surveyList = z.object({ items: z.array(surveyOut) });
export const created = z.object({ id: int() });

export const surveyForReaderOut = z.object({
  id: int(),
  title: z.string(),
  anonymous: z.boolean(),
  opensAt: z.string(),
  closesAt: z.string(),
  answered: z.boolean(),
  questions: z.array(surveyQuestionSchema),
});

export const responseOut = z.object({ editKey: z.string().nullable(), updated: z.boolean() });

const point = z.object({ value: int(), label: z.string(), count: int() });
const scaleFigures = {
  n: int(),
  counts: z.array(int()).describe('counts[0] is the number of 1s … counts[4] the number of 5s'),
  mean: z.number().nullable(),
  points: z.array(point).describe('the same counts in the one order, highest first, each with its words (5 = そう思う)'),
};
const asked = { id: z.string(), type: z.enum(QUESTION_TYPES), label: z.string() };
const questionResult = z.union([
  z.object({ ...asked, kind: z.literal('scale'), ...scaleFigures }),
  z.object({ ...asked, kind: z.literal('choice'), n: int(), options: z.array(z.object({ label: z.string(), count: int() })) }),
  z.object({ ...asked, kind: z.literal('text'), n: int(), texts: z.array(z.string()) }),
  z.object({ ...asked, kind: z.literal('matrix'), n: int(), rows: z.array(z.object({ id: z.string(), label: z.string(), labelEn: z.string().optional(), kind: z.literal('scale'), ...scaleFigures })) }),
]);
export const surveyResults = z.object({
  id: int(),
  title: z.string(),
  invited: int(),
  responded: int(),
  responseRate: z.number().nullable(),
  written: int().optional().describe('anonymous surveys: answers written so far (decision 0018)'),
  waiting: int().optional().describe('anonymous surveys: answers waiting for their batch'),
  minAnswers: int().optional().describe('anonymous surveys: no per-answer figure below this many written answers'),
  tooFew: z.boolean().optional().describe('anonymous surveys: fewer than minAnswers written, so no question carries figures'),
  questions: z.array(questionResult),
});

const respondent = z.object({ name: z.string(), kana: z.string(), affiliation: z.string(), unit: z.string() });
export const surveyResponses = z.object({
  anonymous: z.boolean(),
  tooFew: z.boolean().optional(),
  items: z.array(z.object({ respondent: respondent.optional().describe('named surveys only'), submittedOn: z.string().nullable().optional().describe('named surveys only'), answers: z.record(z.string(), answerValue) })),
});

/** Reminding those who have not answered: sent only with confirm true (it mails people). */
export const remindBody = z.object({ confirm: z.boolean().optional().describe('true to send; absent or false only answers how many would be mailed (409 confirmation_required)') }).optional();
export const remindOut = z.object({ id: int(), reminded: int().describe('people mailed') });
