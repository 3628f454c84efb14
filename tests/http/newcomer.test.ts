import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personRepository } from '../../src/db/repositories/person.repository.js';
import { loadSampleData } from '../../src/services/sample-data/sample-data.service.js';
import { SAMPLE_ADMIN_EMAIL, samplePassword } from '../../src/services/sample-data/sign-ins.js';
import { setPasswordByEmail } from '../../src/services/set-password.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, PASSWORD } from '../support/http.js';

/** Issue 16 §5: with the sample data, a newcomer can sign in as each role. */
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let html: string;
let setupResponse: Response;

const ROLE_LABELS = ['研修担当（管理者）', '所属長（推薦・承認）', '県の職員（受講者）', '市町の職員（受講者）', '協働コーディネーター', '協働相手の団体の担当者'];

function signIns(page: string): { password: string; emails: string[] } {
  const password = page.match(/<code class="sample-password">([^<]+)<\/code>/)![1];
  const emails = [...page.matchAll(/<td data-label="メールアドレス"><code>([^<]+)<\/code><\/td>/g)].map((m) => m[1]);
  return { password, emails };
}

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  app = appFor(ctx).app;
  const a = new Agent(app);
  setupResponse = await a.post('/setup', { name: '研修 花子', kana: 'ケンシュウ ハナコ', email: 'setup@pref.example.jp', password: PASSWORD, sampleData: 'on' });
  html = await setupResponse.text();
}, 180_000);
afterAll(() => tdb.close());

describe('setup with sample data', () => {
  it('shows one sign-in per role and their one password, once, and logs the new administrator in', async () => {
    expect(setupResponse.status).toBe(200);
    expect(setupResponse.headers.get('Cache-Control')).toBe('no-store');
    expect(html).toContain('サンプルデータを投入しました');
    expect(html).toContain('このパスワードは、この画面に一度だけ表示します。');
    for (const label of ROLE_LABELS) expect(html).toContain(label);
    const { password, emails } = signIns(html);
    expect(password).toMatch(/^[a-z]{4}-\d{4}-[a-z]{4}$/);
    expect(emails).toHaveLength(6);
    expect(new Set(emails).size).toBe(6);
    expect(emails[0]).toBe(SAMPLE_ADMIN_EMAIL);
    // Nothing else shows the password: the home page does not, and the setup page is gone.
    const a = new Agent(app);
    expect((await a.get('/setup')).status).toBe(303);
  });

  it('lets each sign-in log in with that password and reach its role’s page', async () => {
    const { password, emails } = signIns(html);
    const [admin, approver, staff, city, coordinator, partner] = await Promise.all(emails.map((e) => personRepository.findByEmail(ctx.db, e).then((p) => personRepository.find(ctx.db, p!.id))));
    expect(admin!.roles).toEqual(expect.arrayContaining(['admin', 'staff']));
    expect(approver!.roles).toContain('approver');
    expect(staff!.affiliation).toBe('prefecture');
    expect(staff!.roles).toEqual(['staff']);
    expect(city!.affiliation).toBe('municipality');
    expect(coordinator!.roles).toContain('coordinator');
    expect(partner!.roles).toEqual(['partner']);
    expect(partner!.partner_id).not.toBeNull();

    const pages: [string, string][] = [
      [admin!.email, '/admin/people'],
      [approver!.email, '/approvals'],
      [staff!.email, '/my/trainings'],
      [city!.email, '/my/trainings'],
      [coordinator!.email, '/my/cases'],
      [partner!.email, '/partner'],
    ];
    for (const [email, path] of pages) {
      const a = new Agent(app);
      await a.login(email, password);
      expect((await a.get(path)).status, `${email} ${path}`).toBe(200);
    }
    // What each has to show: staff and 市町 staff are in this year's trainings; the coordinator has open cases.
    const staffPage = await (await loggedIn(staff!.email, password)).get('/my/trainings');
    expect(await staffPage.text()).toContain('協働');
    const open = await ctx.db
      .selectFrom('consultation_assignments as ca')
      .innerJoin('consultations as c', 'c.id', 'ca.consultation_id')
      .select('c.id')
      .where('ca.person_id', '=', coordinator!.id)
      .where('c.status', 'in', ['assigned', 'in_progress'])
      .execute();
    expect(open.length).toBeGreaterThan(0);
  });

  it('gives partners that host field trainings a member account', async () => {
    const hosts = await ctx.db.selectFrom('offering_sessions').select('host_partner_id').where('host_partner_id', 'is not', null).distinct().execute();
    expect(hosts.length).toBeGreaterThan(3);
    for (const h of hosts) {
      const members = await ctx.db
        .selectFrom('people')
        .innerJoin('person_roles', 'person_roles.person_id', 'people.id')
        .select('people.id')
        .where('people.partner_id', '=', h.host_partner_id)
        .where('person_roles.role', '=', 'partner')
        .execute();
      expect(members.length, `partner ${h.host_partner_id}`).toBeGreaterThan(0);
    }
    // Members without a sign-in have no password: they are invited like any member.
    const withPassword = await ctx.db.selectFrom('people').select('id').where('affiliation', '=', 'partner').where('password_hash', 'is not', null).execute();
    expect(withPassword).toHaveLength(1);
  });

  it('does nothing the second time: no new sign-ins, no new password', async () => {
    const again = await loadSampleData(ctx, null);
    expect(again.units).toBe(0);
    expect(again.signIns).toBeUndefined();
  });
});

async function loggedIn(email: string, password: string) {
  const a = new Agent(app);
  await a.login(email, password);
  return a;
}

describe('setting a password from the command line (service)', () => {
  it('refuses a weak password or an unknown address, naming the field, and changes nothing', async () => {
    const { password, emails } = signIns(html);
    await expect(setPasswordByEmail(ctx, null, { email: emails[2], password: 'short' })).rejects.toMatchObject({ fields: { password: { key: 'error.passwordPolicy' } } });
    await expect(setPasswordByEmail(ctx, null, { email: 'nobody@pref.example.jp', password: 'a-long-password-2027' })).rejects.toMatchObject({ fields: { email: { key: 'newcomer.error.noPerson' } } });
    await loggedIn(emails[2], password); // still the old password
  });

  it('sets the password, ends the person’s sessions and records it in the audit log', async () => {
    const { password, emails } = signIns(html);
    const email = emails[3];
    const before = await loggedIn(email, password);
    expect((await before.get('/my/trainings')).status).toBe(200);
    const fresh = samplePassword();
    await setPasswordByEmail(ctx, null, { email: email.toUpperCase(), password: fresh });
    const after = await before.get('/my/trainings');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/login/);
    const wrong = await new Agent(app).post('/login', { email, password });
    expect(wrong.status).toBe(401);
    await loggedIn(email, fresh);
    const person = await personRepository.findByEmail(ctx.db, email);
    const entry = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'password_set').where('entity_id', '=', String(person!.id)).executeTakeFirst();
    expect(entry).toBeDefined();
  });
});
