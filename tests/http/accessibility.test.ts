import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccessibilityPages } from '../../src/http/accessibility/accessibility.pages.js';
import { SUCCESS_CRITERIA } from '../../src/http/accessibility/criteria.js';
import { MANUAL_CHECKS } from '../../src/http/accessibility/manual-checks.js';
import { type AxeResults, axeResultsSchema, type ManualCheck } from '../../src/http/accessibility/schema.js';
import type { AppEnv } from '../../src/http/env.js';
import { Router } from '../../src/http/router.js';
import { type Lang, translator } from '../../src/i18n/index.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';

/**
 * The public accessibility report (issue 20 §5): JIS X 8341-3:2016 試験結果 read from the browser tests' axe
 * results in the repository and the checks done by hand.
 */
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb, { config: { baseUrl: 'https://kyodo.pref.example.jp' } });
  await makeUser(ctx, ['admin']); // set up: otherwise every page leads to /setup
});
afterAll(() => tdb.close());

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
/** The text of the criteria table's row for one success criterion. */
const row = (html: string, id: string) => {
  const m = new RegExp(`<tr id="sc-${id.replaceAll('.', '-')}"[^>]*>([\\s\\S]*?)</tr>`).exec(html);
  return m ? text(m[1]!) : null;
};
const tableRows = (html: string, tableClass: string) => {
  const table = new RegExp(`<table class="[^"]*${tableClass}[^"]*">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr[\s>]/g)].length;
};

/** The report page alone, on a router of its own, reading the given results and checks. */
async function render(results: AxeResults | null, manual: readonly ManualCheck[], lang: Lang = 'ja') {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('ctx', ctx);
    c.set('lang', lang);
    c.set('t', translator(lang));
    c.set('user', null);
    c.set('csrf', '');
    await next();
  });
  registerAccessibilityPages(new Router(app), { results: () => results, manual });
  const res = await app.request('http://kyodo.test/accessibility');
  expect(res.status).toBe(200);
  return res.text();
}

const page = (over: Partial<AxeResults['pages'][number]> = {}): AxeResults['pages'][number] => ({
  file: 'tests/e2e/x.test.ts',
  label: 'catalogue',
  path: '/trainings',
  title: '研修一覧 | Kyodo 協働研修',
  viewport: '1280x720',
  violations: [],
  passes: [],
  incomplete: [],
  ...over,
});
const fixture: AxeResults = {
  tool: 'axe-core 4.14.1',
  runs: { 'tests/e2e/x.test.ts': '2026-11-27', 'tests/e2e/y.test.ts': '2026-11-28' },
  rules: {
    'image-alt': { criteria: ['1.1.1'], help: 'Images must have alternative text' },
    'color-contrast': { criteria: ['1.4.3'], help: 'Elements must meet minimum color contrast ratio thresholds' },
    'video-caption': { criteria: ['1.2.2'], help: '<video> elements must have captions' },
    'html-has-lang': { criteria: ['3.1.1'], help: '<html> element must have a lang attribute' },
  },
  pages: [
    page({ passes: ['color-contrast', 'html-has-lang', 'image-alt'] }),
    page({ file: 'tests/e2e/y.test.ts', label: 'survey', path: '/surveys/3', title: 'アンケート | Kyodo 協働研修', viewport: '390x844', passes: ['html-has-lang'], violations: [{ rule: 'color-contrast', impact: 'serious', nodes: 2 }] }),
  ],
};

describe('the accessibility report page', () => {
  it('gives a result for every success criterion from the given results file, and counts that match it', async () => {
    const html = await render(fixture, [
      { criteria: ['2.4.7'], check: { ja: 'フォーカスの枠線を確認しました。', en: 'Focus outline checked.' }, by: 'browser-test', result: 'pass', date: '2026-11-29' },
      { criteria: ['1.2.1'], check: { ja: '音声・映像はありません。', en: 'No audio or video.' }, by: 'hand', result: 'na', date: '2026-11-29' },
    ]);
    expect(html).toContain('<title>ウェブアクセシビリティ試験結果 | Kyodo 協働研修</title>');
    expect(tableRows(html, 'accessibility-criteria')).toBe(SUCCESS_CRITERIA.length);
    expect(SUCCESS_CRITERIA.length).toBe(50);
    // A violation on one page makes its criterion 不適合, whatever passed elsewhere.
    expect(row(html, '1.4.3')).toContain('不適合');
    expect(row(html, '1.4.3')).toContain('color-contrast に違反（1ページ）');
    expect(row(html, '1.1.1')).toBe('1.1.1 非テキストコンテンツ A 適合 自動試験 自動試験の規則 1件に合格（1ページ）');
    // A rule that found nothing to check on any page: 適用なし.
    expect(row(html, '1.2.2')).toContain('適用なし');
    expect(row(html, '1.2.1')).toContain('適用なし');
    expect(row(html, '1.2.1')).toContain('確認 2：適用なし');
    expect(row(html, '2.4.7')).toBe('2.4.7 フォーカスの可視化 AA 適合 ブラウザ試験 確認 1：適合');
    // Each check is listed once, with what was checked, how, the result and the date; the criteria link to it.
    expect(html).toContain('<a href="#check-1">確認 1：適合</a>');
    expect(text(/<section aria-labelledby="check-1">([\s\S]*?)<\/section>/.exec(html)![1]!)).toBe('確認 1（2.4.7） フォーカスの枠線を確認しました。 確認方法 ブラウザ試験 結果 適合 確認日 令和8年11月29日');
    // Nothing checked it: 未確認, never 適合.
    expect(row(html, '4.1.1')).toContain('未確認');
    expect(row(html, '1.4.10')).toBe('1.4.10 リフロー WCAG 2.1 で追加・参考 AA 未確認 － 自動試験では判定できず、ほかの確認もまだ行っていません');
    const body = text(html);
    expect(body).toContain('適合 3件、不適合 1件、適用なし 2件、未確認 44件（適合レベル A 及び AA の 50件）');
    expect(body).toContain('満たしている適合レベル AA 一部準拠 適合レベル A 及び AA の達成基準のうち、不適合のもの又は確認できていないものがあるため、一部準拠としています。');
    expect(body).toContain('試験実施期間 令和8年11月27日～令和8年11月29日');
    expect(body).toContain('2件（2種類の URL。');
    // The pages tested, with their URL under the configured base URL and what axe found there.
    expect(tableRows(html, 'accessibility-pages')).toBe(fixture.pages.length);
    expect(body).toContain('アンケート | Kyodo 協働研修 https://kyodo.pref.example.jp/surveys/3 390×844 違反 2件');
    expect(body).toContain('研修一覧 | Kyodo 協働研修 https://kyodo.pref.example.jp/trainings 1280×720 問題なし');
  });

  it('claims 準拠 only when every JIS X 8341-3:2016 criterion is 適合 or 適用なし; WCAG 2.1 additions do not count', async () => {
    const jis = SUCCESS_CRITERIA.filter((c) => c.since === '2.0').map((c) => c.id);
    const all: ManualCheck = { criteria: jis, check: { ja: 'すべて確認しました。', en: 'All checked.' }, by: 'hand', result: 'pass', date: '2026-11-30' };
    const clean = { ...fixture, pages: fixture.pages.map((p) => ({ ...p, violations: [] })) };
    const full = text(await render(clean, [all]));
    expect(full).toContain('満たしている適合レベル AA 準拠 「準拠」及び');
    expect(full).not.toContain('一部準拠としています');
    expect(full).toContain('適合 38件、不適合 0件、適用なし 0件、未確認 12件');
    expect(text(await render(fixture, [all]))).toContain('AA 一部準拠');
  });

  it('reads in English too, and says so when there are no results yet', async () => {
    const en = text(await render(fixture, [], 'en'));
    expect(en).toContain('Web accessibility test results');
    expect(en).toContain('AA, partly conforming (一部準拠)');
    expect(en).toContain('1.4.3 Contrast (Minimum) AA Not met Automated test Failed the automated rule color-contrast (pages: 1)');
    expect(text(await render(null, []))).toContain('試験の結果はまだありません。');
  });
});

describe('the report in the app, from the results committed in the repository', () => {
  const file = join(import.meta.dirname, '..', '..', 'src', 'http', 'accessibility', 'axe-results.json');
  const committed = axeResultsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));

  it('is public, lists every page of the file and every criterion, with counts that add up', async () => {
    const agent = new Agent(appFor(ctx).app);
    const res = await agent.get('/accessibility');
    expect(res.status).toBe(200);
    const html = await res.text();
    // One row per URL and screen size of the file.
    expect(tableRows(html, 'accessibility-pages')).toBe(new Set(committed.pages.map((p) => `${p.path} ${p.viewport}`)).size);
    expect(tableRows(html, 'accessibility-criteria')).toBe(50);
    const verdicts = SUCCESS_CRITERIA.map((c) => / (?:A|AA) (適合|不適合|適用なし|未確認) /.exec(row(html, c.id)!)?.[1]);
    const n = (word: string) => verdicts.filter((v) => v === word).length;
    const summary = /適合 (\d+)件、不適合 (\d+)件、適用なし (\d+)件、未確認 (\d+)件/.exec(text(html))!;
    expect(summary.slice(1).map(Number)).toEqual([n('適合'), n('不適合'), n('適用なし'), n('未確認')]);
    expect(summary.slice(1).map(Number).reduce((a, b) => a + b)).toBe(50);
    // Each check by hand is shown with its date.
    for (const m of MANUAL_CHECKS) expect(text(html)).toContain(m.check.ja);
    // The English switch, as on every page.
    await agent.get('/lang/en?next=/accessibility');
    expect(text(await (await agent.get('/accessibility')).text())).toContain('Web accessibility test results');
  });

  it('is linked from the footer of every page', async () => {
    const app = appFor(ctx).app;
    for (const path of ['/login', '/accessibility', '/verify', '/no-such-page']) {
      const html = await (await app.request(`http://kyodo.test${path}`)).text();
      expect(/<footer[\s\S]*<a href="\/accessibility">ウェブアクセシビリティ試験結果<\/a>[\s\S]*<\/footer>/.test(html), path).toBe(true);
    }
  });
});
