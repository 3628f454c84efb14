import { tokyoDateOf } from '../../domain/calendar.js';
import type { ConsultationOutcome, ConsultationStatus, ScorePart } from '../../domain/matching.js';
import type { Translate } from '../../i18n/index.js';
import type { ExportColumn } from '../../lib/table-export.js';
import type { ConsultationRow, getConsultation, suggestions, workspace } from '../../services/consultation.service.js';

export type ConsultationDetail = Awaited<ReturnType<typeof getConsultation>>;
export type Suggestions = Awaited<ReturnType<typeof suggestions>>;
export type Activity = ConsultationDetail['activities'][number];
/** A case on a coordinator's workspace, with the time they logged on it. */
export type Case = Awaited<ReturnType<typeof workspace>>['history'][number];

// --- Wording shared by the pages and the exports ----------------------------------------------------

/** Minutes as hours and minutes: 90 → 1時間30分. */
export function duration(t: Translate, minutes: number): string {
  return t('consultations.duration', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** One part of a suggestion's score, worded: 分野 20/40（福祉）. */
export function partText(t: Translate, p: ScorePart): string {
  const detail = p.matched?.length ? p.matched.join('、') : p.count !== undefined ? t(`consultations.partCount.${p.key}` as never, { count: p.count }) : '';
  return `${t(`consultations.part.${p.key}`)} ${p.points}/${p.max}${detail ? `（${detail}）` : ''}`;
}

/** 状況: the status, with the outcome when closed: 完了（協働事業の開始）. */
export const statusText = (t: Translate, r: { status: ConsultationStatus; outcome: ConsultationOutcome | null }) =>
  `${t(`consultations.status.${r.status}`)}${r.outcome ? `（${t(`consultations.outcome.${r.outcome}`)}）` : ''}`;

// --- Rows → API JSON ----------------------------------------------------------------------------------

export const consultationJson = (r: ConsultationRow) => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  status: r.status,
  outcome: r.outcome,
  unitId: r.unit_id,
  unitName: r.unit_name,
  requesterId: r.requester_id,
  requesterName: r.requester_name,
  fields: r.fields,
  areaUnitIds: r.area_unit_ids,
  goal: r.goal,
  desiredFrom: r.desired_from,
  desiredTo: r.desired_to,
  partnerId: r.partner_id,
  partnerInMind: r.partner_in_mind,
  coordinators: r.coordinator_names ?? null,
  createdAt: r.created_at.toISOString(),
  closedAt: r.closed_at ? r.closed_at.toISOString() : null,
  feedbackSurveyId: r.feedback_survey_id,
});

export const consultationDetailJson = (d: ConsultationDetail) => ({
  ...consultationJson(d.consultation),
  outcomeNote: d.consultation.outcome_note,
  assignments: d.assignments.map((a) => ({ personId: a.person_id, name: a.name, status: a.status, declineReason: a.decline_reason, assignedAt: a.assigned_at, respondedAt: a.responded_at })),
  activities: d.activities.map((a) => ({ id: a.id, onDate: a.on_date, minutes: a.minutes, kind: a.kind, note: a.note, partnerIds: a.partner_ids, personId: a.person_id })),
});

export const suggestionsJson = (s: Suggestions) => ({
  coordinators: s.coordinators.map((x) => ({ personId: x.candidate.personId, name: x.candidate.name, score: x.score, eligible: x.eligible, parts: x.parts })),
  partners: s.partners.map((x) => ({ partnerId: x.candidate.partnerId, name: x.candidate.name, score: x.score, parts: x.parts })),
});

// --- Rows → export rows (CSV/xlsx) --------------------------------------------------------------------

export const consultationColumns = (t: Translate): ExportColumn<ConsultationRow>[] => [
  { header: t('consultations.number'), value: (r) => r.id },
  { header: t('consultations.filedOn'), value: (r) => tokyoDateOf(r.created_at) },
  { header: t('field.title'), value: (r) => r.title },
  { header: t('field.kind'), value: (r) => t(`consultations.kind.${r.kind}`) },
  { header: t('field.fields'), value: (r) => r.fields.join('、') },
  { header: t('field.unitId'), value: (r) => r.unit_name },
  { header: t('consultations.requester'), value: (r) => r.requester_name },
  { header: t('field.goal'), value: (r) => r.goal },
  { header: t('field.desiredFrom'), value: (r) => r.desired_from ?? '' },
  { header: t('field.desiredTo'), value: (r) => r.desired_to ?? '' },
  { header: t('field.partnerInMind'), value: (r) => [r.partner_name, r.partner_in_mind].filter(Boolean).join('／') },
  { header: t('common.status'), value: (r) => t(`consultations.status.${r.status}`) },
  { header: t('field.outcome'), value: (r) => (r.outcome ? t(`consultations.outcome.${r.outcome}`) : '') },
  { header: t('consultations.coordinators'), value: (r) => r.coordinator_names ?? '' },
];

export const activityColumns = (t: Translate): ExportColumn<Activity>[] => [
  { header: t('field.onDate'), value: (a) => a.on_date },
  { header: t('field.kind'), value: (a) => t(`consultations.activityKind.${a.kind}`) },
  { header: t('field.minutes'), value: (a) => a.minutes },
  { header: t('field.partnerIds'), value: (a) => a.partners.join('、') },
  { header: t('field.note'), value: (a) => a.note },
  { header: t('consultations.loggedBy'), value: (a) => a.person_name },
];

/** One suggestion, coordinator or partner organisation, as an export row. */
export type SuggestionRow = { type: string; name: string; score: number; eligible: boolean; parts: ScorePart[] };

export const suggestionRows = (t: Translate, s: Suggestions): SuggestionRow[] => [
  ...s.coordinators.map((x) => ({ type: t('consultations.coordinator'), name: x.candidate.name, score: x.score, eligible: x.eligible, parts: x.parts })),
  ...s.partners.map((x) => ({ type: t('consultations.partner'), name: x.candidate.name, score: x.score, eligible: x.eligible, parts: x.parts })),
];

export const suggestionColumns = (t: Translate): ExportColumn<SuggestionRow>[] => [
  { header: t('field.type'), value: (x) => x.type },
  { header: `${t('field.name')}／${t('partners.orgName')}`, value: (x) => x.name },
  { header: t('consultations.score'), value: (x) => x.score },
  { header: t('consultations.why'), value: (x) => x.parts.map((p) => partText(t, p)).join('／') },
  { header: t('consultations.eligible'), value: (x) => (x.eligible ? t('common.yes') : t('common.no')) },
];

export const caseColumns = (t: Translate): ExportColumn<Case>[] => [
  { header: t('consultations.number'), value: (x) => x.id },
  { header: t('field.title'), value: (x) => x.title },
  { header: t('field.kind'), value: (x) => t(`consultations.kind.${x.kind}`) },
  { header: t('field.unitId'), value: (x) => x.unit_name },
  { header: t('common.status'), value: (x) => t(`consultations.status.${x.status}`) },
  { header: t('field.outcome'), value: (x) => (x.outcome ? t(`consultations.outcome.${x.outcome}`) : '') },
  { header: t('consultations.workspace.closedOn'), value: (x) => (x.closed_at ? tokyoDateOf(x.closed_at) : '') },
  { header: t('field.minutes'), value: (x) => x.minutes },
];
