// Synthetic records for the report benchmark, written straight into the real (migrated) schema with
// set-based INSERT … SELECT generate_series: ten fiscal years of offerings, sessions, applications,
// attendance, completions, certificates, coordinator certifications, past training records,
// questionnaires and pre/post self-assessments, and a plan item whose measures point at the programmes.
import { fiscalYearBounds, fiscalYearOf } from '../src/domain/calendar.js';
import { maintain } from '../src/db/database.js';
import type { BenchDb } from './database.js';

export interface SyntheticSizes {
  people: number;
  applications: number;
  /** Survey responses (answer sheets): post-session questionnaires plus pre/post self-assessments. */
  answers: number;
  years: number;
}

export interface SyntheticData {
  seconds: number;
  counts: Record<string, number>;
  fiscalYears: number[];
  planItemId: number;
}

/** Offerings per fiscal year, by programme: 60 a year. */
const PROGRAMMES: { code: string; name: string; kind: string; perYear: number }[] = [
  { code: 'BENCH-SEM', name: '協働推進セミナー', kind: 'seminar', perYear: 30 },
  { code: 'BENCH-CRS', name: '協働コーディネーター養成講座', kind: 'coordinator_course', perYear: 5 },
  { code: 'BENCH-FUP', name: 'コーディネーターフォローアップ研修', kind: 'follow_up', perYear: 5 },
  { code: 'BENCH-OT1', name: '地域協働実践研修', kind: 'other', perYear: 10 },
  { code: 'BENCH-OT2', name: '市町職員合同研修', kind: 'other', perYear: 10 },
];

const lit = (d: Date) => `'${d.toISOString()}'::timestamptz`;

