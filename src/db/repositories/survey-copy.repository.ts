import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** The kinds of survey that belong to an offering as a whole (not to one session, nor to a consultation). */
export const OFFERING_SURVEY_KINDS = ['pre', 'post', 'general'] as const;

/** An offering's own survey settings, as copied with it (issue 16 §2.1), and inviting them once they open. */
export const surveyCopyRepository = {
  /** The offering's surveys (pre/post self-assessments and others of the whole offering), with their template's name, in opening order. */
  ofOffering(db: Kysely<Database>, offeringId: number) {
    return db
      .selectFrom('surveys')
      .innerJoin('survey_templates', 'survey_templates.id', 'surveys.template_id')
      .selectAll('surveys')
      .select('survey_templates.name as template_name')
      .where('surveys.offering_id', '=', offeringId)
      .where('surveys.session_id', 'is', null)
      .where('surveys.kind', 'in', [...OFFERING_SURVEY_KINDS])
      .orderBy('surveys.opens_at')
      .orderBy('surveys.id')
      .execute();
  },
  /**
   * Open surveys of an offering as a whole that nobody is invited to yet: copies made before the cohort
   * was known (and any survey made while nobody was confirmed).
   */
  openedWithoutInvitations(db: Kysely<Database>, now: Date) {
    return db
      .selectFrom('surveys')
      .selectAll()
      .where('session_id', 'is', null)
      .where('offering_id', 'is not', null)
      .where('kind', 'in', [...OFFERING_SURVEY_KINDS])
      .where('opens_at', '<=', now)
      .where('closes_at', '>', now)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('survey_invitations').select('survey_invitations.person_id').whereRef('survey_invitations.survey_id', '=', 'surveys.id'))))
      .orderBy('id')
      .execute();
  },
};
