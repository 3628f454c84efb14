import { randomBytes } from 'node:crypto';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { certificateRepository } from '../../src/db/repositories/certificate.repository.js';
import { codeFromBytes } from '../../src/domain/certificate-code.js';
import { apply } from '../../src/services/application.service.js';
import { toCurrentUser } from '../../src/services/context.js';
import { addSession } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';

/** The PDF as its reader sees it: each page's text and size in points (A4 is 595.28 × 841.89). */
async function readPdf(res: Response) {
  expect(res.status, res.status === 200 ? '' : await res.clone().text()).toBe(200);
  expect(res.headers.get('Content-Type')).toBe('application/pdf');
  const pdf = await getDocumentProxy(new Uint8Array(await res.arrayBuffer()));
  const { text } = await extractText(pdf, { mergePages: false });
  const sizes: number[][] = [];
  for (let i = 1; i <= pdf.numPages; i++) sizes.push((await pdf.getPage(i)).view.map((v) => Math.round(v * 100) / 100));
  return { pages: (text as string[]).map((p) => p.replace(/\s+/g, ' ')), sizes };
}
const A4 = [0, 0, 595.28, 841.89];

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let admin: Agent;
let offeringId: number;
const people: Record<string, { id: number; email: string; agent: Agent; applicationId: number }> = {};

async function participant(key: string, unitId: number, name: string, kana: string, staffNumber: string, title: string | null) {
  const p = await makeUser(ctx, ['staff'], { unitId, name, kana });
  await ctx.db.updateTable('people').set({ staff_number: staffNumber, title }).where('id', '=', p.id).execute();
  const a = await apply(ctx, toCurrentUser((await getPerson(ctx, p.id))!), offeringId, {});
  const agent = new Agent(app);
  await agent.login(p.email);
  people[key] = { id: p.id, email: p.email, agent, applicationId: a.id };
  return a;
}

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb); // 2026-11-24 10:00 JST: 令和8年11月24日
  app = appFor(ctx).app;
  const a = await makeUser(ctx, ['admin'], { email: 'paper-admin@pref.example.jp' });
  admin = new Agent(app);
  await admin.login(a.email);
  const dept = (await createUnit(ctx, null, { kind: 'department', name: '総務部', kana: 'ソウムブ' })).id;
  const soumu = (await createUnit(ctx, null, { kind: 'division', name: '総務課', kana: 'ソウムカ', parentId: dept })).id;
  const kyodo = (await createUnit(ctx, null, { kind: 'division', name: '協働推進室', kana: 'キョウドウスイシンシツ', parentId: dept })).id;
  const head = await makeUser(ctx, ['approver', 'staff'], { unitId: soumu, name: '山田 太郎', kana: 'ヤマダ タロウ' });
  await ctx.db.updateTable('people').set({ title: '課長' }).where('id', '=', head.id).execute();
  const o = await makeOffering(ctx, { capacity: 3, title: '協働推進セミナー（現地研修）' });
  offeringId = o.id;
  await addSession(ctx, null, offeringId, {
    title: '現地研修',
    format: 'field',
    startsAt: '2026-12-08T10:00:00+09:00',
    endsAt: '2026-12-08T15:00:00+09:00',
    venue: 'NPOセンター',
    belongings: '筆記用具、名札',
    access: 'JR大津駅から徒歩10分',
  });
  await participant('takahashi', soumu, '髙橋 花子', 'タカハシ ハナコ', '1001', '主査');
  await participant('abe', soumu, '阿部 一郎', 'アベ イチロウ', '1002', null);
  await participant('watanabe', kyodo, '渡辺 健', 'ワタナベ ケン', '2001', '主事');
  const w = await participant('ueda', kyodo, '上田 光', 'ウエダ ヒカル', '2002', null); // the fourth: waitlisted
  expect(w.status).toBe('waitlisted');
});
afterAll(() => tdb.close());

