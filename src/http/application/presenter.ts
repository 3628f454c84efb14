import { formatTokyo } from '../../domain/calendar.js';
import { answerSheet, owesAnswers } from '../../domain/application-policy.js';
import type { ApplicationRow } from '../../db/repositories/application.repository.js';
import type { OfferingQuestion } from '../../db/schema.js';
import type { Translate } from '../../i18n/index.js';
import type { ExportColumn } from '../../lib/table-export.js';
import type { listApplications, myApplications } from '../../services/application.service.js';

/** Rows → API JSON and rows → export rows for applications. */
type OfferingApplication = Awaited<ReturnType<typeof listApplications>>[number];
type MyApplication = Awaited<ReturnType<typeof myApplications>>[number];

/** An application's answers, each under its question's text. */
export const answersJson = (questions: readonly OfferingQuestion[], answers: Record<string, string>) =>
  answerSheet(questions as OfferingQuestion[], answers).map((l) => ({ questionId: l.id, question: l.question, answer: l.answer }));

export function applicationItemJson(a: OfferingApplication, questions: readonly OfferingQuestion[]) {
  return {
    id: a.id,
    personId: a.person_id,
    name: a.person_name,
    status: a.status,
    seatGroup: a.seat_group,
    waitlistPosition: a.waitlist_position,
    lotteryRank: a.lottery_rank,
    participantCode: a.participant_code,
    answers: answersJson(questions, a.answers),
    answersPending: a.answers_pending,
  };
}

export function applicationDetailJson(a: ApplicationRow, questions: readonly OfferingQuestion[]) {
  return {
    id: a.id,
    status: a.status,
    offeringId: a.offering_id,
    participantCode: a.participant_code,
    answers: answersJson(questions, a.answers),
    answersPending: a.answers_pending,
    // The approver's decision with their comment (差戻し or 推薦・承認), as the applicant's page shows it.
    endorsement: a.endorsed_at ? { by: a.endorser_name, at: a.endorsed_at, comment: a.endorse_comment } : null,
  };
}

export function myApplicationJson(a: MyApplication) {
  return { id: a.id, offeringId: a.offering_id, title: a.offering_title, fiscalYear: a.fiscal_year, status: a.status, answersPending: owesAnswers(a) };
}

/** The columns of an offering's applications as CSV/xlsx: the answers one column per question, headed by its text. */
export function applicationExportColumns(t: Translate, questions: readonly OfferingQuestion[]): ExportColumn<OfferingApplication>[] {
  type Row = OfferingApplication;
  return [
    { header: t('field.name'), value: (a: Row) => a.person_name },
    { header: t('field.kana'), value: (a: Row) => a.person_kana },
    { header: t('field.email'), value: (a: Row) => a.person_email },
    { header: t('field.unit'), value: (a: Row) => a.unit_name },
    { header: t('field.affiliation'), value: (a: Row) => t(`seatGroup.${a.seat_group}`) },
    { header: t('common.status'), value: (a: Row) => t(`status.${a.status}`) },
    { header: t('trainings.waitlistPosition', { position: '' }).trim(), value: (a: Row) => a.waitlist_position },
    { header: t('notice.code'), value: (a: Row) => a.participant_code },
    { header: t('approvals.appliedAt'), value: (a: Row) => formatTokyo(a.applied_at, 'ja', 'datetime') },
    { header: t('trainings.cancelReason'), value: (a: Row) => (a.status === 'cancelled' ? a.cancel_reason : null) },
    // The answers, one column per question headed by its text (review-based selection reads them).
    ...(questions.length ? [{ header: t('applications.answersStatus'), value: (a: Row) => (a.answers_pending ? t('applications.answersPending') : t('applications.answersDone')) }] : []),
    ...questions.map((q) => ({ header: q.label, value: (a: Row) => a.answers[q.id] ?? '' })),
  ];
}
