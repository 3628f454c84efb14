/**
 * Surveys: question types, reading and checking answers, and the figures the results pages show.
 * Pure: no I/O, no clock (callers pass "now" where a rule needs it).
 */
import { percent, roundHalfUp } from './rounding.js';

export const QUESTION_TYPES = ['scale5', 'single', 'multiple', 'text', 'matrix'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** The five competencies the plan item names (DOMAIN.md §3), as the rows of the self-assessment matrix. */
export const COMPETENCIES = ['roles', 'sites', 'consensus', 'facilitation', 'evaluation'] as const;
export type Competency = (typeof COMPETENCIES)[number];

export interface QuestionRow {
  id: string;
  label: string;
  labelEn?: string;
}

/** The words of one point of a 5-point scale. */
export interface ScaleAnchor {
  label: string;
  labelEn?: string;
}

export interface SurveyQuestion {
  /** Lower-case letters, digits and underscores; unique within the survey. */
  id: string;
  type: QuestionType;
  label: string;
  labelEn?: string;
  required: boolean;
  /** Choices for single and multiple choice. */
  options?: string[];
  /** Rows of a scale matrix (e.g. the five competencies). */
  rows?: QuestionRow[];
  /**
   * The words of a 5-point scale or matrix, for 5, 4, 3, 2, 1 in that order (AGREE_ANCHORS when
   * absent). The question text itself carries no legend: every point shows its own words.
   */
  anchors?: ScaleAnchor[];
}

// --- Scales -------------------------------------------------------------------------------------

/**
 * The one order of every scale in the product, in answer forms, results, charts and exports:
 * the highest point first (left, or top), as Japanese questionnaires put 「そう思う」 first.
 * The value stored is the number the words mean: 5 = そう思う … 1 = そう思わない.
 */
export const SCALE_VALUES = [5, 4, 3, 2, 1] as const;

/** The agreement scale, 5 … 1 (the default of every scale question). */
export const AGREE_ANCHORS: readonly ScaleAnchor[] = [
  { label: 'そう思う', labelEn: 'agree' },
  { label: 'ややそう思う', labelEn: 'somewhat agree' },
  { label: 'どちらともいえない', labelEn: 'neither' },
  { label: 'あまりそう思わない', labelEn: 'somewhat disagree' },
  { label: 'そう思わない', labelEn: 'disagree' },
];

/** The satisfaction scale, 5 … 1. */
export const SATISFACTION_ANCHORS: readonly ScaleAnchor[] = [
  { label: '満足', labelEn: 'satisfied' },
  { label: 'やや満足', labelEn: 'somewhat satisfied' },
  { label: 'どちらともいえない', labelEn: 'neither' },
  { label: 'やや不満', labelEn: 'somewhat dissatisfied' },
  { label: '不満', labelEn: 'dissatisfied' },
];

export interface ScalePoint {
  value: number;
  /** The point's words alone (そう思う). */
  words: string;
  /** The number and the words, as every label shows them (5：そう思う). */
  text: string;
}

/** The points of a scale question (or matrix), highest first, worded in the given language. */
export function scalePoints(q: Pick<SurveyQuestion, 'anchors'>, lang: 'ja' | 'en' = 'ja'): ScalePoint[] {
  const anchors = q.anchors?.length === SCALE_VALUES.length ? q.anchors : AGREE_ANCHORS;
  return SCALE_VALUES.map((value, i) => {
    const a = anchors[i];
    const words = lang === 'en' && a.labelEn ? a.labelEn : a.label;
    return { value, words, text: lang === 'en' ? `${value}: ${words}` : `${value}：${words}` };
  });
}

/** The scale in one line, highest to lowest (5：そう思う〜1：そう思わない), for headers and captions. */
export function scaleRange(q: Pick<SurveyQuestion, 'anchors'>, lang: 'ja' | 'en' = 'ja'): string {
  const p = scalePoints(q, lang);
  return lang === 'en' ? `${p[0].text} … ${p[p.length - 1].text}` : `${p[0].text}〜${p[p.length - 1].text}`;
}

export type AnswerValue = number | string | string[] | Record<string, number>;
export type Answers = Record<string, AnswerValue>;

/** A numeric answer: a 5-point scale, or one row of a matrix (item is the row id, '' for a scale). */
export interface Score {
  questionId: string;
  item: string;
  score: number;
}

export type AnswerProblem = { key: 'error.required' | 'error.choice' | 'error.range' | 'error.tooLong'; max?: number };

export const TEXT_ANSWER_MAX = 4000;
const ID = /^[a-z][a-z0-9_]{0,39}$/;

/** Problems in a list of questions (for template editing); empty when they are usable. */
export function checkQuestions(questions: SurveyQuestion[]): string[] {
  const problems: string[] = [];
  if (!questions.length) problems.push('no questions');
  const seen = new Set<string>();
  for (const q of questions) {
    if (!ID.test(q.id)) problems.push(`${q.id}: id`);
    if (seen.has(q.id)) problems.push(`${q.id}: duplicate`);
    seen.add(q.id);
    if (!q.label.trim()) problems.push(`${q.id}: label`);
    if ((q.type === 'single' || q.type === 'multiple') && (!q.options || q.options.length < 2 || new Set(q.options).size !== q.options.length))
      problems.push(`${q.id}: options`);
    if (q.type === 'matrix' && (!q.rows || !q.rows.length || q.rows.some((r) => !ID.test(r.id)) || new Set(q.rows.map((r) => r.id)).size !== q.rows.length))
      problems.push(`${q.id}: rows`);
    if (q.anchors !== undefined && (q.type !== 'scale5' && q.type !== 'matrix' ? true : q.anchors.length !== SCALE_VALUES.length || q.anchors.some((a) => !a.label.trim())))
      problems.push(`${q.id}: scale`);
  }
  return problems;
}

/** The form field name of a question (and of one matrix row). */
export const fieldName = (q: SurveyQuestion, row?: string) => (row ? `q-${q.id}-${row}` : `q-${q.id}`);

/** Turns a submitted form (repeated names as arrays) into the structured answers the API also takes. */
export function answersFromForm(questions: SurveyQuestion[], form: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const q of questions) {
    if (q.type === 'matrix') {
      const m: Record<string, unknown> = {};
      for (const r of q.rows ?? []) {
        const v = form[fieldName(q, r.id)];
        if (v !== undefined && v !== '') m[r.id] = v;
      }
      if (Object.keys(m).length) out[q.id] = m;
    } else {
      const v = form[fieldName(q)];
      if (v !== undefined && v !== '') out[q.id] = v;
    }
  }
  return out;
}

