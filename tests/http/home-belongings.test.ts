import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply } from '../../src/services/application.service.js';
import { toCurrentUser } from '../../src/services/context.js';
import { addSession } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';

/**
 * The staff home page shows, for each coming session of a confirmed application, the session's 持ち物
 * and access when set: escaped, line breaks kept, in English when the page is; nothing for a session
 * without them, and nothing to someone whose place is not confirmed.
 */
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
const w = {} as { confirmed: string; waitlisted: string };

/** The staff section of the home page (from its heading to the next section). */
function staffSection(html: string): string {
  const start = html.indexOf('id="home-staff"');
  expect(start).toBeGreaterThan(-1);
  const end = html.indexOf('<section', start);
  return html.slice(start, end === -1 ? undefined : end);
}
async function home(email: string, lang?: 'en') {
  const a = new Agent(app);
  await a.login(email);
  if (lang) await a.get(`/lang/${lang}?next=/`);
  return staffSection(await (await a.get('/')).text());
}

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb); // Tuesday 2026-11-24, 10:00 JST
  ({ app } = appFor(ctx));
  const o = await makeOffering(ctx, { title: '協働推進セミナー（持ち物）', capacity: 1 });
  await addSession(ctx, null, o.id, {
    title: '地域団体の現場を訪ねる',
    format: 'field',
    startsAt: '2026-12-08T13:30:00+09:00',
    endsAt: '2026-12-08T16:30:00+09:00',
    venue: '大津市 NPO活動支援センター',
    belongings: '筆記用具\n名刺 <b>20枚</b> & 雨具',
    access: 'JR大津駅から徒歩10分。\r\n駐車場はありません。',
  });
  await addSession(ctx, null, o.id, { title: 'ふりかえり', format: 'lecture', startsAt: '2026-12-15T13:30:00+09:00', endsAt: '2026-12-15T16:30:00+09:00', venue: '県庁本館 大会議室' });
  const confirmed = await makeUser(ctx, ['staff'], { email: 'belongings-confirmed@pref.example.jp' });
  const waitlisted = await makeUser(ctx, ['staff'], { email: 'belongings-waitlisted@pref.example.jp' });
  expect((await apply(ctx, toCurrentUser((await getPerson(ctx, confirmed.id))!), o.id, {})).status).toBe('confirmed');
  expect((await apply(ctx, toCurrentUser((await getPerson(ctx, waitlisted.id))!), o.id, {})).status).toBe('waitlisted');
  Object.assign(w, { confirmed: confirmed.email, waitlisted: waitlisted.email });
}, 120_000);
afterAll(() => tdb.close());

describe('the staff home page: 持ち物 and access of my coming sessions', () => {
  it('shows them to a confirmed participant, escaped, with line breaks, and nothing for a session without them', async () => {
    const html = await home(w.confirmed);
    expect(html).toContain('地域団体の現場を訪ねる');
    expect(html).toContain('ふりかえり');
    expect(html).toContain('<dt>持ち物</dt>');
    expect(html).toContain('<dt>会場への交通</dt>');
    expect(html).toContain('筆記用具<br/>名刺 &lt;b&gt;20枚&lt;/b&gt; &amp; 雨具');
    expect(html).toContain('JR大津駅から徒歩10分。<br/>駐車場はありません。');
    expect(html).not.toContain('<b>20枚</b>');
    // One list of notes: the first session's. The second has none, so no empty labels.
    expect(html.match(/<dl class="meta">/g)).toHaveLength(1);
    const second = html.slice(html.indexOf('ふりかえり'));
    expect(second).not.toContain('持ち物');
  });

  it('shows nothing of them to someone whose place is not confirmed (補欠)', async () => {
    const html = await home(w.waitlisted);
    expect(html).not.toContain('地域団体の現場を訪ねる');
    expect(html).not.toContain('筆記用具');
    expect(html).not.toContain('徒歩10分');
    expect(html).not.toContain('<dt>持ち物</dt>');
  });

  it('labels them in English when the page is in English', async () => {
    const html = await home(w.confirmed, 'en');
    expect(html).toContain('<dt>What to bring</dt>');
    expect(html).toContain('<dt>Getting to the venue</dt>');
    expect(html).not.toContain('<dt>持ち物</dt>');
    expect(html).not.toContain('<dt>会場への交通</dt>');
    // What participants typed stays as typed.
    expect(html).toContain('筆記用具<br/>名刺 &lt;b&gt;20枚&lt;/b&gt; &amp; 雨具');
  });
});
