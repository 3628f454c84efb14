import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personRepository, type PersonWithRoles } from '../../src/db/repositories/person.repository.js';
import { hashPassword } from '../../src/lib/crypto.js';
import { login, resolveSession } from '../../src/services/account.service.js';
import { createApiToken, resolveApiToken } from '../../src/services/api-token.service.js';
import { anonymisedEmail, anonymisePerson, exportPersonalData } from '../../src/services/personal-data.service.js';
import { setPersonActive } from '../../src/services/person.service.js';
import { coverage, fiscalYearKpis, implementationTable, reportYears } from '../../src/services/report.service.js';
import { loadSampleData } from '../../src/services/sample-data/sample-data.service.js';
import { impact } from '../../src/services/survey.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeUser, PASSWORD } from '../support/http.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let admin: { id: number };
/** A sample person with a completed training in a past year and named survey answers. */
let subject: PersonWithRoles;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  admin = await makeUser(ctx, ['admin', 'staff'], { email: 'pd-admin@pref.example.jp' });
  await loadSampleData(ctx, admin);
  const r = await sql<{ id: number }>`
    SELECT p.id FROM people p
    WHERE EXISTS (SELECT 1 FROM applications a JOIN completions c ON c.application_id = a.id WHERE a.person_id = p.id AND c.completed)
      AND EXISTS (SELECT 1 FROM survey_responses r WHERE r.person_id = p.id)
      AND EXISTS (SELECT 1 FROM attendance t JOIN applications a ON a.id = t.application_id WHERE a.person_id = p.id)
    ORDER BY p.id LIMIT 1`.execute(tdb.db);
  expect(r.rows).toHaveLength(1);
  subject = (await personRepository.find(tdb.db, r.rows[0].id))!;
  // Give the subject a password so that "login disabled" can be shown.
  await personRepository.update(tdb.db, subject.id, { password_hash: await hashPassword(PASSWORD), staff_number: `S-${subject.id}` });
  subject = (await personRepository.find(tdb.db, subject.id))!;
}, 120_000);
afterAll(() => tdb.close());

/** Every aggregate the reports show: the fiscal-year KPIs and implementation tables of every year, and cohort impact. */
async function figures() {
  const years = await reportYears(ctx);
  const out: Record<string, unknown> = {};
  for (const fy of years) {
    out[`kpi-${fy}`] = await fiscalYearKpis(ctx, fy);
    out[`table-${fy}`] = await implementationTable(ctx, fy);
    out[`impact-unit-${fy}`] = await impact(ctx, { fiscalYear: fy, by: 'unit' });
  }
  return out;
}

describe('personal data export', () => {
  it("holds the person's own records and nobody else's, with named survey answers only", async () => {
    const d = await exportPersonalData(ctx, subject.id);
    expect(d.format).toBe('kyodo-personal-data/1');
    expect(d.profile).toMatchObject({ id: subject.id, name: subject.name, kana: subject.kana, email: subject.email, staffNumber: `S-${subject.id}` });
    const apps = await tdb.db.selectFrom('applications').select('id').where('person_id', '=', subject.id).execute();
    expect(d.applications.map((a) => a.id).sort()).toEqual(apps.map((a) => a.id).sort());
    expect(d.completions.some((c) => c.completed)).toBe(true);
    expect(d.attendance.length).toBeGreaterThan(0);
    expect(d.trainingHistory.length).toBeGreaterThan(0);
    const named = await tdb.db.selectFrom('survey_responses').select('id').where('person_id', '=', subject.id).execute();
    expect(d.surveyAnswers).toHaveLength(named.length);
    expect(d.surveyAnswers[0].answers.length).toBeGreaterThan(0);
    expect(d.surveyAnswers[0].answers[0].question).not.toBe('');
    // Nobody else's name appears.
    const others = await tdb.db.selectFrom('people').select('name').where('id', '<>', subject.id).where('name', 'not like', '%試験%').limit(50).execute();
    const text = JSON.stringify(d);
    for (const o of others) if (!subject.name.includes(o.name)) expect(text).not.toContain(`"${o.name}"`);
    expect(d.anonymousSurveysNote).toMatch(/anonymous/);
    expect(d.consultations).toEqual(expect.objectContaining({ requested: expect.any(Array), assigned: expect.any(Array), activities: expect.any(Array) }));
  });

  it('includes the collaboration projects a person coordinates and the evaluations they submitted, with every score', async () => {
    const e = await tdb.db.selectFrom('project_evaluations').select(['id', 'project_id', 'submitted_by']).where('submitted_by', 'is not', null).orderBy('id').executeTakeFirstOrThrow();
    const d = await exportPersonalData(ctx, e.submitted_by!);
    const mine = d.consultations.evaluations.find((x) => x.projectId === e.project_id)!;
    const scores = await tdb.db.selectFrom('project_evaluation_scores').select(['score', 'comment']).where('evaluation_id', '=', e.id).execute();
    expect(mine.scores).toHaveLength(scores.length);
    expect(mine.scores.map((x) => x.score).sort()).toEqual(scores.map((x) => x.score).sort());
    expect(mine.scores.every((x) => x.criterion !== '')).toBe(true);
    const p = await tdb.db.selectFrom('collaboration_projects').select(['id', 'coordinator_id']).where('coordinator_id', 'is not', null).orderBy('id').executeTakeFirstOrThrow();
    const c = await exportPersonalData(ctx, p.coordinator_id!);
    expect(c.consultations.projects).toContainEqual(expect.objectContaining({ id: p.id, role: 'coordinator' }));
  });

  it('404 for a person who does not exist', async () => {
    await expect(exportPersonalData(ctx, 99_999_999)).rejects.toMatchObject({ status: 404 });
  });
});

