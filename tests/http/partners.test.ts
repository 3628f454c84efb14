import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personRepository } from '../../src/db/repositories/person.repository.js';
import { readXlsx } from '../../src/lib/xlsx.js';
import { apply } from '../../src/services/application.service.js';
import { acceptOffer, addSite, createOffer, createPartner, invitePartnerMember } from '../../src/services/partner.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { getImportJob, previewImport, startImport } from '../../src/services/import.service.js';
import { hashPassword } from '../../src/lib/crypto.js';
import { createApiToken } from '../../src/services/api-token.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser, PASSWORD } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';
import { toCurrentUser } from '../../src/services/context.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let admin: Agent;

async function member(partnerId: number, email: string) {
  const p = await invitePartnerMember(ctx, null, partnerId, { name: `${email} 担当`, kana: 'タントウ', email });
  await personRepository.update(ctx.db, p.id, { password_hash: await hashPassword(PASSWORD) });
  const agent = new Agent(app);
  await agent.login(email);
  return { person: toCurrentUser((await getPerson(ctx, p.id))!), agent };
}

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  app = appFor(ctx).app;
  admin = new Agent(app);
  await admin.login((await makeUser(ctx, ['admin', 'staff'])).email);
  await createUnit(ctx, null, { kind: 'municipality', name: '大津市', kana: 'オオツシ', code: '252018' });
});
afterAll(() => tdb.close());

