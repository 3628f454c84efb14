import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/services/application.service.js';
import { addSession, createOffering, createProgramme } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { makeUser } from '../support/http.js';
import { artifacts, expectAccessible, login, useE2e } from './browser.js';
import { toCurrentUser } from '../../src/services/context.js';

const e2e = useE2e();

const ADMIN = { name: '研修 花子', kana: 'ケンシュウ ハナコ', email: 'hanako@pref.example.jp', password: 'kyodo-2026-secret' };
const header = '氏名,フリガナ,メールアドレス,職員番号,所属,所属区分,役割';
const rows = [
  '渡辺 健一,ワタナベ ケンイチ,k.watanabe@pref.example.jp,200001,,県,職員',
  '阿部 陽子,アベ ヨウコ,y.abe@pref.example.jp,200002,,県,職員',
  '髙田 誠,タカダ マコト,m.takada@pref.example.jp,200003,,県,職員',
  '井上 恵,イノウエ メグミ,m.inoue@pref.example.jp,200004,,市町,職員',
  '加藤 亮,カトウ リョウ,r.kato@pref.example.jp,200005,,関係機関,職員',
];

async function names(page: Page): Promise<string[]> {
  return page.$$eval('table.data-table tbody tr td:first-child a', (as) => as.map((a) => a.textContent ?? ''));
}

