import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply } from '../../src/services/application.service.js';
import { toCurrentUser } from '../../src/services/context.js';
import { getPerson } from '../../src/services/person.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  app = appFor(ctx).app;
});
afterAll(() => tdb.close());

const user = async (id: number) => toCurrentUser((await getPerson(ctx, id))!);
/** The cells of the approvals table's body rows, by their data-label, tags removed. */
const cells = (html: string) =>
  [...html.matchAll(/<tr id="application-\d+">([\s\S]*?)<\/tr>/g)].map((row) =>
    Object.fromEntries([...row[1].matchAll(/<t[hd][^>]*data-label="([^"]+)"[^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => [c[1], c[2].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()])),
  );

describe('/approvals: what the approver needs to decide, as cards on a phone', () => {
  it('is a stacking table: each application a row headed by the applicant, with their フリガナ, 所属 and 所属区分, mail address, the training and their answers', async () => {
    const dept = await createUnit(ctx, null, { kind: 'department', name: '総務部', kana: 'ソウムブ' });
    const unit = await createUnit(ctx, null, { kind: 'division', name: '監理課', kana: 'カンリカ', parentId: dept.id });
    const approver = await makeUser(ctx, ['approver', 'staff'], { unitId: unit.id, name: '宇野 真由美' });
    const staff = await makeUser(ctx, ['staff'], { unitId: unit.id, name: '前田 拓也', kana: 'マエダ タクヤ', email: 'takuya.maeda@pref.example.jp' });
    const other = await makeUser(ctx, ['staff'], { unitId: unit.id, name: '代理 一郎' });
    const admin = await makeUser(ctx, ['admin', 'staff'], { name: '研修 担当' });
    const questions = [
      { id: 'q1', label: '受講の動機', required: true },
      { id: 'q2', label: '職場で取り組みたい協働のテーマ', required: false },
    ];
    const o = await makeOffering(ctx, { questions, endorsementRequired: true, capacity: 10 });
    const bare = await makeOffering(ctx, { endorsementRequired: true, capacity: 10 });
    const mine = await apply(ctx, await user(staff.id), o.id, { answers: { q1: '所属の事業で\nNPOとの協働を進めたい' } });
    await apply(ctx, await user(admin.id), bare.id, { personId: other.id });

    const agent = new Agent(app);
    await agent.login(approver.email);
    const html = await (await agent.get('/approvals')).text();
    expect(html).toMatch(/<table class="data-table data-table--stack approvals">/);
    const rows = cells(html);
    expect(rows).toHaveLength(2);
    const row = rows.find((r) => r['申込者']?.startsWith('前田 拓也'))!;
    expect(html).toContain('<th scope="row" data-label="申込者"');
    expect(row['申込者']).toBe('前田 拓也 マエダ タクヤ 所属：監理課（県） takuya.maeda@pref.example.jp');
    expect(html).toContain('href="mailto:takuya.maeda@pref.example.jp"');
    expect(row['研修']).toBe(o.title);
    expect(row['設問への回答']).toBe('受講の動機 所属の事業で NPOとの協働を進めたい 職場で取り組みたい協働のテーマ （未回答）');
    expect(row['操作']).toContain('推薦・承認する');
    expect(html).toContain(`aria-label="前田 拓也の申込み（${o.title}）"`);
    expect(html).toContain(`id="comment-${mine.id}"`);
    // An application made for someone else says so; a training without questions says it asks none.
    const proxied = rows.find((r) => r['申込者']?.startsWith('代理 一郎'))!;
    expect(proxied['申込者']).toContain('代理申込み');
    expect(proxied['設問への回答']).toBe('この研修の申込みに設問はありません。');

    await agent.get('/lang/en');
    const english = await (await agent.get('/approvals')).text();
    const en = cells(english).find((r) => r['Applicant']?.startsWith('前田 拓也'))!;
    expect(en['Applicant']).toContain('Unit: 監理課 (Prefecture)');
    expect(cells(english).find((r) => r['Applicant']?.startsWith('代理 一郎'))!['Applicant']).toContain('Applied on their behalf');
  });
});
