import { type Kysely, sql } from 'kysely';
import { DEFAULT_TEMPLATES } from '../../services/survey-defaults.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('survey_templates')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose IN ('post_session','host','competency','feedback','general')`))
    .addColumn('anonymous', 'boolean', (c) => c.notNull())
    .addColumn('questions', 'jsonb', (c) => c.notNull())
    .addColumn('builtin', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('surveys')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('template_id', 'integer', (c) => c.notNull().references('survey_templates.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('post_session','host','pre','post','feedback','general')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('anonymous', 'boolean', (c) => c.notNull())
    .addColumn('offering_id', 'integer', (c) => c.references('offerings.id'))
    .addColumn('session_id', 'integer', (c) => c.references('offering_sessions.id'))
    .addColumn('questions', 'jsonb', (c) => c.notNull())
    .addColumn('opens_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closes_at', 'timestamptz', (c) => c.notNull())
    .addColumn('auto_reminded_at', 'timestamptz')
    .addColumn('created_by', 'integer', (c) => c.references('people.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('surveys_window', sql`closes_at > opens_at`)
    .execute();
  // One automatic questionnaire of each kind per session, and one pre and one post per offering,
  // whichever app instance gets there first.
  await sql`CREATE UNIQUE INDEX surveys_session_kind_uq ON surveys (session_id, kind) WHERE session_id IS NOT NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX surveys_offering_prepost_uq ON surveys (offering_id, kind) WHERE kind IN ('pre','post')`.execute(db);
  await db.schema.createIndex('surveys_offering_idx').on('surveys').column('offering_id').execute();

  await db.schema
    .createTable('survey_invitations')
    .addColumn('survey_id', 'integer', (c) => c.notNull().references('surveys.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('invited_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reminded_at', 'timestamptz')
    // A date, not an instant: for an anonymous survey, the time of answering must not single out the answer.
    .addColumn('responded_on', 'date')
    .addPrimaryKeyConstraint('survey_invitations_pk', ['survey_id', 'person_id'])
    .execute();
  await db.schema.createIndex('survey_invitations_person_idx').on('survey_invitations').column('person_id').execute();

  // Responses have random ids (no order to match against invitations or the audit log), and an
  // anonymous one has no person: only the hash of an edit key that the respondent alone holds.
  await db.schema
    .createTable('survey_responses')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('survey_id', 'integer', (c) => c.notNull().references('surveys.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.references('people.id'))
    .addColumn('edit_key_hash', 'text', (c) => c.unique())
    .addColumn('answers', 'jsonb', (c) => c.notNull())
    .addColumn('submitted_on', 'date', (c) => c.notNull())
    .addColumn('updated_on', 'date', (c) => c.notNull())
    .addCheckConstraint('survey_responses_who', sql`(person_id IS NULL) <> (edit_key_hash IS NULL)`)
    .execute();
  await sql`CREATE UNIQUE INDEX survey_responses_person_uq ON survey_responses (survey_id, person_id) WHERE person_id IS NOT NULL`.execute(db);
  await db.schema.createIndex('survey_responses_survey_idx').on('survey_responses').column('survey_id').execute();

  // Numeric answers, one row each, for averages and pre/post pairing in SQL.
  await db.schema
    .createTable('survey_scores')
    .addColumn('response_id', 'uuid', (c) => c.notNull().references('survey_responses.id').onDelete('cascade'))
    .addColumn('survey_id', 'integer', (c) => c.notNull().references('surveys.id').onDelete('cascade'))
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('score', 'smallint', (c) => c.notNull().check(sql`score BETWEEN 1 AND 5`))
    .addPrimaryKeyConstraint('survey_scores_pk', ['response_id', 'question_id', 'item'])
    .execute();
  await db.schema.createIndex('survey_scores_survey_idx').on('survey_scores').columns(['survey_id', 'question_id']).execute();

  const now = new Date();
  for (const t of DEFAULT_TEMPLATES)
    await db
      .insertInto('survey_templates')
      .values({ code: t.code, name: t.name, purpose: t.purpose, anonymous: t.anonymous, questions: JSON.stringify(t.questions), builtin: true, created_at: now, updated_at: now })
      .execute();
}