describe('first journey in Chromium', () => {
  it('setup → logout → login → import with a bad row → fix → list 50音順 → logout, accessible throughout', async () => {
    const page = await e2e.browser.newPage({ locale: 'ja-JP' });
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(e2e.server.url) && !r.url().startsWith('data:')) external.push(r.url());
    });

    await page.goto(e2e.server.url);
    expect(new URL(page.url()).pathname).toBe('/setup');
    await expect(page.locator('h1').textContent()).resolves.toBe('初期設定');
    await expectAccessible(page, 'setup');
    // A wrong submission first: the error summary names the fields.
    await page.getByLabel('メールアドレス').fill('not-an-email');
    await page.getByRole('button', { name: '管理者を登録して始める' }).click();
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('氏名を入力してください。');
    await expectAccessible(page, 'setup with errors');
    await page.getByLabel('氏名').fill(ADMIN.name);
    await page.getByLabel('フリガナ').fill(ADMIN.kana);
    await page.getByLabel('メールアドレス').fill(ADMIN.email);
    await page.getByLabel('パスワード').fill(ADMIN.password);
    await page.getByLabel('サンプルデータ（組織、職員約200名、研修事業）を投入する').uncheck();
    await page.getByRole('button', { name: '管理者を登録して始める' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('研修 花子さん、ようこそ。');
    await expectAccessible(page, 'home');

    await page.getByRole('button', { name: 'ログアウト' }).click();
    expect(new URL(page.url()).pathname).toBe('/login');
    await expectAccessible(page, 'login');
    await page.getByLabel('メールアドレス').fill(ADMIN.email);
    await page.getByLabel('パスワード').fill(ADMIN.password);
    await page.getByRole('button', { name: 'ログインする' }).click();
    expect(new URL(page.url()).pathname).toBe('/');

    // Import with one bad row: the report names line and field, and nothing is imported.
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '職員' }).click();
    await page.getByRole('link', { name: 'Excel・CSVから取り込む' }).click();
    await expectAccessible(page, 'import upload');
    const badFile = join(e2e.dataDir, 'staff-bad.csv');
    writeFileSync(badFile, '\ufeff' + [header, ...rows.slice(0, 2), '髙田 誠,Takada,m.takada@pref.example.jp,200003,,県,職員', ...rows.slice(3)].join('\r\n'));
    await page.getByLabel('CSVファイル').setInputFiles(badFile);
    await page.getByRole('button', { name: '内容を確認する' }).click();
    const report = await page.locator('table.import-errors').textContent();
    expect(report).toContain('4');
    expect(report).toContain('フリガナはカタカナまたはひらがなで入力してください。');
    await expect(page.locator('main').textContent()).resolves.toContain('1件も取り込まれていません');
    await expectAccessible(page, 'import report');
    await page.goto(`${e2e.server.url}/admin/people`);
    expect(await names(page)).toEqual([ADMIN.name]);

    // The fixed file imports all rows.
    await page.goto(`${e2e.server.url}/admin/imports/new?kind=people`);
    const goodFile = join(e2e.dataDir, 'staff-good.csv');
    writeFileSync(goodFile, '\ufeff' + [header, ...rows].join('\r\n'));
    await page.getByLabel('CSVファイル').setInputFiles(goodFile);
    await page.getByRole('button', { name: '内容を確認する' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('誤りはありません。');
    await page.getByRole('button', { name: '5行を取り込む' }).click();
    await page.waitForSelector('text=5行を取り込みました。');

    await page.goto(`${e2e.server.url}/admin/people`);
    expect(await names(page)).toEqual(['阿部 陽子', '井上 恵', '加藤 亮', '研修 花子', '髙田 誠', '渡辺 健一']);
    await expectAccessible(page, 'people list');
    await page.screenshot({ path: join(artifacts, 'people-list.png'), fullPage: true });

    // Japanese is drawn with a real font: the same text in the page's font differs from missing-glyph boxes.
    const jp = await page.evaluate(() => {
      const mk = (text: string) => {
        const s = document.createElement('span');
        s.textContent = text;
        s.style.cssText = 'font-size:32px;display:inline-block;padding:4px;background:#fff;color:#000';
        document.body.prepend(s);
        return s;
      };
      mk('協働研修').id = 'probe-jp';
      mk('\u{F0001}\u{F0002}\u{F0003}\u{F0004}').id = 'probe-tofu';
      return true;
    });
    expect(jp).toBe(true);
    const shotJp = await page.locator('#probe-jp').screenshot();
    const shotTofu = await page.locator('#probe-tofu').screenshot();
    expect(Buffer.compare(shotJp, shotTofu)).not.toBe(0);

    // English switch.
    await page.goto(`${e2e.server.url}/admin/people`);
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Staff');
    await page.getByRole('link', { name: '日本語' }).click();

    await page.getByRole('button', { name: 'ログアウト' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('ログアウトしました。');
    expect(external).toEqual([]);
    await page.close();
  });

  it('programmes and offerings: the new-offering form does not default to an ended programme; a programme is edited; an offering is cancelled after a confirmation and leaves /schedule', async () => {
    const ctx = e2e.server.ctx;
    const npo = await createProgramme(ctx, null, { name: 'NPO・協働研修', kind: 'seminar', firstFiscalYear: 1999, lastFiscalYear: 2006 });
    const seminar = await createProgramme(ctx, null, { name: '協働推進セミナー', kind: 'seminar', firstFiscalYear: 2007, predecessorId: npo.id });
    await createProgramme(ctx, null, { name: '協働コーディネーター養成講座', kind: 'coordinator_course', firstFiscalYear: 2011 });
    const now = Date.now();
    const offering = await createOffering(ctx, null, {
      programmeId: seminar.id,
      fiscalYear: 2026,
      title: '協働推進セミナー 現地研修（中止の試験）',
      selection: 'first_come',
      capacity: 10,
      applicationOpensAt: new Date(now - 86_400_000).toISOString(),
      applicationClosesAt: new Date(now + 20 * 86_400_000).toISOString(),
    });
    await addSession(ctx, null, offering.id, { title: '活動現場の見学', format: 'field', startsAt: new Date(now + 30 * 86_400_000).toISOString(), endsAt: new Date(now + 30 * 86_400_000 + 3 * 3_600_000).toISOString(), venue: '草津市' });
    const applicant = await makeUser(ctx, ['staff'], { email: 'cancel-e2e@pref.example.jp' });
    await apply(ctx, toCurrentUser((await getPerson(ctx, applicant.id))!), offering.id, {});

    const page = await e2e.browser.newPage({ locale: 'ja-JP' });
    await login(page, e2e.server.url, ADMIN.email, ADMIN.password);

    // 1. The new-offering form offers no ended programme and, with two running, selects none.
    await page.goto(`${e2e.server.url}/admin/offerings/new`);
    const select = page.getByLabel('研修事業', { exact: false }).first();
    await expect(select.inputValue()).resolves.toBe('');
    const options = await page.locator('#f-programmeId option').allTextContents();
    expect(options).not.toContain('NPO・協働研修');
    expect(options).toContain('協働推進セミナー');
    await expectAccessible(page, 'new offering');

    // 2. Programmes have their own page: edit one; a loop in the lineage is refused.
    await page.goto(`${e2e.server.url}/admin/programmes`);
    await expectAccessible(page, 'programmes');
    await expect(page.locator('main').textContent()).resolves.toContain('系譜：協働推進セミナー ← NPO・協働研修');
    await page.getByRole('link', { name: '編集：NPO・協働研修' }).click();
    await page.getByLabel('前身の研修事業').selectOption({ label: '協働推進セミナー' });
    await page.getByRole('button', { name: '保存する' }).click();
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('系譜が循環します');
    await expectAccessible(page, 'programme with errors');
    await page.goto(`${e2e.server.url}/admin/programmes/${seminar.id}`);
    await page.getByLabel('名称（英語）').fill('Collaboration Promotion Seminar');
    await page.getByRole('button', { name: '保存する' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('保存しました');

    // 3. Cancel the offering: the page says how many applicants will be told, and asks for a confirmation.
    await page.goto(`${e2e.server.url}/schedule`);
    await expect(page.locator('main').textContent()).resolves.toContain(offering.title);
    await page.goto(`${e2e.server.url}/admin/offerings/${offering.id}`);
    await page.getByRole('link', { name: '中止する' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('申込者1名');
    await expectAccessible(page, 'cancel offering');
    await page.getByLabel('理由').fill('講師の急病のため');
    await page.getByRole('button', { name: '中止する（1名に通知）' }).click();
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('確認の欄にチェックを入れてください');
    await page.getByLabel('申込者1名にメールで知らせ、この研修を中止します').check();
    await page.getByRole('button', { name: '中止する（1名に通知）' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('研修を中止しました。申込者1名に知らせました。');
    await page.goto(`${e2e.server.url}/admin/offerings?fy=2026`);
    await expect(page.locator('table.data-table').textContent()).resolves.toContain('中止');
    await expectAccessible(page, 'offerings list');
    await page.goto(`${e2e.server.url}/schedule`);
    await expect(page.locator('main').textContent()).resolves.not.toContain(offering.title);
    await page.close();
  });
});
