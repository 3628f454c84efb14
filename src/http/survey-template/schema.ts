import { z } from 'zod';
import { checkQuestions } from '../../domain/survey.js';
import { TEMPLATE_PURPOSES } from '../../domain/values.js';
import { questionsError, surveyQuestionSchema, templateFields, templateQuestionsSchema } from '../../services/survey.service.js';

/**
 * A new template over the API: the service's fields, and its questions as JSON checked as the service
 * checks them (ids, duplicates, options, rows, scale words), so op refuses what the service would.
 */
export const templateCreateBody = z.object({
  ...templateFields,
  anonymous: z.boolean().optional().describe('answers carry no person (decision 0011); default false'),
  questions: templateQuestionsSchema.superRefine(
    (qs, c) => {
      const problems = checkQuestions(qs);
      if (problems.length) {
        const e = questionsError(problems);
        c.addIssue({ code: 'custom', message: e.key, params: e.params });
      }
    },
    // Only questions of the documented shape can be checked.
    { when: (payload) => payload.issues.length === 0 },
  ),
});

export const templateOut = z.object({ id: z.number().int(), code: z.string().nullable(), name: z.string(), purpose: z.enum(TEMPLATE_PURPOSES), anonymous: z.boolean(), builtin: z.boolean(), questions: z.array(surveyQuestionSchema) });
export const templateList = z.object({ items: z.array(templateOut) });
export const created = z.object({ id: z.number().int() });