describe('anonymising a person who has left', () => {
  it('refuses without a reason and the confirmation, refuses oneself, and changes nothing then', async () => {
    await expect(anonymisePerson(ctx, admin, subject.id, {})).rejects.toMatchObject({ status: 422, fields: { reason: { key: 'error.required' }, confirm: { key: 'operations.error.confirm' } } });
    await expect(anonymisePerson(ctx, admin, subject.id, { reason: '退職', confirm: '' })).rejects.toMatchObject({ status: 422, fields: { confirm: { key: 'operations.error.confirm' } } });
    await expect(anonymisePerson(ctx, admin, admin.id, { reason: '退職', confirm: 'on' })).rejects.toMatchObject({ status: 409, messageKey: 'operations.anonymise.self' });
    await expect(anonymisePerson(ctx, admin, 99_999_999, { reason: '退職', confirm: 'on' })).rejects.toMatchObject({ status: 404 });
    expect((await personRepository.find(tdb.db, subject.id))!.name).toBe(subject.name);
  });

  it('replaces name, kana, email and staff number, disables login, revokes sessions and tokens, audits, and keeps every report figure identical', async () => {
    const session = await login(ctx, { email: subject.email, password: PASSWORD }, { ip: '10.0.0.1', userAgent: 'test' });
    const { token } = await createApiToken(ctx, null, subject.id, { name: 'before' });
    expect(await resolveSession(ctx, session.sessionToken)).not.toBeNull();
    expect(await resolveApiToken(ctx, token)).not.toBeNull();

    const before = await figures();
    // Leaving already takes the person out of the "active staff" counts of coverage; anonymising changes nothing more.
    await setPersonActive(ctx, admin, subject.id, false);
    const coverageBefore = await coverage(ctx);
    expect(await figures()).toEqual(before);

    const res = await anonymisePerson(ctx, admin, subject.id, { reason: '令和8年3月末で退職', confirm: 'on' });
    expect(res.id).toBe(subject.id);

    // Aggregates: identical.
    expect(await figures()).toEqual(before);
    expect(await coverage(ctx)).toEqual(coverageBefore);

    // Identity: gone.
    const p = (await personRepository.find(tdb.db, subject.id))!;
    expect(p.name).not.toContain(subject.name);
    expect(p.kana).not.toBe(subject.kana);
    expect(p.email).toBe(anonymisedEmail(subject.id));
    expect(p.staff_number).toBeNull();
    expect(p.password_hash).toBeNull();
    expect(p.active).toBe(false);
    // The unit and affiliation stay: they are what the reports count by.
    const row = await tdb.db.selectFrom('people').select(['unit_id', 'affiliation']).where('id', '=', subject.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ unit_id: subject.unit_id, affiliation: subject.affiliation });

    // Login: disabled everywhere.
    expect(await resolveSession(ctx, session.sessionToken)).toBeNull();
    expect(await resolveApiToken(ctx, token)).toBeNull();
    await expect(login(ctx, { email: subject.email, password: PASSWORD }, { ip: '10.0.0.2', userAgent: 'test' })).rejects.toMatchObject({ status: 401 });
    const sessions = await tdb.db.selectFrom('sessions').select('id').where('person_id', '=', subject.id).execute();
    expect(sessions).toHaveLength(0);

    // Nothing in what Kyodo shows about the person names them any more.
    const text = JSON.stringify(await exportPersonalData(ctx, subject.id));
    for (const s of [subject.name, subject.email, `S-${subject.id}`]) expect(text).not.toContain(s);
    // Records kept: applications, completions, certificates.
    const apps = await tdb.db.selectFrom('applications').select('id').where('person_id', '=', subject.id).execute();
    expect(apps.length).toBeGreaterThan(0);

    // Audited, with the reason, without the erased values.
    const entry = await tdb.db.selectFrom('audit_log').selectAll().where('action', '=', 'anonymise').where('entity_id', '=', String(subject.id)).executeTakeFirstOrThrow();
    expect(entry.actor_id).toBe(admin.id);
    expect(JSON.stringify(entry.after)).toContain('令和8年3月末で退職');
    expect(JSON.stringify([entry.before, entry.after])).not.toContain(subject.email);
    expect(JSON.stringify([entry.before, entry.after])).not.toContain(subject.name);

    // Once only.
    await expect(anonymisePerson(ctx, admin, subject.id, { reason: 'again', confirm: 'on' })).rejects.toMatchObject({ status: 409, messageKey: 'operations.anonymise.already' });
    // The address is free again (e.g. for someone who later joins with it).
    const again = await makeUser(ctx, ['staff'], { email: subject.email });
    expect(again.id).not.toBe(subject.id);
  });
});