describe('受講者名簿', () => {
  it('is linked from the offering page and its paper menu', async () => {
    expect(await (await admin.get(`/admin/offerings/${offeringId}`)).text()).toContain(`href="/admin/offerings/${offeringId}/paper"`);
    const menu = await (await admin.get(`/admin/offerings/${offeringId}/paper`)).text();
    for (const href of ['roster', 'roster.pdf', 'notices', 'notices.pdf', 'unit-notices', 'unit-notices.pdf']) expect(menu).toContain(`href="/admin/offerings/${offeringId}/${href}"`);
  });

  it('prints 職員番号, 氏名 with フリガナ, 所属, 職名 and status in フリガナ order', async () => {
    const html = await (await admin.get(`/admin/offerings/${offeringId}/roster`)).text();
    const order = ['阿部 一郎', '上田 光', '髙橋 花子', '渡辺 健'].map((n) => html.indexOf(n));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((x, y) => x - y));
    expect(html).toContain('主査');
    expect(html).toContain('補欠');
  });

  it('as a PDF on A4: the same rows, read back from the file', async () => {
    const { pages, sizes } = await readPdf(await admin.get(`/admin/offerings/${offeringId}/roster.pdf`));
    expect(sizes).toEqual(pages.map(() => A4));
    const text = pages.join(' ');
    expect(text).toContain('受講者名簿');
    for (const s of ['1001', '髙橋 花子', 'タカハシ ハナコ', '総務課', '主査', '2001', '渡辺 健', '協働推進室', '主事', '受講決定', '補欠']) expect(text).toContain(s);
    expect(text.indexOf('阿部 一郎')).toBeLessThan(text.indexOf('髙橋 花子'));
    expect(text.indexOf('髙橋 花子')).toBeLessThan(text.indexOf('渡辺 健'));
  });

  it('is the office’s: a participant gets 403', async () => {
    expect((await people.abe.agent.get(`/admin/offerings/${offeringId}/roster.pdf`)).status).toBe(403);
  });
});

/** What has been issued so far: numbered documents of a kind, and 発行 entries in the audit log. */
async function issuedSoFar(kind: 'decision_notice' | 'unit_notice') {
  const docs = await ctx.db.selectFrom('issued_documents').select(['subject', 'number', 'issued_on']).where('kind', '=', kind).orderBy('serial').execute();
  const audits = await ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('entity', '=', 'document').executeTakeFirstOrThrow();
  return { docs, audits: Number(audits.n) };
}
const numbers = (text: string) => [...text.matchAll(/協働第\d+号/g)].map((m) => m[0]);