export async function loadSynthetic(b: BenchDb, sizes: SyntheticSizes, now = new Date()): Promise<SyntheticData> {
  const t0 = performance.now();
  const q = (text: string, params: unknown[] = []) => b.raw(text, params);
  const one = async (text: string, params: unknown[] = []) => Number(Object.values((await q(text, params)).rows[0] as object)[0]);
  const current = fiscalYearOf(now);
  const fiscalYears = Array.from({ length: sizes.years }, (_, i) => current - sizes.years + 1 + i);
  const yearsValues = `(VALUES ${fiscalYears.map((fy) => `(${fy}, ${lit(fiscalYearBounds(fy).startUtc)})`).join(', ')}) AS y(fy, starts)`;
  const N = sizes.people;

  // Organisation: 12 部局 with 20 課 each, 19 市町, 6 関係機関; 200 partner organisations.
  await q(`INSERT INTO units (kind, name, kana, search_key) SELECT 'department', '計測部' || g, 'ケイソクブ' || g, 'keisokubu' || g FROM generate_series(1, 12) g`);
  await q(`INSERT INTO units (kind, parent_id, name, kana, search_key)
           SELECT 'division', d.id, d.name || '第' || g || '課', d.kana || 'ダイ' || g || 'カ', 'div ' || d.id || '-' || g
           FROM units d CROSS JOIN generate_series(1, 20) g WHERE d.kind = 'department'`);
  await q(`INSERT INTO units (kind, name, kana, code, search_key) SELECT 'municipality', '計測市' || g, 'ケイソクシ' || g, (259000 + g)::text, 'muni' || g FROM generate_series(1, 19) g`);
  await q(`INSERT INTO units (kind, name, kana, search_key) SELECT 'agency', '計測機関' || g, 'ケイソクキカン' || g, 'agency' || g FROM generate_series(1, 6) g`);
  await q(`INSERT INTO partners (name, kana, type, fields, area_unit_ids, search_key, created_at, updated_at)
           SELECT '計測団体' || g, 'ケイソクダンタイ' || g, (ARRAY['community','npo','voluntary','company','university','other'])[1 + g % 6], '[]'::jsonb,
                  jsonb_build_array(m[1 + g % cardinality(m)], m[1 + (g * 7) % cardinality(m)]), 'partner' || g, now(), now()
           FROM generate_series(1, 200) g, (SELECT array_agg(id ORDER BY id) AS m FROM units WHERE kind = 'municipality') u`);

  // People: 80 % prefecture staff in 課, 15 % 市町, 4 % 関係機関, 1 % partners; 1 in 40 inactive.
  await q(`WITH u AS (SELECT array_agg(id ORDER BY id) FILTER (WHERE kind = 'division') AS divs,
                             array_agg(id ORDER BY id) FILTER (WHERE kind = 'municipality') AS munis,
                             array_agg(id ORDER BY id) FILTER (WHERE kind = 'agency') AS ags FROM units),
                x AS (SELECT g, CASE WHEN g % 100 < 80 THEN 'prefecture' WHEN g % 100 < 95 THEN 'municipality' WHEN g % 100 < 99 THEN 'agency' ELSE 'partner' END AS aff
                      FROM generate_series(1, $1::int) g)
           INSERT INTO people (name, kana, email, staff_number, unit_id, affiliation, search_key, active, created_at, updated_at)
           SELECT '計測 職員' || g, 'ケイソク ショクイン' || g, 'staff' || g || '@pref.example.jp',
                  CASE WHEN aff = 'prefecture' THEN 'B' || lpad(g::text, 7, '0') END,
                  CASE aff WHEN 'prefecture' THEN divs[1 + (g * 31) % cardinality(divs)] WHEN 'municipality' THEN munis[1 + g % cardinality(munis)]
                           WHEN 'agency' THEN ags[1 + g % cardinality(ags)] END,
                  aff, '計測 職員' || g || ' ｹｲｿｸ ｼｮｸｲﾝ staff' || g || '@pref.example.jp', g % 40 <> 0, now(), now()
           FROM x, u`, [N]);
  await q(`INSERT INTO person_roles (person_id, role) SELECT id, 'staff' FROM people`);
  const base = await one(`SELECT min(id) FROM people`);

  // Programmes and 60 offerings a year; three sessions each (the third of a seminar is a field training).
  for (const p of PROGRAMMES)
    await q(`INSERT INTO programmes (code, name, name_en, kana, kind, first_fiscal_year) VALUES ($1, $2, $3, 'ケイソク', $4, $5)`, [p.code, p.name, p.code, p.kind, fiscalYears[0]]);
  const perYear = PROGRAMMES.reduce((n, p) => n + p.perYear, 0);
  const offeringsTotal = perYear * sizes.years;
  await q(`INSERT INTO offerings (programme_id, fiscal_year, title, selection, capacity, application_opens_at, application_closes_at, published, created_at, updated_at)
           SELECT id, fy, title, 'first_come', 400, opens, opens + interval '30 days', true, now(), now()
           FROM (SELECT p.id, y.fy, p.name || '（' || y.fy || '年度 第' || k || '回）' AS title,
                        y.starts + make_interval(days => (10 + 5 * (row_number() OVER (PARTITION BY y.fy ORDER BY p.id, k) - 1) - 40)::int) AS opens
                 FROM ${yearsValues}
                 CROSS JOIN (VALUES ${PROGRAMMES.map((p) => `('${p.code}', ${p.perYear})`).join(', ')}) AS n(code, per)
                 JOIN programmes p ON p.code = n.code
                 CROSS JOIN LATERAL generate_series(1, n.per) k) x
           ORDER BY fy, opens`);
  await q(`INSERT INTO offering_sessions (offering_id, title, format, starts_at, ends_at, venue, lecturers, host_partner_id, created_at)
           SELECT o.id, '第' || (k + 1) || '回', CASE WHEN p.kind = 'seminar' AND k = 2 THEN 'field' WHEN k = 1 THEN 'workshop' ELSE 'lecture' END,
                  y.starts + make_interval(days => (10 + o.i * 5 + k * 2)::int, hours => 1),
                  y.starts + make_interval(days => (10 + o.i * 5 + k * 2)::int, hours => 4),
                  '計測会場', '計測 講師', CASE WHEN p.kind = 'seminar' AND k = 2 THEN pa.ids[1 + o.id % cardinality(pa.ids)] END, now()
           FROM (SELECT id, programme_id, fiscal_year, row_number() OVER (PARTITION BY fiscal_year ORDER BY id) - 1 AS i FROM offerings) o
           JOIN programmes p ON p.id = o.programme_id
           JOIN ${yearsValues} ON y.fy = o.fiscal_year
           CROSS JOIN generate_series(0, 2) k
           CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM partners) pa
           ORDER BY o.id, k`);

  // Applications: the same number per offering, distinct people within an offering; 70 % confirmed.
  const perOffering = Math.min(N, Math.max(1, Math.round(sizes.applications / offeringsTotal)));
  await q(`INSERT INTO applications (offering_id, person_id, status, seat_group, applied_at, decided_at, participant_code, updated_at)
           SELECT o.id, pe.id,
                  CASE WHEN k % 10 < 7 THEN 'confirmed' WHEN k % 10 = 7 THEN 'cancelled' WHEN k % 10 = 8 THEN 'waitlisted' ELSE 'not_selected' END,
                  CASE pe.affiliation WHEN 'agency' THEN 'prefecture' ELSE pe.affiliation END,
                  o.application_opens_at + make_interval(mins => k), o.application_opens_at + interval '1 day', 'BX' || o.id || '-' || k, now()
           FROM offerings o CROSS JOIN generate_series(0, $1::int - 1) k
           JOIN people pe ON pe.id = $2::int + ((o.id::bigint * 7919 + k * 13) % $3::int)
           ORDER BY o.application_opens_at + make_interval(mins => k), o.id`, [perOffering, base, N]);

  // Attendance taken at nine sessions in ten that have ended; completion of offerings that have ended.
  await q(`INSERT INTO attendance (session_id, application_id, status, via, marked_at)
           SELECT s.id, a.id, CASE (a.id + s.id) % 20 WHEN 0 THEN 'absent' WHEN 1 THEN 'excused' WHEN 2 THEN 'late' ELSE 'present' END, 'admin', s.ends_at
           FROM offering_sessions s JOIN applications a ON a.offering_id = s.offering_id AND a.status = 'confirmed'
           WHERE s.ends_at <= $1 AND s.id % 10 <> 0
           ORDER BY s.ends_at, s.id, a.id`, [now]);
  await q(`INSERT INTO completions (application_id, completed, computed, parts, completed_on, updated_at)
           SELECT a.id, a.id % 10 < 8, true, '{}'::jsonb, CASE WHEN a.id % 10 < 8 THEN (last.ends_at AT TIME ZONE 'Asia/Tokyo')::date END, last.ends_at
           FROM applications a JOIN (SELECT offering_id, max(ends_at) AS ends_at FROM offering_sessions GROUP BY offering_id) last ON last.offering_id = a.offering_id
           WHERE a.status = 'confirmed' AND last.ends_at <= $1
           ORDER BY last.ends_at, a.id`, [now]);
  await q(`INSERT INTO certificates (number, verification_code, application_id, person_id, programme_id, title, completed_on, issued_at)
           SELECT 'KYODO-' || o.fiscal_year || '-' || lpad((row_number() OVER (PARTITION BY o.fiscal_year ORDER BY c.application_id))::text, 6, '0'),
                  upper(substr(replace(gen_random_uuid()::text, '-', ''), 1, 24)),
                  a.id, a.person_id, o.programme_id, o.title, c.completed_on, c.updated_at
           FROM completions c JOIN applications a ON a.id = c.application_id JOIN offerings o ON o.id = a.offering_id WHERE c.completed
           ORDER BY c.updated_at, c.application_id`);
  await q(`INSERT INTO coordinator_certifications (person_id, granted_on, valid_until, certificate_id, updated_at)
           SELECT DISTINCT ON (ce.person_id) ce.person_id, ce.completed_on, (ce.completed_on + interval '3 years')::date, ce.id, now()
           FROM certificates ce JOIN programmes p ON p.id = ce.programme_id WHERE p.kind = 'coordinator_course'
           ORDER BY ce.person_id, ce.completed_on`);
  await q(`INSERT INTO training_records (person_id, programme_id, fiscal_year, title, completed, note, created_at)
           SELECT $1::int + (g * 37) % $2::int, NULL, $3::int - 1 - g % 10, 'NPO・協働研修（移行）', g % 5 <> 0, '', now() FROM generate_series(1, $4::int) g`, [
    base, N, fiscalYears[0], Math.round(N * 0.4),
  ]);

  // Questionnaires: one per session held; pre/post self-assessments for the coordinator course and follow-ups.
  await q(`INSERT INTO surveys (template_id, kind, title, anonymous, offering_id, session_id, questions, opens_at, closes_at, created_at)
           SELECT t.id, 'post_session', '研修後アンケート', true, s.offering_id, s.id, t.questions, s.ends_at, s.ends_at + interval '14 days', s.ends_at
           FROM offering_sessions s, survey_templates t WHERE t.code = 'post-seminar' AND s.ends_at <= $1`, [now]);
  await q(`INSERT INTO surveys (template_id, kind, title, anonymous, offering_id, questions, opens_at, closes_at, created_at)
           SELECT t.id, k.kind, '自己評価（' || k.kind || '）', false, o.id, t.questions,
                  CASE k.kind WHEN 'pre' THEN se.starts_at - interval '14 days' ELSE se.ends_at END,
                  CASE k.kind WHEN 'pre' THEN se.starts_at ELSE se.ends_at + interval '14 days' END, se.starts_at
           FROM offerings o JOIN programmes p ON p.id = o.programme_id
           JOIN (SELECT offering_id, min(starts_at) AS starts_at, max(ends_at) AS ends_at FROM offering_sessions GROUP BY offering_id) se ON se.offering_id = o.id
           CROSS JOIN (VALUES ('pre'), ('post')) AS k(kind) CROSS JOIN survey_templates t
           WHERE t.code = 'competency' AND p.kind IN ('coordinator_course', 'follow_up') AND se.ends_at <= $1`, [now]);
  await q(`INSERT INTO survey_responses (id, survey_id, person_id, answers, submitted_on, updated_on)
           SELECT md5('pp-' || sv.id || '-' || a.id)::uuid, sv.id, a.person_id, '{}'::jsonb, (sv.opens_at AT TIME ZONE 'Asia/Tokyo')::date, (sv.opens_at AT TIME ZONE 'Asia/Tokyo')::date
           FROM surveys sv JOIN applications a ON a.offering_id = sv.offering_id AND a.status = 'confirmed'
           WHERE sv.kind IN ('pre', 'post') AND (a.id + CASE sv.kind WHEN 'pre' THEN 0 ELSE 3 END) % 8 <> 0
           ORDER BY sv.opens_at, sv.id, a.id`);
  await q(`INSERT INTO survey_scores (response_id, survey_id, question_id, item, score)
           SELECT r.id, r.survey_id, 'competency', c.item, CASE sv.kind WHEN 'pre' THEN 1 ELSE 2 END + abs(hashtext(r.person_id || c.item)) % 4
           FROM survey_responses r JOIN surveys sv ON sv.id = r.survey_id
           CROSS JOIN unnest(ARRAY['roles','sites','consensus','facilitation','evaluation']) AS c(item)
           WHERE sv.kind IN ('pre', 'post')
           ORDER BY sv.opens_at, r.survey_id, r.id`);
  const prePost = await one(`SELECT count(*) FROM survey_responses`);
  const postSurveys = await one(`SELECT count(*) FROM surveys WHERE kind = 'post_session'`);
  const perSurvey = Math.max(1, Math.round(Math.max(0, sizes.answers - prePost) / Math.max(1, postSurveys)));
  await q(`INSERT INTO survey_responses (id, survey_id, person_id, edit_key_hash, answers, submitted_on, updated_on)
           SELECT md5('ps-' || sv.id || '-' || g)::uuid, sv.id, NULL, md5('key-' || sv.id || '-' || g), '{}'::jsonb,
                  NULL, NULL -- an anonymous answer carries no date (decision 0018, survey_responses_anonymous_undated)
           FROM surveys sv CROSS JOIN generate_series(1, $1::int) g WHERE sv.kind = 'post_session'
           ORDER BY sv.opens_at, sv.id, g`, [perSurvey]);
  await q(`INSERT INTO survey_scores (response_id, survey_id, question_id, item, score)
           SELECT r.id, r.survey_id, qn.id, '', 1 + abs(hashtext(r.id::text || qn.id)) % 5
           FROM survey_responses r JOIN surveys sv ON sv.id = r.survey_id
           CROSS JOIN unnest(ARRAY['satisfaction','understanding','usefulness']) AS qn(id)
           WHERE sv.kind = 'post_session'
           ORDER BY sv.opens_at, r.survey_id, r.id`);

  // The plan, for the plan-item sheet: five years up to this one, one item, four measures.
  const planId = await one(`INSERT INTO plans (title, first_fiscal_year, last_fiscal_year, created_at, updated_at) VALUES ('計測用 協働推進計画', $1, $2, now(), now()) RETURNING id`, [current - 4, current]);
  const planItemId = await one(`INSERT INTO plan_items (plan_id, number, title, created_at, updated_at) VALUES ($1, '16', '協働の担い手づくり', now(), now()) RETURNING id`, [planId]);
  const measures: string[][] = [['BENCH-SEM'], ['BENCH-CRS', 'BENCH-FUP'], ['BENCH-OT1'], ['BENCH-SEM', 'BENCH-OT1', 'BENCH-OT2']];
  for (const [i, codes] of measures.entries()) {
    const measureId = await one(
      `INSERT INTO plan_measures (plan_id, home_item_id, title, programme_ids, created_at, updated_at)
       SELECT $1, $2, $3, jsonb_agg(id ORDER BY id), now(), now() FROM programmes WHERE code = ANY($4::text[]) RETURNING id`,
      [planId, planItemId, `施策${i + 1}`, codes],
    );
    await q(`INSERT INTO plan_item_measures (item_id, measure_id, position) VALUES ($1, $2, $3)`, [planItemId, measureId, i + 1]);
  }

  // What an installation has after loading this much: on PGlite the product's own maintenance (decision 0028;
  // its first run after a start takes every table), on PostgreSQL what autovacuum does within its naptime.
  if (b.kind === 'postgres') await q('VACUUM ANALYZE');
  else await maintain(b.db, { everyTable: true });
  const counts: Record<string, number> = {};
  for (const t of ['people', 'offerings', 'offering_sessions', 'applications', 'attendance', 'completions', 'certificates', 'coordinator_certifications', 'training_records', 'survey_responses', 'survey_scores'])
    counts[t] = await one(`SELECT count(*) FROM ${t}`);
  return { seconds: (performance.now() - t0) / 1000, counts, fiscalYears, planItemId };
}