const toScale = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*[1-5]\s*$/.test(v) ? Number(v) : Number.NaN;
  return Number.isInteger(n) && n >= 1 && n <= 5 ? n : null;
};

export type CheckedAnswers = { ok: true; answers: Answers; scores: Score[] } | { ok: false; problems: Record<string, AnswerProblem> };

/**
 * Checks structured answers against the questions: required ones present, scales 1–5, choices
 * among the options, texts within length. Unknown question ids are ignored. Problems are keyed by
 * form field name, so a page can point at the field.
 */
export function checkAnswers(questions: SurveyQuestion[], raw: Record<string, unknown>): CheckedAnswers {
  const answers: Answers = {};
  const scores: Score[] = [];
  const problems: Record<string, AnswerProblem> = {};
  for (const q of questions) {
    const v = raw[q.id];
    const blank = v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
    if (blank) {
      if (q.required) problems[q.type === 'matrix' ? fieldName(q, q.rows?.[0]?.id) : fieldName(q)] = { key: 'error.required' };
      continue;
    }
    switch (q.type) {
      case 'scale5': {
        const n = toScale(v);
        if (n === null) problems[fieldName(q)] = { key: 'error.range' };
        else {
          answers[q.id] = n;
          scores.push({ questionId: q.id, item: '', score: n });
        }
        break;
      }
      case 'single':
        if (typeof v !== 'string' || !q.options?.includes(v)) problems[fieldName(q)] = { key: 'error.choice' };
        else answers[q.id] = v;
        break;
      case 'multiple': {
        const list = Array.isArray(v) ? v : [v];
        if (list.some((x) => typeof x !== 'string' || !q.options?.includes(x))) problems[fieldName(q)] = { key: 'error.choice' };
        else answers[q.id] = q.options!.filter((o) => list.includes(o));
        break;
      }
      case 'text':
        if (typeof v !== 'string') problems[fieldName(q)] = { key: 'error.choice' };
        else if (v.length > TEXT_ANSWER_MAX) problems[fieldName(q)] = { key: 'error.tooLong', max: TEXT_ANSWER_MAX };
        else answers[q.id] = v.trim();
        break;
      case 'matrix': {
        if (typeof v !== 'object' || Array.isArray(v)) {
          problems[fieldName(q, q.rows?.[0]?.id)] = { key: 'error.choice' };
          break;
        }
        const m: Record<string, number> = {};
        for (const r of q.rows ?? []) {
          const cell = (v as Record<string, unknown>)[r.id];
          if (cell === undefined || cell === null || cell === '') {
            if (q.required) problems[fieldName(q, r.id)] = { key: 'error.required' };
            continue;
          }
          const n = toScale(cell);
          if (n === null) problems[fieldName(q, r.id)] = { key: 'error.range' };
          else m[r.id] = n;
        }
        if (Object.keys(m).length) {
          answers[q.id] = m;
          for (const [item, score] of Object.entries(m)) scores.push({ questionId: q.id, item, score });
        }
        break;
      }
    }
  }
  return Object.keys(problems).length ? { ok: false, problems } : { ok: true, answers, scores };
}

/** The question (and row) a form field name stands for: to word a problem with the question's own label. */
export function labelOfField(questions: SurveyQuestion[], field: string, lang: 'ja' | 'en' = 'ja'): string {
  for (const q of questions) {
    const ql = lang === 'en' && q.labelEn ? q.labelEn : q.label;
    if (fieldName(q) === field) return ql;
    for (const r of q.rows ?? []) if (fieldName(q, r.id) === field) return `${ql}：${lang === 'en' && r.labelEn ? r.labelEn : r.label}`;
  }
  return field;
}