describe('受講決定通知 per 所属', () => {
  it('viewing the print view or the PDF numbers nothing: blanks marked 未発行, and the way to issue them', async () => {
    const before = await issuedSoFar('unit_notice');
    const html = await (await admin.get(`/admin/offerings/${offeringId}/unit-notices`)).text();
    const { pages, sizes } = await readPdf(await admin.get(`/admin/offerings/${offeringId}/unit-notices.pdf`));
    const menu = await (await admin.get(`/admin/offerings/${offeringId}/paper`)).text();
    expect(await issuedSoFar('unit_notice')).toEqual(before);
    expect(before).toEqual({ docs: [], audits: 0 });
    expect(numbers(html)).toEqual([]);
    expect(html.match(/協働第　　号（未発行）/g)).toHaveLength(2);
    expect(html).toContain('令和　　年　　月　　日');
    expect(html.slice(html.indexOf('<article'))).not.toContain('令和8年11月24日'); // only the confirmation names today
    expect(html).toContain('この表示の通知のうち2通は、まだ発行していません。');
    expect(html).toContain(`action="/admin/offerings/${offeringId}/unit-notices/issue"`);
    expect(html).toContain('name="_csrf"');
    expect(html).toContain('未発行の2通に、文書番号と今日の日付（令和8年11月24日）を付けて発行します。');
    expect(html).toContain('文書番号を付けて発行する（2件）');
    expect(menu).toContain('2通、うち未発行2通');
    expect(sizes).toEqual([A4, A4]);
    for (const page of pages) {
      expect(page).toMatch(/協働第\s*号（未発行）/);
      expect(page).not.toMatch(/協働第\d+号/);
    }
  });

  it('issuing without ticking the confirmation is refused (422) and numbers nothing', async () => {
    const res = await admin.post(`/admin/offerings/${offeringId}/unit-notices/issue`, { count: '2' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('発行してよいか確認の欄にチェックを入れてください。文書番号は、まだ付けていません。');
    expect(html).toContain('文書番号を付けて発行する（2件）');
    expect(html).not.toContain('checked');
    // Without the form's CSRF field (a forged post), refused before anything runs.
    expect((await admin.post(`/admin/offerings/${offeringId}/unit-notices/issue`, { count: '2', confirm: 'on' }, { csrf: false })).status).toBe(403);
    expect(await issuedSoFar('unit_notice')).toEqual({ docs: [], audits: 0 });
  });

  it('issuing is refused (409) when the count confirmed is not the count left to issue', async () => {
    const res = await admin.post(`/admin/offerings/${offeringId}/unit-notices/issue`, { count: '1', confirm: 'on' });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('未発行の通知の数が変わりました（1通から2通へ）');
    expect(await issuedSoFar('unit_notice')).toEqual({ docs: [], audits: 0 });
  });

  it('is the office’s: a participant may not issue (403)', async () => {
    expect((await people.abe.agent.post(`/admin/offerings/${offeringId}/unit-notices/issue`, { count: '2', confirm: 'on' })).status).toBe(403);
    expect(await issuedSoFar('unit_notice')).toEqual({ docs: [], audits: 0 });
  });

  it('issued on purpose: one notice per 所属, addressed to its head, with 文書番号, wareki date, sender, 持ち物, access and 問い合わせ先', async () => {
    const res = await admin.post(`/admin/offerings/${offeringId}/unit-notices/issue`, { count: '2', confirm: 'on' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/admin/offerings/${offeringId}/unit-notices?issued=2`);
    const after = await issuedSoFar('unit_notice');
    expect(after.docs).toHaveLength(2);
    expect(after.audits).toBe(2);
    const html = await (await admin.get(res.headers.get('Location')!)).text();
    expect(html).toContain('2通の通知に文書番号と日付を付けて発行しました。');
    expect(html).toContain('この表示の通知は、すべて発行済みです。');
    expect(html).not.toContain('/unit-notices/issue"');
    expect(html).not.toContain('未発行');
    expect(numbers(html)).toEqual(after.docs.map((d) => d.number));

    const { pages, sizes } = await readPdf(await admin.get(`/admin/offerings/${offeringId}/unit-notices.pdf`));
    expect(pages).toHaveLength(2);
    expect(sizes).toEqual([A4, A4]);
    // 所属 in 50音順: 協働推進室 (キョウドウ…) before 総務課 (ソウム…), numbered in that order.
    const [kyodo, soumu] = pages;
    expect(kyodo).toContain('協働推進室 所属長 様');
    expect(kyodo).toContain('渡辺 健');
    expect(kyodo).not.toContain('上田 光'); // waitlisted: not on a notice
    expect(soumu).toContain('総務課長 山田 太郎 様');
    expect(soumu).toContain('髙橋 花子');
    expect(soumu).toContain('阿部 一郎');
    for (const page of pages) {
      expect(page).toMatch(/協働第\d+号/);
      expect(page).toContain('令和8年11月24日');
      expect(page).toContain('滋賀県知事');
      expect(page).toContain('政策研修センター');
      expect(page).toContain('筆記用具、名札');
      expect(page).toContain('JR大津駅から徒歩10分');
      expect(page).toContain('問い合わせ先');
      expect(page).not.toContain('未発行');
    }
    expect(pages.map((p) => p.match(/協働第\d+号/)![0])).toEqual(after.docs.map((d) => d.number));
  });

  it('keeps each notice’s number and date when printed again, a day later; a second issue numbers nothing', async () => {
    const first = await issuedSoFar('unit_notice');
    // A day later (sessions end: everyone signs in again).
    ctx.clock.advance(86_400_000);
    await admin.login('paper-admin@pref.example.jp');
    for (const p of Object.values(people)) await p.agent.login(p.email);
    const html = await (await admin.get(`/admin/offerings/${offeringId}/unit-notices`)).text();
    expect(numbers(html)).toEqual(first.docs.map((d) => d.number));
    expect(html).toContain('令和8年11月24日');
    expect(html).not.toContain('令和8年11月25日');
    const pdf = (await readPdf(await admin.get(`/admin/offerings/${offeringId}/unit-notices.pdf`))).pages.join(' ');
    expect(numbers(pdf)).toEqual(first.docs.map((d) => d.number));

    // Pressed again (a second tab, a double click): nothing new, and it says so.
    const again = await admin.post(`/admin/offerings/${offeringId}/unit-notices/issue`, { count: '2', confirm: 'on' });
    expect(again.status).toBe(303);
    expect(again.headers.get('Location')).toBe(`/admin/offerings/${offeringId}/unit-notices?issued=0`);
    expect(await (await admin.get(again.headers.get('Location')!)).text()).toContain('未発行の通知はありませんでした。新たに文書番号を付けた通知はありません。');
    expect(await issuedSoFar('unit_notice')).toEqual(first);
  });
});

describe('受講決定通知 per person', () => {
  it('the participant prints their own from their application page: blanks until the office issues it, no number taken', async () => {
    const { agent, applicationId } = people.takahashi;
    const page = await (await agent.get(`/my/applications/${applicationId}`)).text();
    expect(page).toContain(`href="/my/applications/${applicationId}/notice.pdf"`);
    const { pages, sizes } = await readPdf(await agent.get(`/my/applications/${applicationId}/notice.pdf`));
    const print = await (await agent.get(`/my/applications/${applicationId}/notice`)).text();
    expect(sizes).toEqual([A4]);
    const code = (await ctx.db.selectFrom('applications').select('participant_code').where('id', '=', applicationId).executeTakeFirstOrThrow()).participant_code;
    expect(pages[0]).toContain('髙橋 花子 様');
    expect(pages[0]).toContain('（総務課）');
    expect(pages[0]).toContain(code);
    expect(pages[0]).toMatch(/協働第\s*号（未発行）/);
    expect(print).toContain('協働第　　号（未発行）');
    expect(print).toContain('この通知には、まだ文書番号と日付が付いていません。研修担当が通知を発行すると付きます。');
    expect(print).not.toContain('/issue"'); // a participant issues nothing
    expect((await issuedSoFar('decision_notice')).docs).toEqual([]);
  });

  it('someone else’s notice does not exist (404); a waitlisted application has none (409)', async () => {
    expect((await people.abe.agent.get(`/my/applications/${people.takahashi.applicationId}/notice.pdf`)).status).toBe(404);
    expect((await people.ueda.agent.get(`/my/applications/${people.ueda.applicationId}/notice.pdf`)).status).toBe(409);
  });

  it('the office views, then issues every confirmed participant’s notice once; one file, one page each', async () => {
    const before = await issuedSoFar('decision_notice');
    const view = await (await admin.get(`/admin/offerings/${offeringId}/notices`)).text();
    await readPdf(await admin.get(`/admin/offerings/${offeringId}/notices.pdf`));
    expect(await issuedSoFar('decision_notice')).toEqual(before);
    expect(view).toContain('文書番号を付けて発行する（3件）');

    const res = await admin.post(`/admin/offerings/${offeringId}/notices/issue`, { count: '3', confirm: 'on' });
    expect(res.status).toBe(303);
    const after = await issuedSoFar('decision_notice');
    expect(after.docs).toHaveLength(3);
    expect(after.docs.every((d) => d.issued_on === '2026-11-25')).toBe(true); // issued the day after the unit notices
    expect(after.audits).toBe(before.audits + 3);
    // Numbered in print order, after the two unit notices: the year's serials run on.
    const { pages } = await readPdf(await admin.get(`/admin/offerings/${offeringId}/notices.pdf`));
    expect(pages).toHaveLength(3);
    expect(pages.map((p) => ['阿部 一郎', '髙橋 花子', '渡辺 健'].find((n) => p.includes(`${n} 様`)))).toEqual(['阿部 一郎', '髙橋 花子', '渡辺 健']);
    expect(pages.map((p) => p.match(/協働第\d+号/)![0])).toEqual(['協働第3号', '協働第4号', '協働第5号']);
    // The participant's own notice and the office's copy are one document: one number and date.
    const own = (await readPdf(await people.takahashi.agent.get(`/my/applications/${people.takahashi.applicationId}/notice.pdf`))).pages[0];
    expect(own).toContain('協働第4号');
    expect(own).toContain('令和8年11月25日');
    const print = await (await people.takahashi.agent.get(`/my/applications/${people.takahashi.applicationId}/notice`)).text();
    expect(print).toContain('協働第4号');
    expect(print).not.toContain('未発行');
    expect(await issuedSoFar('decision_notice')).toEqual(after);
  });

  it('in English: the blanks, the confirmation and the button say the same', async () => {
    admin.cookies.set('kyodo_lang', 'en');
    try {
      // A newly confirmed participant: one notice to issue, among those issued.
      await ctx.db.updateTable('applications').set({ status: 'confirmed' }).where('id', '=', people.ueda.applicationId).execute();
      const html = await (await admin.get(`/admin/offerings/${offeringId}/notices`)).text();
      expect(html).toContain('協働第　　号 (not issued yet)');
      expect(html).toContain('Date: not issued yet');
      expect(html).toContain('1 of the notices shown are not issued yet');
      expect(html).toContain('Number and issue the notices (1)');
      expect(numbers(html)).toEqual(['協働第3号', '協働第4号', '協働第5号']);
      const refused = await admin.post(`/admin/offerings/${offeringId}/notices/issue`, { count: '1' });
      expect(refused.status).toBe(422);
      expect(await refused.text()).toContain('Tick the box to confirm the issue. No document number has been given yet.');
      // Issuing numbers exactly the one not issued; the others keep theirs.
      expect((await admin.post(`/admin/offerings/${offeringId}/notices/issue`, { count: '1', confirm: 'on' })).status).toBe(303);
      const { docs } = await issuedSoFar('decision_notice');
      expect(docs.map((d) => d.number)).toEqual(['協働第3号', '協働第4号', '協働第5号', '協働第6号']);
      expect(docs[3].subject).toBe(String(people.ueda.applicationId));
    } finally {
      admin.cookies.delete('kyodo_lang');
    }
  });
});

describe('修了証 as PDF', () => {
  it('its holder downloads it from the certificate page: name, programme, 文書番号 and wareki dates on A4', async () => {
    const { id: personId, agent, applicationId } = people.watanabe;
    const o = await ctx.db.selectFrom('offerings').select(['programme_id', 'title']).where('id', '=', offeringId).executeTakeFirstOrThrow();
    const cert = await certificateRepository.insert(ctx.db, {
      number: await certificateRepository.nextNumber(ctx.db, 2026),
      verification_code: codeFromBytes(randomBytes(12)),
      application_id: applicationId,
      person_id: personId,
      programme_id: o.programme_id,
      title: o.title,
      completed_on: '2026-11-20',
      valid_until: null,
      issued_at: ctx.now(),
    });
    const page = await (await agent.get(`/certificates/${cert.number}`)).text();
    const href = `/certificates/${cert.number}/certificate.pdf`;
    expect(page).toContain(`href="${href}"`);
    const { pages, sizes } = await readPdf(await agent.get(href));
    expect(sizes).toEqual([A4]);
    for (const s of ['修', '渡辺 健 様', '協働推進セミナー（現地研修）', '令和8年11月20日', cert.number, '滋賀県知事']) expect(pages[0]).toContain(s);
    expect(pages[0]).toMatch(/協働第\d+号/);
    expect((await people.abe.agent.get(href)).status).toBe(404);
    expect((await admin.get(href)).status).toBe(200);
  });
});

describe('configuration', () => {
  it('takes the sender, office, contact and 文書番号 prefix from KYODO_ISSUER_* and KYODO_DOCUMENT_PREFIX, with defaults', () => {
    const d = loadConfig({});
    expect([d.issuerName, d.issuerOffice, d.documentPrefix]).toEqual(['滋賀県知事', '総務部 政策研修センター', '協働']);
    const c = loadConfig({ KYODO_ISSUER_NAME: '滋賀県総務部長', KYODO_ISSUER_OFFICE: '総務部 人事課', KYODO_ISSUER_CONTACT: '電話 077-528-0000', KYODO_DOCUMENT_PREFIX: '人研' });
    expect([c.issuerName, c.issuerOffice, c.issuerContact, c.documentPrefix]).toEqual(['滋賀県総務部長', '総務部 人事課', '電話 077-528-0000', '人研']);
    expect(() => loadConfig({ KYODO_DOCUMENT_PREFIX: '協働第' })).toThrow(ConfigError);
    expect(() => loadConfig({ KYODO_ISSUER_CONTACT: 'x'.repeat(201) })).toThrow(/KYODO_ISSUER_CONTACT/);
  });
});
