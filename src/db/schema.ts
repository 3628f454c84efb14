import type { Answers, SurveyQuestion } from '../domain/survey.js';
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Affiliation, ApiTokenScope, PartnerType, ProgressStatus, Role, SurveyKind, UnitKind } from '../domain/values.js';

/** Timestamps: written as Date, read as Date (timestamptz on both databases). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** JSON columns are written as a JSON string and read back parsed. */
type Json<T> = ColumnType<T, string, string>;

export interface UnitTable {
  id: Generated<number>;
  kind: UnitKind;
  parent_id: number | null;
  name: string;
  kana: string;
  /** 全国地方公共団体コード (6 digits with check digit), for municipalities. */
  code: string | null;
  search_key: string;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PersonTable {
  id: Generated<number>;
  name: string;
  kana: string;
  email: string;
  staff_number: string | null;
  unit_id: number | null;
  affiliation: Affiliation;
  search_key: string;
  active: Generated<boolean>;
  password_hash: string | null;
  locale: string | null;
  calendar_token: ColumnType<string | null, string | null | undefined, string | null>;
  partner_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** 職名 (e.g. 主査), for the 受講者名簿. */
  title: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PersonRoleTable {
  person_id: number;
  role: Role;
}

export interface SessionTable {
  id: string; // sha256 of the cookie token
  person_id: number;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  user_agent: string | null;
  /** The provider's id_token for a session begun through single sign-on (the sign-out hint); null otherwise. */
  sso_id_token: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A sign-in sent to the OpenID Connect provider, waiting for its callback (at most 10 minutes). */
export interface SsoRequestTable {
  state_hash: string;
  nonce: string;
  code_verifier: string;
  next: string;
  created_at: Timestamp;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  first_failure_at: Timestamp;
  locked_until: Timestamp | null;
}

/** A browser that has logged in to an account (decision 0017). */
export interface LoginDeviceTable {
  token_hash: string;
  person_id: number;
  created_at: Timestamp;
  last_used_at: Timestamp;
}

export interface OneTimeTokenTable {
  token_hash: string;
  person_id: number;
  purpose: 'invite' | 'reset';
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

/** A person's TOTP authenticator (decision 0025): secrets sealed with the answer key. */
export interface SecondFactorTable {
  person_id: number;
  /** The confirmed secret (base32, sealed); null until one code has confirmed it. */
  secret_sealed: string | null;
  confirmed_at: Timestamp | null;
  /** A secret shown for enrolment, not confirmed yet (sealed). */
  pending_secret_sealed: string | null;
  /** The last 30-second time step whose code was accepted: a code is good once. */
  last_used_step: number | null;
  updated_at: Timestamp;
}

/** Recovery codes, stored hashed, each usable once. */
export interface SecondFactorRecoveryCodeTable {
  person_id: number;
  code_hash: string;
  used_at: Timestamp | null;
}

/** A correct password waiting for its second factor (token stored hashed, five minutes). */
export interface PendingSignInTable {
  token_hash: string;
  person_id: number;
  next: string;
  /** JSON: the throttle keys ({ key, max }[]) the password attempt was counted under. */
  throttle_keys: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  attempts: Generated<number>;
}

export interface ApiTokenTable {
  id: Generated<number>;
  person_id: number;
  name: string;
  token_hash: string;
  prefix: string;
  /** 'read': GET and HEAD only; 'write': everything the person may do (the default). */
  scope: Generated<ApiTokenScope>;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  /** After this the token no longer works (one year by default). */
  expires_at: Timestamp;
}

export interface OutboxTable {
  id: Generated<number>;
  to_address: string;
  subject: string;
  body_text: string;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  locked_until: Timestamp | null;
  sent_at: Timestamp | null;
  last_error: string | null;
  /** One iCalendar object (iTIP, decision 0023) sent with the mail, or none. */
  calendar_method: ColumnType<'REQUEST' | 'CANCEL' | null, 'REQUEST' | 'CANCEL' | null | undefined, 'REQUEST' | 'CANCEL' | null>;
  calendar_ics: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
}

export interface ImportJobTable {
  id: Generated<number>;
  kind: 'units' | 'people' | 'history' | 'partners' | 'roster';
  /** The offering a participant list (roster) is imported into. */
  offering_id: number | null;
  filename: string;
  encoding: string;
  status: 'preview' | 'running' | 'done' | 'failed' | 'discarded';
  total_rows: number;
  processed_rows: Generated<number>;
  rows: Json<unknown[]>;
  errors: Json<{ line: number; field?: string; message: string; params?: Record<string, string | number> }[]>;
  created_by: number;
  created_at: CreatedAt;
  /** When a running job started, and when it last moved (its progress). */
  started_at: Timestamp | null;
  progress_at: Timestamp | null;
  finished_at: Timestamp | null;
  /** A people import's counts when applied (migration 20261201T0301); null for other kinds and older jobs. */
  outcome: Json<ImportOutcome> | null;
}

/** What an applied people import did: people added, people changed, rows that changed nothing (not written). */
export interface ImportOutcome {
  created: number;
  updated: number;
  unchanged: number;
}

export interface ProgrammeTable {
  id: Generated<number>;
  code: string;
  name: string;
  name_en: string;
  kana: string;
  owning_unit_id: number | null;
  predecessor_id: number | null;
  first_fiscal_year: number | null;
  last_fiscal_year: number | null;
  description: string;
  kind: Generated<'seminar' | 'coordinator_course' | 'follow_up' | 'other'>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface OfferingQuestion {
  id: string;
  label: string;
  required: boolean;
}

export interface CompletionRule {
  minSessions?: number;
  requiredSessionIds?: number[];
  assignment?: boolean;
  signOff?: boolean;
}

export type PriorityRule = 'first_time' | 'unit_untrained';

export interface OfferingTable {
  id: Generated<number>;
  programme_id: number;
  fiscal_year: number;
  title: string;
  audience: string;
  description: string;
  selection: 'first_come' | 'review' | 'lottery';
  capacity: number;
  seats: Json<Partial<Record<'prefecture' | 'municipality' | 'partner', number>>>;
  waitlist: boolean;
  endorsement_required: boolean;
  application_opens_at: Timestamp;
  application_closes_at: Timestamp;
  cancellation_deadline: Timestamp | null;
  promotion_cutoff: Timestamp | null;
  questions: Json<OfferingQuestion[]>;
  completion_rule: Json<CompletionRule>;
  priority_rules: Json<PriorityRule[]>;
  reminder_days: number;
  published: boolean;
  lottery_seed: string | null;
  lottery_at: Timestamp | null;
  /** Cancelled (中止): when, by whom, why (issue 15). */
  cancelled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  cancelled_by: ColumnType<number | null, number | null | undefined, number | null>;
  cancelled_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** Raised by every change that can move a seat (decision 0015). */
  seat_version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface OfferingSessionTable {
  id: Generated<number>;
  offering_id: number;
  title: string;
  format: 'lecture' | 'workshop' | 'field' | 'online';
  starts_at: Timestamp;
  ends_at: Timestamp;
  venue: string;
  lecturers: string;
  capacity: number | null;
  site_id: ColumnType<number | null, number | null | undefined, number | null>;
  host_partner_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** 持ち物 and the venue's access, printed on the 受講決定通知. */
  belongings: ColumnType<string, string | undefined, string>;
  access: ColumnType<string, string | undefined, string>;
  /** The SEQUENCE of the last calendar invitation, update or cancellation sent for this session's UID (decision 0023). */
  ical_sequence: Generated<number>;
  created_at: CreatedAt;
}

export interface ApplicationTable {
  id: Generated<number>;
  offering_id: number;
  person_id: number;
  status: 'applied' | 'endorsed' | 'returned' | 'confirmed' | 'waitlisted' | 'not_selected' | 'cancelled';
  seat_group: 'prefecture' | 'municipality' | 'partner';
  answers: Json<Record<string, string>>;
  /** Taken for the applicant without the answers to its required questions: the applicant answers later. */
  answers_pending: Generated<boolean>;
  applied_at: Timestamp;
  applied_by: number | null;
  endorsed_at: Timestamp | null;
  endorsed_by: number | null;
  endorse_comment: string | null;
  decided_at: Timestamp | null;
  waitlist_order: number | null;
  lottery_rank: number | null;
  cancelled_at: Timestamp | null;
  cancel_reason: string | null;
  participant_code: string;
  updated_at: Timestamp;
}

export interface SessionReminderTable {
  session_id: number;
  application_id: number;
  sent_at: Timestamp;
}

export interface AttendanceTable {
  session_id: number;
  application_id: number;
  status: 'present' | 'late' | 'left_early' | 'absent' | 'excused';
  via: 'admin' | 'kiosk' | 'api';
  marked_by: number | null;
  marked_at: Timestamp;
}

export interface AssignmentTable {
  application_id: number;
  text: string | null;
  file_name: string | null;
  file_type: string | null;
  file_size: number | null;
  file_data: Uint8Array | null;
  status: 'submitted' | 'accepted' | 'returned';
  submitted_at: Timestamp;
  review_comment: string | null;
  reviewed_by: number | null;
  reviewed_at: Timestamp | null;
}

export interface CompletionTable {
  application_id: number;
  completed: boolean;
  computed: boolean;
  parts: Json<unknown[]>;
  override_completed: boolean | null;
  override_reason: string | null;
  overridden_by: number | null;
  signed_off_by: number | null;
  signed_off_at: Timestamp | null;
  completed_on: string | null;
  updated_at: Timestamp;
}

export interface CertificateTable {
  id: Generated<number>;
  number: string;
  /** 24 hex digits, random: the key of the public verification (the number is sequential). */
  verification_code: string;
  application_id: number | null;
  person_id: number;
  programme_id: number;
  title: string;
  completed_on: string;
  valid_until: string | null;
  issued_at: Timestamp;
  revoked_at: Timestamp | null;
  revoke_reason: string | null;
}

export interface CoordinatorCertificationTable {
  person_id: number;
  granted_on: string;
  valid_until: string | null;
  renewed_on: string | null;
  certificate_id: number | null;
  revoked_at: Timestamp | null;
  updated_at: Timestamp;
}

/** The prefecture's Ed25519 keys that sign verifiable certificates (JWK JSON); one current, the retired still published. */
export interface IssuerKeyTable {
  id: Generated<number>;
  kid: string;
  public_jwk: string;
  private_jwk: string;
  created_at: CreatedAt;
  retired_at: Timestamp | null;
}

/** A certificate's or a coordinator certification's fixed index in the revocation status list. */
export interface CredentialStatusEntryTable {
  status_index: number;
  certificate_id: number | null;
  coordinator_person_id: number | null;
  created_at: CreatedAt;
}

export interface CoordinatorProfileTable {
  person_id: number;
  fields: Json<string[]>;
  area_unit_ids: Json<number[]>;
  availability: string;
  introduction: string;
  /** Works on the coordinators' desk (sees the open consultation queue); set by admins. */
  desk: Generated<boolean>;
  updated_at: Timestamp;
}

export interface TrainingRecordTable {
  id: Generated<number>;
  person_id: number;
  programme_id: number | null;
  fiscal_year: number;
  title: string;
  completed: boolean;
  note: string;
  created_at: Timestamp;
}

export interface PartnerTable {
  id: Generated<number>;
  name: string;
  kana: string;
  type: PartnerType;
  fields: Json<string[]>;
  area_unit_ids: Json<number[]>;
  contact_name: string;
  contact_email: string;
  contact_phone: string;
  description: string;
  search_key: string;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PartnerSiteTable {
  id: Generated<number>;
  partner_id: number;
  name: string;
  address: string;
  what_to_see: string;
  accessibility: string;
  capacity: number;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface FieldOfferTable {
  id: Generated<number>;
  partner_id: number;
  site_id: number;
  theme: string;
  candidate_starts: Json<string[]>;
  duration_minutes: number;
  capacity: number;
  preparation: string;
  status: 'offered' | 'accepted' | 'declined' | 'withdrawn';
  decline_reason: string | null;
  session_id: number | null;
  /** When the offer's scheduled session was deleted: its start, when, and why (the offer is back to 'offered'). */
  withdrawn_session_starts_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  session_withdrawn_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  session_withdrawn_reason: ColumnType<string | null, string | null | undefined, string | null>;
  created_by: number | null;
  created_at: Timestamp;
  decided_by: number | null;
  decided_at: Timestamp | null;
}

export interface HostMessageTable {
  id: Generated<number>;
  session_id: number;
  partner_id: number;
  body: string;
  created_by: number | null;
  created_at: Timestamp;
}

export interface SurveyTemplateTable {
  id: Generated<number>;
  code: string | null;
  name: string;
  purpose: 'post_session' | 'host' | 'competency' | 'feedback' | 'general';
  anonymous: boolean;
  questions: Json<SurveyQuestion[]>;
  builtin: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SurveyTable {
  id: Generated<number>;
  template_id: number;
  kind: SurveyKind;
  title: string;
  anonymous: boolean;
  offering_id: number | null;
  session_id: number | null;
  questions: Json<SurveyQuestion[]>;
  opens_at: Timestamp;
  closes_at: Timestamp;
  auto_reminded_at: Timestamp | null;
  created_by: number | null;
  created_at: Timestamp;
}

export interface SurveyInvitationTable {
  survey_id: number;
  person_id: number;
  invited_at: Timestamp;
  reminded_at: Timestamp | null;
  /** yyyy-mm-dd (a date: the time of answering must not single out an anonymous answer). */
  responded_on: string | null;
}

export interface SurveyResponseTable {
  id: string;
  survey_id: number;
  /** Null for an anonymous response. */
  person_id: number | null;
  edit_key_hash: string | null;
  answers: Json<Answers>;
  /** Days of a named response; null for an anonymous one, which carries no time at all (decision 0011). */
  submitted_on: string | null;
  updated_on: string | null;
}

/** An anonymous answer (or change) waiting for its batch, sealed (decision 0018). */
export interface SurveyAnswerPoolTable {
  id: string;
  survey_id: number;
  sealed: string;
}

export interface SurveyScoreTable {
  response_id: string;
  survey_id: number;
  question_id: string;
  item: string;
  score: number;
}

export interface PlanTable {
  id: Generated<number>;
  title: string;
  first_fiscal_year: number;
  last_fiscal_year: number;
  /** The plan's own rating scale for yearly progress (A/B/C unless the plan uses other labels). */
  rating_labels: ColumnType<string[], string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PlanItemTable {
  id: Generated<number>;
  plan_id: number;
  number: string;
  title: string;
  owning_units: string;
  /** 1. これまでの取組状況および課題 */
  situation: string;
  /** 2.(1) 基本的な考え方 */
  approach: string;
  /** 2.(3) 計画期間後の取組の方向 */
  direction: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PlanMeasureTable {
  id: Generated<number>;
  plan_id: number;
  home_item_id: number;
  title: string;
  description: string;
  programme_ids: Json<number[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PlanItemMeasureTable {
  item_id: number;
  measure_id: number;
  position: number;
}

export interface PlanScheduleCellTable {
  measure_id: number;
  fiscal_year: number;
  text: string;
  arrow: boolean;
}

export interface PlanProgressTable {
  item_id: number;
  /** 0: the item as a whole. */
  measure_id: number;
  fiscal_year: number;
  status: ProgressStatus | null;
  results: string;
  changes: string;
  further: string;
  /** The office's own rating, one of the plan's rating_labels. */
  rating: ColumnType<string | null, string | null | undefined, string | null>;
  updated_by: number | null;
  updated_at: Timestamp;
}

/** A measure's numeric target (数値目標) for a fiscal year, tied to a KPI Kyodo computes (domain/plan.ts PLAN_KPIS). */
export interface PlanTargetTable {
  id: Generated<number>;
  measure_id: number;
  fiscal_year: number;
  kpi: string;
  target: number;
  updated_by: number | null;
  updated_at: Timestamp;
}

export interface ConsultationTable {
  id: Generated<number>;
  kind: 'bridge' | 'planning' | 'evaluation';
  title: string;
  fields: Json<string[]>;
  area_unit_ids: Json<number[]>;
  goal: string;
  desired_from: string | null;
  desired_to: string | null;
  partner_in_mind: string;
  partner_id: number | null;
  requester_id: number;
  unit_id: number;
  status: 'new' | 'assigned' | 'in_progress' | 'closed' | 'withdrawn';
  outcome: 'project_started' | 'advice_given' | 'referred' | 'no_fit' | null;
  outcome_note: Generated<string>;
  feedback_survey_id: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  closed_at: Timestamp | null;
  closed_by: number | null;
}

export interface ConsultationAssignmentTable {
  consultation_id: number;
  person_id: number;
  status: 'offered' | 'accepted' | 'declined';
  decline_reason: string | null;
  assigned_by: number | null;
  assigned_at: Timestamp;
  responded_at: Timestamp | null;
}

export interface ConsultationActivityTable {
  id: Generated<number>;
  consultation_id: number;
  person_id: number;
  /** yyyy-mm-dd */
  on_date: string;
  minutes: number;
  kind: 'meeting' | 'contact' | 'research' | 'advice' | 'other';
  note: string;
  partner_ids: Json<number[]>;
  created_at: Timestamp;
}

export interface CollaborationProjectTable {
  id: Generated<number>;
  title: string;
  unit_id: number;
  purpose: string;
  starts_on: string;
  ends_on: string | null;
  coordinator_id: number | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProjectPartnerTable {
  project_id: number;
  partner_id: number;
}

export interface ProjectConsultationTable {
  project_id: number;
  consultation_id: number;
}

export interface EvaluationCriterionTable {
  id: Generated<number>;
  code: string | null;
  label: string;
  label_en: string;
  position: number;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProjectEvaluationTable {
  id: Generated<number>;
  project_id: number;
  side: 'unit' | 'partner';
  partner_id: number | null;
  submitted_by: number | null;
  submitted_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProjectEvaluationScoreTable {
  evaluation_id: number;
  criterion_id: number;
  score: number;
  comment: string;
}

/** A square of the 市町 tile map (issue 21 §3): column x and row y from the top left. */
export interface MunicipalityTileTable {
  code: string;
  name: string;
  x: number;
  y: number;
  updated_at: Generated<Date>;
}

/** A message from the training office to a cohort of an offering (issue 16 §2.2). */
export interface CohortMessageTable {
  id: Generated<number>;
  offering_id: number;
  session_id: number | null;
  statuses: Json<string[]>;
  subject: string;
  body: string;
  recipients: number;
  sent_by: number | null;
  created_at: Timestamp;
}

export interface CohortMessageRecipientTable {
  message_id: number;
  person_id: number;
}

/** The 文書番号 issued to a notice or certificate (issue 16 §3), kept so that a reprint carries the same number and date. */
export interface IssuedDocumentTable {
  id: Generated<number>;
  kind: 'decision_notice' | 'unit_notice' | 'certificate';
  subject: string;
  fiscal_year: number;
  serial: number;
  number: string;
  issued_on: string;
  issued_by: number | null;
  created_at: Timestamp;
}

export interface DocumentCounterTable {
  fiscal_year: number;
  last_serial: number;
}

export interface Database {
  consultations: ConsultationTable;
  consultation_assignments: ConsultationAssignmentTable;
  consultation_activities: ConsultationActivityTable;
  collaboration_projects: CollaborationProjectTable;
  project_partners: ProjectPartnerTable;
  project_consultations: ProjectConsultationTable;
  evaluation_criteria: EvaluationCriterionTable;
  project_evaluations: ProjectEvaluationTable;
  project_evaluation_scores: ProjectEvaluationScoreTable;
  plans: PlanTable;
  plan_items: PlanItemTable;
  plan_measures: PlanMeasureTable;
  plan_item_measures: PlanItemMeasureTable;
  plan_schedule_cells: PlanScheduleCellTable;
  plan_progress: PlanProgressTable;
  plan_targets: PlanTargetTable;
  survey_templates: SurveyTemplateTable;
  surveys: SurveyTable;
  survey_invitations: SurveyInvitationTable;
  survey_responses: SurveyResponseTable;
  survey_scores: SurveyScoreTable;
  survey_answer_pool: SurveyAnswerPoolTable;
  partners: PartnerTable;
  partner_sites: PartnerSiteTable;
  field_offers: FieldOfferTable;
  host_messages: HostMessageTable;
  attendance: AttendanceTable;
  assignments: AssignmentTable;
  completions: CompletionTable;
  certificates: CertificateTable;
  coordinator_certifications: CoordinatorCertificationTable;
  coordinator_profiles: CoordinatorProfileTable;
  issuer_keys: IssuerKeyTable;
  credential_status_entries: CredentialStatusEntryTable;
  training_records: TrainingRecordTable;
  offerings: OfferingTable;
  offering_sessions: OfferingSessionTable;
  applications: ApplicationTable;
  session_reminders: SessionReminderTable;
  units: UnitTable;
  people: PersonTable;
  person_roles: PersonRoleTable;
  sessions: SessionTable;
  sso_requests: SsoRequestTable;
  login_throttle: LoginThrottleTable;
  login_devices: LoginDeviceTable;
  one_time_tokens: OneTimeTokenTable;
  second_factors: SecondFactorTable;
  second_factor_recovery_codes: SecondFactorRecoveryCodeTable;
  pending_sign_ins: PendingSignInTable;
  api_tokens: ApiTokenTable;
  outbox: OutboxTable;
  audit_log: AuditLogTable;
  import_jobs: ImportJobTable;
  programmes: ProgrammeTable;
  municipality_tiles: MunicipalityTileTable;
  cohort_messages: CohortMessageTable;
  cohort_message_recipients: CohortMessageRecipientTable;
  issued_documents: IssuedDocumentTable;
  document_counters: DocumentCounterTable;
}

export type Unit = Selectable<UnitTable>;
export type NewUnit = Insertable<UnitTable>;
export type UnitUpdate = Updateable<UnitTable>;
export type Person = Selectable<PersonTable>;
export type NewPerson = Insertable<PersonTable>;
export type Programme = Selectable<ProgrammeTable>;
export type OutboxMail = Selectable<OutboxTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type ImportJob = Selectable<ImportJobTable>;
export type Offering = Selectable<OfferingTable>;
export type OfferingSession = Selectable<OfferingSessionTable>;
export type Application = Selectable<ApplicationTable>;
export type Certificate = Selectable<CertificateTable>;
export type Partner = Selectable<PartnerTable>;
export type PartnerSite = Selectable<PartnerSiteTable>;
export type FieldOffer = Selectable<FieldOfferTable>;
export type SurveyTemplate = Selectable<SurveyTemplateTable>;
export type Survey = Selectable<SurveyTable>;
export type SurveyResponse = Selectable<SurveyResponseTable>;
export type Plan = Selectable<PlanTable>;
export type PlanItem = Selectable<PlanItemTable>;
export type PlanMeasure = Selectable<PlanMeasureTable>;
export type Consultation = Selectable<ConsultationTable>;
export type ConsultationActivity = Selectable<ConsultationActivityTable>;
export type CollaborationProject = Selectable<CollaborationProjectTable>;
export type EvaluationCriterion = Selectable<EvaluationCriterionTable>;
