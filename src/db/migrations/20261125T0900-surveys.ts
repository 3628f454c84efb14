import { type Kysely, sql } from 'kysely';

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

/**
 * The built-in templates as this migration writes them, frozen here: a migration imports nothing from
 * services or domain, so that a fresh database and an upgraded one end up the same (issue 19). These
 * are the templates as they stood after the scale fix of issue 15 (migration 20261130T1005 brought
 * older databases to the same words); services/survey-defaults.ts may change later without changing
 * what this migration did.
 */
const DEFAULT_TEMPLATES: { code: string; name: string; purpose: string; anonymous: boolean; questions: unknown[] }[] = [
  {
    "code": "post-seminar",
    "name": "研修後アンケート（セミナー・現地研修）",
    "purpose": "post_session",
    "anonymous": true,
    "questions": [
      {
        "id": "satisfaction",
        "type": "scale5",
        "label": "本日の研修の満足度を教えてください。",
        "labelEn": "How satisfied were you with the training?",
        "required": true,
        "anchors": [
          {
            "label": "満足",
            "labelEn": "satisfied"
          },
          {
            "label": "やや満足",
            "labelEn": "somewhat satisfied"
          },
          {
            "label": "どちらともいえない",
            "labelEn": "neither"
          },
          {
            "label": "やや不満",
            "labelEn": "somewhat dissatisfied"
          },
          {
            "label": "不満",
            "labelEn": "dissatisfied"
          }
        ]
      },
      {
        "id": "understanding",
        "type": "scale5",
        "label": "協働の相手方の役割や協働の進め方について、理解が深まりましたか。",
        "labelEn": "Did you understand partners’ roles and how to collaborate better?",
        "required": true
      },
      {
        "id": "usefulness",
        "type": "scale5",
        "label": "本日の内容は、今後の業務に役立ちますか。",
        "labelEn": "Will what you learned be useful in your work?",
        "required": true
      },
      {
        "id": "intent",
        "type": "single",
        "label": "今後、業務で協働に取り組みたいと思いますか。",
        "labelEn": "Do you intend to collaborate in your work?",
        "required": true,
        "options": [
          "取り組みたい",
          "機会があれば取り組みたい",
          "わからない",
          "取り組む予定はない"
        ]
      },
      {
        "id": "useful_parts",
        "type": "multiple",
        "label": "特に役に立った内容を選んでください（複数選択可）。",
        "labelEn": "Which parts were most useful? (choose any)",
        "required": false,
        "options": [
          "講義",
          "グループワーク",
          "現地での見学",
          "相手方との意見交換",
          "事例紹介"
        ]
      },
      {
        "id": "comments",
        "type": "text",
        "label": "ご意見・ご感想、今後取り上げてほしいテーマなどがあれば、自由にお書きください。",
        "labelEn": "Comments, and themes you would like us to take up",
        "required": false
      }
    ]
  },
  {
    "code": "host",
    "name": "受入れ団体アンケート（現地研修）",
    "purpose": "host",
    "anonymous": false,
    "questions": [
      {
        "id": "gained",
        "type": "scale5",
        "label": "県職員との交流は、貴団体にとって有意義でしたか。",
        "labelEn": "Was the exchange with prefecture staff worthwhile for your organisation?",
        "required": true
      },
      {
        "id": "gained_what",
        "type": "multiple",
        "label": "交流によって貴団体が得たものを選んでください（複数選択可）。",
        "labelEn": "What did your organisation gain? (choose any)",
        "required": false,
        "options": [
          "活動を知ってもらえた",
          "行政の考え方がわかった",
          "今後の連携のきっかけができた",
          "活動の振り返りになった",
          "特になし"
        ]
      },
      {
        "id": "host_again",
        "type": "single",
        "label": "今後も現地研修の受入れにご協力いただけますか。",
        "labelEn": "Would you host a field training again?",
        "required": true,
        "options": [
          "ぜひ受け入れたい",
          "条件が合えば受け入れたい",
          "受入れは難しい"
        ]
      },
      {
        "id": "comments",
        "type": "text",
        "label": "研修の進め方や参加した職員へのご意見など、自由にお書きください。",
        "labelEn": "Comments on the training and on the staff who took part",
        "required": false
      }
    ]
  },
  {
    "code": "competency",
    "name": "協働に関する能力の自己評価（受講前・受講後）",
    "purpose": "competency",
    "anonymous": false,
    "questions": [
      {
        "id": "competency",
        "type": "matrix",
        "label": "次のそれぞれについて、現在のご自身に最も近いものを選んでください。",
        "labelEn": "For each statement, choose what is closest to you now.",
        "required": true,
        "rows": [
          {
            "id": "roles",
            "label": "多様な主体（NPO・地域団体・企業等）が担う公共的な役割と、協働の意義を理解している",
            "labelEn": "I understand the public roles of diverse actors (NPOs, community groups, companies) and why we collaborate"
          },
          {
            "id": "sites",
            "label": "協働の相手方の活動現場や実情を知っている",
            "labelEn": "I know our partners' sites and circumstances"
          },
          {
            "id": "consensus",
            "label": "立場の異なる人の間で合意を形成することができる",
            "labelEn": "I can build consensus between people who stand in different places"
          },
          {
            "id": "facilitation",
            "label": "話し合いの場を進行（ファシリテーション）することができる",
            "labelEn": "I can facilitate a discussion"
          },
          {
            "id": "evaluation",
            "label": "協働事業を振り返り、評価することができる",
            "labelEn": "I can review and evaluate a collaboration project"
          }
        ]
      },
      {
        "id": "goal",
        "type": "text",
        "label": "この研修を通じて身に付けたいこと（受講後は、身に付いたこと）をお書きください。",
        "labelEn": "What you want to gain from the course (after it: what you gained)",
        "required": false
      }
    ]
  },
  {
    "code": "consultation-feedback",
    "name": "相談対応についてのアンケート",
    "purpose": "feedback",
    "anonymous": false,
    "questions": [
      {
        "id": "helpful",
        "type": "scale5",
        "label": "コーディネーターの支援は役に立ちましたか。",
        "labelEn": "Was the coordinator's support helpful?",
        "required": true
      },
      {
        "id": "comments",
        "type": "text",
        "label": "ご意見があればお書きください。",
        "labelEn": "Comments",
        "required": false
      }
    ]
  }
];
