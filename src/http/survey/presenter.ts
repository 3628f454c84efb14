import { scalePoints, scaleRange } from '../../domain/survey.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { ExportColumn } from '../../lib/table-export.js';
import { answerColumns, type listSurveys, type rawAnswers, type results, type surveyForReader } from '../../services/survey.service.js';

export type SurveyResults = NonNullable<Awaited<ReturnType<typeof results>>>;
type RawAnswers = NonNullable<Awaited<ReturnType<typeof rawAnswers>>>;
type SurveyRow = Awaited<ReturnType<typeof listSurveys>>[number];

/** A question's (or a matrix row's) words in the reader's language. */
export const qLabel = (q: { label: string; labelEn?: string }, lang: Lang) => (lang === 'en' && q.labelEn ? q.labelEn : q.label);

// --- API JSON -----------------------------------------------------------------------------------

export function surveyJson(s: SurveyRow) {
  return { id: s.id, kind: s.kind, title: s.title, anonymous: s.anonymous, offeringId: s.offering_id, sessionId: s.session_id, opensAt: s.opens_at.toISOString(), closesAt: s.closes_at.toISOString(), invited: Number(s.invited ?? 0), responded: Number(s.responded ?? 0) };
}

export function surveyForReaderJson({ survey: s, answered }: NonNullable<Awaited<ReturnType<typeof surveyForReader>>>) {
  return { id: s.id, title: s.title, anonymous: s.anonymous, opensAt: s.opens_at.toISOString(), closesAt: s.closes_at.toISOString(), answered, questions: s.questions };
}

export function resultsJson(r: SurveyResults, lang: Lang) {
  return {
    id: r.survey.id,
    title: r.survey.title,
    invited: r.invited,
    responded: r.responded,
    responseRate: r.rate,
    // Anonymous surveys (decision 0018): answers written so far and waiting for their batch; with
    // fewer than minAnswers written, tooFew is true and no per-answer figure is given.
    ...(r.survey.anonymous ? { written: r.written, waiting: r.waiting, minAnswers: r.minAnswers, tooFew: r.tooFew } : {}),
    // counts[0] is the number of 1s; points lists the same counts in the product's one order,
    // highest first, each with its words (5 = そう思う).
    questions: r.summaries.map(({ question: q, summary }) => {
      const points = (counts: number[]) => scalePoints(q, lang).map((p) => ({ value: p.value, label: p.words, count: counts[p.value - 1] }));
      if (summary.kind === 'scale') return { id: q.id, type: q.type, label: q.label, ...summary, points: points(summary.counts) };
      if (summary.kind === 'matrix') return { id: q.id, type: q.type, label: q.label, ...summary, rows: summary.rows.map((row) => ({ ...row, points: points(row.counts) })) };
      return { id: q.id, type: q.type, label: q.label, ...summary };
    }),
  };
}

export function responsesJson(raw: RawAnswers) {
  // An anonymous answer carries neither a person nor a day (decision 0011).
  return { anonymous: raw.survey.anonymous, ...(raw.survey.anonymous ? { tooFew: !!raw.tooFew } : {}), items: raw.rows.map((r) => (r.respondent ? { respondent: r.respondent, submittedOn: r.submittedOn, answers: r.answers } : { answers: r.answers })) };
}

// --- Export rows (CSV / xlsx) -------------------------------------------------------------------

type AnswerRow = RawAnswers['rows'][number];

/** Every answer, one row each; a named survey's rows start with the respondent. */
export function answersExport(t: Translate, raw: RawAnswers): { columns: ExportColumn<AnswerRow>[]; rows: AnswerRow[] } {
  const who: ExportColumn<AnswerRow>[] = raw.survey.anonymous
    ? []
    : [
        { header: '氏名', value: (r) => r.respondent?.name ?? '' },
        { header: 'フリガナ', value: (r) => r.respondent?.kana ?? '' },
        { header: '所属区分', value: (r) => (r.respondent ? t(`affiliation.${r.respondent.affiliation}` as never) : '') },
        { header: '所属', value: (r) => r.respondent?.unit ?? '' },
      ];
  return {
    columns: [
      ...who,
      // An anonymous answer has no day (decision 0011): the column is only for named surveys.
      ...(raw.survey.anonymous ? [] : [{ header: '回答日', value: (r: AnswerRow) => r.submittedOn ?? '' }]),
      ...answerColumns(raw.survey.questions).map((col) => ({ header: col.header, value: (r: AnswerRow) => col.value(r.answers) })),
    ],
    rows: raw.rows,
  };
}

type CommentRow = { question: string; text: string; on: string };

/** The free-text answers, one row per answer to a text question. */
export function commentsExport(raw: RawAnswers): { columns: ExportColumn<CommentRow>[]; rows: CommentRow[] } {
  const texts = raw.survey.questions.filter((q) => q.type === 'text');
  const rows = raw.rows.flatMap((r) => texts.map((q) => ({ question: q.label, text: String(r.answers[q.id] ?? ''), on: r.submittedOn ?? '' }))).filter((x) => x.text);
  return {
    columns: [
      { header: '設問', value: (x) => x.question },
      { header: '回答', value: (x) => x.text },
      ...(raw.survey.anonymous ? [] : [{ header: '回答日', value: (x: CommentRow) => x.on }]),
    ],
    rows,
  };
}

type FigureRow = { question: string; item: string; scale: string; counts: number[]; n: number; mean: number | null };

/**
 * The figures of the results page as a table: one row per scale question (or matrix row), the
 * points in the one order, highest first, as the page shows them.
 */
export function resultsExport(t: Translate, lang: Lang, res: SurveyResults): { columns: ExportColumn<FigureRow>[]; rows: FigureRow[] } {
  const rows: FigureRow[] = res.summaries.flatMap(({ question: q, summary: s }): FigureRow[] =>
    s.kind === 'scale'
      ? [{ question: qLabel(q, lang), item: '', scale: scaleRange(q, lang), counts: s.counts, n: s.n, mean: s.mean }]
      : s.kind === 'matrix'
        ? s.rows.map((row) => ({ question: qLabel(q, lang), item: qLabel(row, lang), scale: scaleRange(q, lang), counts: row.counts, n: row.n, mean: row.mean }))
        : [],
  );
  return {
    columns: [
      { header: t('survey.question'), value: (x) => x.question },
      { header: t('survey.statement'), value: (x) => x.item },
      { header: t('survey.scale'), value: (x) => x.scale },
      ...[5, 4, 3, 2, 1].map((v) => ({ header: String(v), value: (x: FigureRow) => x.counts[v - 1] })),
      { header: t('survey.count'), value: (x) => x.n },
      { header: t('survey.mean'), value: (x) => x.mean ?? '' },
    ],
    rows,
  };
}

