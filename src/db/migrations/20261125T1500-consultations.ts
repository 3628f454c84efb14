import { type Kysely, sql } from 'kysely';

/**
 * Consultations (相談・支援依頼) with their coordinator assignments and activity log; the
 * coordinators' desk (a flag on the coordinator profile, set by admins: decision 0012);
 * collaboration projects (協働事業) with their partners, source consultations and two-sided
 * evaluation against editable criteria.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('coordinator_profiles').addColumn('desk', 'boolean', (c) => c.notNull().defaultTo(false)).execute();

  await db.schema
    .createTable('consultations')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('bridge','planning','evaluation')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('fields', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('area_unit_ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('goal', 'text', (c) => c.notNull())
    .addColumn('desired_from', 'date')
    .addColumn('desired_to', 'date')
    .addColumn('partner_in_mind', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('partner_id', 'integer', (c) => c.references('partners.id'))
    .addColumn('requester_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('new','assigned','in_progress','closed','withdrawn')`))
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome IN ('project_started','advice_given','referred','no_fit')`))
    .addColumn('outcome_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('feedback_survey_id', 'integer', (c) => c.references('surveys.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz')
    .addColumn('closed_by', 'integer', (c) => c.references('people.id'))
    .addCheckConstraint('consultations_period', sql`desired_to IS NULL OR desired_from IS NULL OR desired_to >= desired_from`)
    .addCheckConstraint('consultations_outcome', sql`(status = 'closed') = (outcome IS NOT NULL)`)
    .execute();
  await db.schema.createIndex('consultations_status_idx').on('consultations').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('consultations_requester_idx').on('consultations').column('requester_id').execute();
  await db.schema.createIndex('consultations_partner_idx').on('consultations').column('partner_id').execute();

  await db.schema
    .createTable('consultation_assignments')
    .addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultations.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('offered','accepted','declined')`))
    .addColumn('decline_reason', 'text')
    .addColumn('assigned_by', 'integer', (c) => c.references('people.id'))
    .addColumn('assigned_at', 'timestamptz', (c) => c.notNull())
    .addColumn('responded_at', 'timestamptz')
    .addPrimaryKeyConstraint('consultation_assignments_pk', ['consultation_id', 'person_id'])
    .execute();
  await db.schema.createIndex('consultation_assignments_person_idx').on('consultation_assignments').column('person_id').execute();

  await db.schema
    .createTable('consultation_activities')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultations.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('on_date', 'date', (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull().check(sql`minutes >= 0 AND minutes <= 1440`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('meeting','contact','research','advice','other')`))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('partner_ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consultation_activities_case_idx').on('consultation_activities').column('consultation_id').execute();

  await db.schema
    .createTable('collaboration_projects')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('ends_on', 'date')
    .addColumn('coordinator_id', 'integer', (c) => c.references('people.id'))
    .addColumn('created_by', 'integer', (c) => c.references('people.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('collaboration_projects_period', sql`ends_on IS NULL OR ends_on >= starts_on`)
    .execute();
  await db.schema
    .createTable('project_partners')
    .addColumn('project_id', 'integer', (c) => c.notNull().references('collaboration_projects.id').onDelete('cascade'))
    .addColumn('partner_id', 'integer', (c) => c.notNull().references('partners.id'))
    .addPrimaryKeyConstraint('project_partners_pk', ['project_id', 'partner_id'])
    .execute();
  await db.schema.createIndex('project_partners_partner_idx').on('project_partners').column('partner_id').execute();
  await db.schema
    .createTable('project_consultations')
    .addColumn('project_id', 'integer', (c) => c.notNull().references('collaboration_projects.id').onDelete('cascade'))
    .addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultations.id'))
    .addPrimaryKeyConstraint('project_consultations_pk', ['project_id', 'consultation_id'])
    .execute();

  await db.schema
    .createTable('evaluation_criteria')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('code', 'text')
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`CREATE UNIQUE INDEX evaluation_criteria_code_uq ON evaluation_criteria (code) WHERE code IS NOT NULL`.execute(db);
  const now = new Date();
  await db
    .insertInto('evaluation_criteria')
    .values(DEFAULT_CRITERIA.map((c, i) => ({ code: c.code, label: c.label, label_en: c.labelEn, position: (i + 1) * 10, active: true, created_at: now, updated_at: now })))
    .execute();

  // One evaluation per side: the unit's (partner_id 0) and each partner's.
  await db.schema
    .createTable('project_evaluations')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('collaboration_projects.id').onDelete('cascade'))
    .addColumn('side', 'text', (c) => c.notNull().check(sql`side IN ('unit','partner')`))
    .addColumn('partner_id', 'integer', (c) => c.references('partners.id'))
    .addColumn('submitted_by', 'integer', (c) => c.references('people.id'))
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('project_evaluations_side', sql`(side = 'partner') = (partner_id IS NOT NULL)`)
    .execute();
  await sql`CREATE UNIQUE INDEX project_evaluations_side_uq ON project_evaluations (project_id, side, (coalesce(partner_id, 0)))`.execute(db);
  await db.schema
    .createTable('project_evaluation_scores')
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('project_evaluations.id').onDelete('cascade'))
    .addColumn('criterion_id', 'integer', (c) => c.notNull().references('evaluation_criteria.id'))
    .addColumn('score', 'integer', (c) => c.notNull().check(sql`score BETWEEN 1 AND 5`))
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('project_evaluation_scores_pk', ['evaluation_id', 'criterion_id'])
    .execute();
}

/** The evaluation criteria as this migration writes them, frozen here (a migration imports nothing from domain or services). */
const DEFAULT_CRITERIA: { code: string; label: string; labelEn: string }[] = [
  {
    "code": "roles",
    "label": "お互いの役割分担が明確だった",
    "labelEn": "Roles were clear"
  },
  {
    "code": "goals",
    "label": "事業の目標を共有できた",
    "labelEn": "Goals were shared"
  },
  {
    "code": "differences",
    "label": "立場や考え方の違いを話し合い、調整できた",
    "labelEn": "Differences were worked out"
  },
  {
    "code": "information",
    "label": "必要な情報を互いに共有できた",
    "labelEn": "Information was shared"
  },
  {
    "code": "results",
    "label": "事業の成果を共有できた",
    "labelEn": "Results were shared"
  },
  {
    "code": "again",
    "label": "また一緒に協働したい",
    "labelEn": "Would collaborate again"
  }
];