describe('partners', () => {
  it('a member offers a visit; over-capacity and past dates get clear messages; the admin schedules it; the host sees only name and unit of their own participants', async () => {
    const a = await createPartner(ctx, null, { name: 'NPO法人 びわ湖子ども食堂ネット', kana: 'ビワコ コドモショクドウ ネット', type: 'npo', fields: '子育て、福祉' });
    const b = await createPartner(ctx, null, { name: '里山保全の会', kana: 'サトヤマホゼンノカイ', type: 'community', fields: '環境' });
    const ma = await member(a.id, 'host-a@npo.example.jp');
    const mb = await member(b.id, 'host-b@satoyama.example.jp');
    const site = await addSite(ctx, ma.person, a.id, { name: '大津こども食堂', address: '大津市中央一丁目', capacity: '12', whatToSee: '調理と配膳の見学' });
    await expect(addSite(ctx, mb.person, a.id, { name: 'x', address: 'y', capacity: '1' })).rejects.toMatchObject({ status: 404 });

    const over = await ma.agent.post('/partner/offers', { siteId: String(site.id), theme: '子ども食堂の運営', candidateStarts: '2027-01-20T13:30', durationMinutes: '120', capacity: '30' });
    expect(over.status).toBe(422);
    expect(await over.text()).toContain('定員は活動場所の受入人数（12名）以下にしてください。');
    const past = await ma.agent.post('/partner/offers', { siteId: String(site.id), theme: '子ども食堂の運営', candidateStarts: '2026-01-20T13:30', durationMinutes: '120', capacity: '10' });
    expect(await past.text()).toContain('候補日時には、これから先の日時を入力してください。');
    const ok = await ma.agent.post('/partner/offers', { siteId: String(site.id), theme: '子ども食堂の運営', candidateStarts: '2027-01-20T13:30\n2027-01-27T13:30', durationMinutes: '120', capacity: '10' });
    expect(ok.status).toBe(303);

    const offers = await (await admin.get('/admin/field-offers')).text();
    expect(offers).toContain('子ども食堂の運営');
    // No offering of the date's fiscal year exists yet: the page says so rather than offer a wrong one.
    expect(offers).toContain('候補日時を含む年度に、この申出を受け入れられる研修がありません。');
    const offerId = offers.match(/\/admin\/field-offers\/(\d+)\/decline/)![1];
    const o = await makeOffering(ctx, { capacity: 20, seats: { partner: 2 } });
    const acc = await admin.post(`/admin/field-offers/${offerId}/accept`, { offeringId: String(o.id), start: '2027-01-27T04:30:00.000Z', confirm: 'yes' });
    expect(acc.status).toBe(303);
    const mail = await tdb.db.selectFrom('outbox').select('subject').where('to_address', '=', 'host-a@npo.example.jp').execute();
    expect(mail.map((m) => m.subject)).toContain('【Kyodo】現地研修の受入れが決まりました：子ども食堂の運営');

    const staff = await makeUser(ctx, ['staff'], { name: '受講 花子', email: 'jukou@pref.example.jp' });
    await apply(ctx, toCurrentUser((await getPerson(ctx, staff.id))!), o.id, {});
    const home = await (await ma.agent.get('/partner')).text();
    const sessionId = home.match(/\/partner\/sessions\/(\d+)/)![1];
    const roster = await (await ma.agent.get(`/partner/sessions/${sessionId}`)).text();
    expect(roster).toContain('受講 花子');
    expect(roster).not.toContain('jukou@pref.example.jp');
    const xlsx = await ma.agent.get(`/partner/sessions/${sessionId}/roster.xlsx`);
    const [sheet] = await readXlsx(new Uint8Array(await xlsx.arrayBuffer()));
    expect(Object.keys(sheet.rows[0])).toEqual(['氏名', '所属']);
    // The same roster from the host's own scripts: JSON, and the download's rows as CSV.
    const token = (await createApiToken(ctx, null, ma.person.id, { name: 'roster' })).token;
    const viaApi = await app.request(`http://kyodo.test/api/v1/partner/sessions/${sessionId}/roster`, { headers: { Authorization: `Bearer ${token}` } });
    expect(viaApi.status).toBe(200);
    const body = (await viaApi.json()) as { participants: { name: string; unit: string }[] };
    expect(body.participants.map((p) => p.name)).toContain('受講 花子');
    expect(JSON.stringify(body)).not.toContain('jukou@pref.example.jp');
    const csv = await app.request(`http://kyodo.test/api/v1/partner/sessions/${sessionId}/roster?format=csv`, { headers: { Authorization: `Bearer ${token}` } });
    expect(new TextDecoder().decode(await csv.arrayBuffer())).toBe(new TextDecoder().decode(await (await ma.agent.get(`/partner/sessions/${sessionId}/roster.csv`)).arrayBuffer()));

    // The other organisation sees nothing of it (404), nor its roster download.
    expect((await mb.agent.get(`/partner/sessions/${sessionId}`)).status).toBe(404);
    expect((await mb.agent.get(`/partner/sessions/${sessionId}/roster.csv`)).status).toBe(404);
    expect(await (await mb.agent.get('/partner')).text()).not.toContain('子ども食堂');
    expect((await mb.agent.get('/admin/partners')).status).toBe(403);
    expect((await mb.agent.get('/coordinators')).status).toBe(403);
    // Messages reach the participants.
    const msg = await ma.agent.post(`/partner/sessions/${sessionId}/messages`, { body: 'エプロンをご持参ください。' });
    expect(msg.status).toBe(303);
    const toStaff = await tdb.db.selectFrom('outbox').select('body_text').where('to_address', '=', 'jukou@pref.example.jp').execute();
    expect(toStaff.some((m) => m.body_text.includes('エプロンをご持参ください。'))).toBe(true);
  });

  it('a partner member may apply only where the offering has partner seats', async () => {
    const p = await createPartner(ctx, null, { name: '株式会社 湖国ソーシャル', kana: 'ココクソーシャル', type: 'company' });
    const m = await member(p.id, 'csr@kokoku.example.jp');
    const withSeats = await makeOffering(ctx, { capacity: 5, seats: { partner: 1 } });
    const without = await makeOffering(ctx, { capacity: 5 });
    expect((await apply(ctx, m.person, withSeats.id, {})).status).toBe('confirmed');
    await expect(apply(ctx, m.person, without.id, {})).rejects.toMatchObject({ messageKey: 'error.partnerNoSeats' });
  });

  it('imports partners from CSV all or nothing and exports them', async () => {
    const csv = ['団体名,フリガナ,種別,分野,活動地域,担当者,メールアドレス,電話番号,説明', 'NPO法人 湖南環境ネット,コナンカンキョウネット,NPO法人,環境,大津市,山田,info@konan.example.jp,077-000-0000,河川清掃', '謎の団体,ナゾ,宇宙人,,火星市,,,,'].join('\r\n');
    const actor = { id: 1 };
    const bad = await previewImport(ctx, actor, 'partners', 'p.csv', new TextEncoder().encode(csv));
    expect(bad.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'areas'],
      [3, 'type'],
    ]);
    const good = await previewImport(ctx, actor, 'partners', 'p.csv', new TextEncoder().encode(csv.split('\r\n').slice(0, 2).join('\r\n')));
    await (await startImport(ctx, actor, good.id)).finished;
    expect((await getImportJob(ctx, good.id))!.status).toBe('done');
    const list = await (await admin.get(`/admin/partners?q=${encodeURIComponent('こなん')}`)).text();
    expect(list).toContain('NPO法人 湖南環境ネット');
    const x = await admin.get('/admin/partners.xlsx');
    const [sheet] = await readXlsx(new Uint8Array(await x.arrayBuffer()));
    expect(sheet.rows.find((r) => r['団体名'] === 'NPO法人 湖南環境ネット')).toMatchObject({ 種別: 'NPO法人', 活動地域: '大津市' });
  });

  it('lists partners 50音順 by フリガナ, sortable both ways and by type, with the sort shown to assistive technology', async () => {
    const names = (html: string) => [...html.matchAll(/<span class="kana">([^<]+)<\/span>/g)].map((m) => m[1]);
    const collator = new Intl.Collator('ja');
    // Kanji order and reading order differ: 和 (ワ) sorts last by reading.
    await createPartner(ctx, null, { name: '和の里づくり会', kana: 'ワノサトヅクリカイ', type: 'community' });
    await createPartner(ctx, null, { name: '株式会社あおぞら', kana: 'アオゾラ', type: 'company' });
    await createPartner(ctx, null, { name: '一般社団法人かわせみ', kana: 'カワセミ', type: 'other' });
    const asc = await (await admin.get('/admin/partners')).text();
    const kana = names(asc);
    expect(kana.length).toBeGreaterThan(1);
    expect(kana).toEqual([...kana].sort(collator.compare));
    expect(asc).toContain('aria-sort="ascending"');
    const desc = await (await admin.get('/admin/partners?sort=kana&dir=desc')).text();
    expect(names(desc)).toEqual([...kana].reverse());
    expect(desc).toContain('aria-sort="descending"');
    const byType = await (await admin.get('/admin/partners?sort=type')).text();
    expect(names(byType).sort(collator.compare)).toEqual(kana);
    // An unknown sort key falls back to フリガナ rather than failing.
    expect(names(await (await admin.get('/admin/partners?sort=%27;drop&page=99')).text())).toEqual(kana);
  });

  it('schedules an accepted offer with an API-independent service call as well', async () => {
    const p = await createPartner(ctx, null, { name: '大学まちづくり研究室', kana: 'ダイガクマチヅクリケンキュウシツ', type: 'university' });
    const m = await member(p.id, 'lab@univ.example.jp');
    const site = await addSite(ctx, m.person, p.id, { name: '研究室', address: '草津市', capacity: '20' });
    const offer = await createOffer(ctx, m.person, { siteId: site.id, theme: '地域課題の調査手法', candidateStarts: ['2027-02-10T13:00:00+09:00'], durationMinutes: 90, capacity: 15 });
    const o = await makeOffering(ctx);
    const { session } = await acceptOffer(ctx, null, offer.id, { offeringId: o.id, start: '2027-02-10T04:00:00.000Z' });
    expect(session.format).toBe('field');
    expect(session.host_partner_id).toBe(p.id);
    await expect(acceptOffer(ctx, null, offer.id, { offeringId: o.id, start: '2027-02-10T04:00:00.000Z' })).rejects.toMatchObject({ status: 409 });
  });
});