// --- Results ------------------------------------------------------------------------------------

export interface ScaleSummary {
  kind: 'scale';
  /** Respondents who answered (for a matrix row: that row). */
  n: number;
  /** counts[0] is the number of 1s, … counts[4] the number of 5s. */
  counts: [number, number, number, number, number];
  mean: number | null;
}
export interface ChoiceSummary {
  kind: 'choice';
  n: number;
  options: { label: string; count: number }[];
}
export interface TextSummary {
  kind: 'text';
  n: number;
  texts: string[];
}
export interface MatrixSummary {
  kind: 'matrix';
  n: number;
  rows: ({ id: string; label: string; labelEn?: string } & ScaleSummary)[];
}
export type QuestionSummary = ScaleSummary | ChoiceSummary | TextSummary | MatrixSummary;

/** Means carry two places, rounded half up (the one rounding rule, domain/rounding.ts). */
export const round2 = (x: number) => roundHalfUp(x, 2);

export function scaleSummary(values: number[]): ScaleSummary {
  const counts: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  let sum = 0;
  for (const v of values) {
    counts[v - 1]++;
    sum += v;
  }
  return { kind: 'scale', n: values.length, counts, mean: values.length ? round2(sum / values.length) : null };
}

/** One summary per question, over the given responses' answers. */
export function summarise(questions: SurveyQuestion[], responses: Answers[]): { question: SurveyQuestion; summary: QuestionSummary }[] {
  return questions.map((q) => {
    const given = responses.map((a) => a[q.id]).filter((v) => v !== undefined);
    switch (q.type) {
      case 'scale5':
        return { question: q, summary: scaleSummary(given.filter((v): v is number => typeof v === 'number')) };
      case 'single':
      case 'multiple': {
        const flat = given.flatMap((v) => (Array.isArray(v) ? v : [v]));
        return { question: q, summary: { kind: 'choice', n: given.length, options: (q.options ?? []).map((label) => ({ label, count: flat.filter((x) => x === label).length })) } };
      }
      case 'text': {
        const texts = given.filter((v): v is string => typeof v === 'string' && v !== '');
        return { question: q, summary: { kind: 'text', n: texts.length, texts } };
      }
      case 'matrix': {
        const maps = given.filter((v): v is Record<string, number> => typeof v === 'object' && !Array.isArray(v));
        return {
          question: q,
          summary: {
            kind: 'matrix',
            n: maps.length,
            rows: (q.rows ?? []).map((r) => ({ ...r, ...scaleSummary(maps.map((m) => m[r.id]).filter((x): x is number => typeof x === 'number')) })),
          },
        };
      }
    }
  });
}

/** Responses over invitations, as a percentage rounded half up like every other (domain/rounding.ts). */
export function responseRate(responded: number, invited: number): number | null {
  return percent(responded, invited);
}

// --- Pre/post change ----------------------------------------------------------------------------

export interface PairedScore {
  personId: number;
  /** Grouping keys (cohort, unit, affiliation …): the caller decides. */
  group: string;
  item: string;
  pre: number;
  post: number;
}

export interface PairedChange {
  group: string;
  item: string;
  /** People who answered the item both before and after. */
  n: number;
  meanPre: number | null;
  meanPost: number | null;
  meanChange: number | null;
  /** How many changed by -4 … +4: distribution[0] is -4, distribution[4] no change, distribution[8] +4. */
  distribution: number[];
  improved: number;
  same: number;
  declined: number;
}

/**
 * Paired change per (group, item): only people with both a pre and a post score count, so a cohort
 * that grows or shrinks between the two does not move the figure.
 */
export function pairedChange(pairs: PairedScore[], items: readonly string[] = COMPETENCIES): PairedChange[] {
  const groups = [...new Set(pairs.map((p) => p.group))];
  const out: PairedChange[] = [];
  for (const group of groups)
    for (const item of items) {
      const ps = pairs.filter((p) => p.group === group && p.item === item);
      const distribution = Array.from({ length: 9 }, () => 0);
      let pre = 0;
      let post = 0;
      for (const p of ps) {
        pre += p.pre;
        post += p.post;
        distribution[p.post - p.pre + 4]++;
      }
      const n = ps.length;
      out.push({
        group,
        item,
        n,
        meanPre: n ? round2(pre / n) : null,
        meanPost: n ? round2(post / n) : null,
        meanChange: n ? round2((post - pre) / n) : null,
        distribution,
        improved: ps.filter((p) => p.post > p.pre).length,
        same: ps.filter((p) => p.post === p.pre).length,
        declined: ps.filter((p) => p.post < p.pre).length,
      });
    }
  return out;
}

/** Whether a survey takes answers at this instant: from its opening until (not including) its close. */
export function isOpen(s: { opens_at: Date; closes_at: Date }, now: Date): boolean {
  return now.getTime() >= s.opens_at.getTime() && now.getTime() < s.closes_at.getTime();
}
