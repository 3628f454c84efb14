import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply } from '../../src/services/application.service.js';
import { toCurrentUser } from '../../src/services/context.js';
import { decisionNotice, decisionNotices, issueNotices, unitNotices } from '../../src/services/paper.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';

/**
 * The 受講決定通知 are numbered only when the office issues them (issueNotices): reading them, for the
 * print view or the PDF, numbers nothing and writes no audit entry.
 */
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let offeringId: number;
let admin: ReturnType<typeof toCurrentUser>;
let participant: ReturnType<typeof toCurrentUser>;
const applications: number[] = [];

const documents = () => ctx.db.selectFrom('issued_documents').selectAll().orderBy('serial').execute();
const issueAudits = () => ctx.db.selectFrom('audit_log').selectAll().where('entity', '=', 'document').where('action', '=', 'issue').execute();

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  admin = toCurrentUser((await getPerson(ctx, (await makeUser(ctx, ['admin'])).id))!);
  const dept = (await createUnit(ctx, null, { kind: 'department', name: '総務部', kana: 'ソウムブ' })).id;
  const unit = (await createUnit(ctx, null, { kind: 'division', name: '総務課', kana: 'ソウムカ', parentId: dept })).id;
  const o = await makeOffering(ctx, { capacity: 3 });
  offeringId = o.id;
  for (const [i, kana] of ['ウエダ', 'アベ', 'タカハシ'].entries()) {
    const p = await makeUser(ctx, ['staff'], { unitId: i === 2 ? null : unit, kana });
    const user = toCurrentUser((await getPerson(ctx, p.id))!);
    if (i === 0) participant = user;
    applications.push((await apply(ctx, user, offeringId, {})).id);
  }
});
afterAll(() => tdb.close());

describe('reading notices', () => {
  it('numbers nothing and audits nothing: each notice comes without a number', async () => {
    const person = await decisionNotices(ctx, offeringId);
    const unit = await unitNotices(ctx, offeringId);
    const own = await decisionNotice(ctx, participant, applications[0]);
    expect(person.notices.map((n) => n.doc)).toEqual([null, null, null]);
    expect(person.unissued).toBe(3);
    expect(unit.notices.map((n) => n.doc)).toEqual([null, null]);
    expect(unit.unissued).toBe(2);
    expect(own.notices[0].doc).toBeNull();
    expect(person.issuer.blankNumber).toBe('協働第　　号');
    expect(await documents()).toEqual([]);
    expect(await issueAudits()).toEqual([]);
  });
});

describe('issueNotices', () => {
  it('only the office may issue', async () => {
    await expect(issueNotices(ctx, participant, offeringId, 'person')).rejects.toMatchObject({ status: 403 });
    await expect(issueNotices(ctx, null, offeringId, 'person')).rejects.toMatchObject({ status: 403 });
    await expect(issueNotices(ctx, admin, 999_999, 'person')).rejects.toMatchObject({ status: 404 });
    expect(await documents()).toEqual([]);
  });

  it('refuses (409) when the count the officer confirmed is not the count left, and numbers nothing', async () => {
    await expect(issueNotices(ctx, admin, offeringId, 'person', 2)).rejects.toMatchObject({ status: 409, code: 'notices_changed', params: { count: 3, expected: 2 } });
    expect(await documents()).toEqual([]);
    expect(await issueAudits()).toEqual([]);
  });

  it('numbers exactly the notices not issued, in print order, in one go, each with its audit entry', async () => {
    const r = await issueNotices(ctx, admin, offeringId, 'person', 3);
    expect(r).toEqual({ issued: 3, total: 3, numbers: ['協働第1号', '協働第2号', '協働第3号'] });
    const docs = await documents();
    // フリガナ order: アベ, ウエダ, タカハシ.
    expect(docs.map((d) => d.subject)).toEqual([applications[1], applications[0], applications[2]].map(String));
    expect(docs.every((d) => d.issued_on === '2026-11-24' && d.issued_by === admin.id)).toBe(true);
    const audits = await issueAudits();
    expect(audits.map((a) => a.entity_id).sort()).toEqual(['協働第1号', '協働第2号', '協働第3号']);
    const read = await decisionNotices(ctx, offeringId);
    expect(read.notices.map((n) => n.doc?.number)).toEqual(['協働第1号', '協働第2号', '協働第3号']);
    expect(read.unissued).toBe(0);
    expect((await decisionNotice(ctx, participant, applications[0])).notices[0].doc?.number).toBe('協働第2号');
  });

  it('a second issue, even a day later, numbers nothing and keeps the numbers and dates', async () => {
    const before = await documents();
    ctx.clock.advance(86_400_000);
    expect(await issueNotices(ctx, admin, offeringId, 'person', 3)).toEqual({ issued: 0, total: 3, numbers: [] });
    expect(await documents()).toEqual(before);
    expect(await issueAudits()).toHaveLength(3);
  });

  it('two issues at once take one number per notice', async () => {
    const [a, b] = await Promise.all([issueNotices(ctx, admin, offeringId, 'unit'), issueNotices(ctx, admin, offeringId, 'unit')]);
    expect(a.issued + b.issued).toBe(2);
    const units = (await documents()).filter((d) => d.kind === 'unit_notice');
    expect(units.map((d) => d.number)).toEqual(['協働第4号', '協働第5号']);
    expect(units.every((d) => d.issued_on === '2026-11-25')).toBe(true);
    expect(await issueAudits()).toHaveLength(5);
  });
});
