import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { PASSWORD } from '../support/http.js';
import { TEST_SURVEY_MIN_ANSWERS } from '../support/db.js';
import { readMail, startSmtp } from '../support/smtp.js';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const axeVersion = (JSON.parse(readFileSync(require.resolve('axe-core/package.json'), 'utf8')) as { version: string }).version;

/** Debian's Chromium, headless, with no connection attempts outside this machine. */
export function launch(): Promise<Browser> {
  const executablePath = process.env.KYODO_CHROMIUM || '/usr/bin/chromium';
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Runs axe-core (served from node_modules, not a CDN) against WCAG 2.0/2.1 A and AA; fails on any violation. */
export async function expectAccessible(page: Page, label: string) {
  // Evaluated through the DevTools protocol: the page's CSP (no inline script) stays in force.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    type Rule = { id: string; help: string; impact?: string | null; tags: string[]; nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: Rule[]; passes: Rule[]; incomplete: Rule[]; inapplicable: Rule[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    const brief = (list: Rule[]) => list.map((v) => ({ id: v.id, help: v.help, impact: v.impact ?? null, tags: v.tags, nodes: v.nodes.map((n) => n.target.join(' ')) }));
    return { violations: brief(r.violations), passes: brief(r.passes), incomplete: brief(r.incomplete), inapplicable: brief(r.inapplicable) };
  });
  record(page, label, result, await page.title());
  expect(
    result.violations.map((v) => `${v.id}: ${v.help} @ ${v.nodes.join(', ')}`),
    `axe violations on ${label}`,
  ).toEqual([]);
}

// --- Recording for the accessibility report (/accessibility, issue 20 §5) ---------------------------------
// With KYODO_AXE_RECORD=1, every axe run of a test file is kept and, when the file ends, written into
// src/http/accessibility/axe-results.json: that file's earlier entries are replaced, the others kept, all sorted,
// and the only time in it is each test file's run date (Asia/Tokyo). The committed file comes from a full run:
//   KYODO_AXE_RECORD=1 KYODO_CHROMIUM=/usr/bin/chromium npx vitest run --project e2e
type AxeRule = { id: string; help: string; impact: string | null; tags: string[]; nodes: string[] };
type AxeRun = Record<'violations' | 'passes' | 'incomplete' | 'inapplicable', AxeRule[]>;
const recording = process.env.KYODO_AXE_RECORD === '1';
export const axeResultsFile = join(process.cwd(), 'src', 'http', 'accessibility', 'axe-results.json');
const recorded: AxeResultsPage[] = [];
const rulesSeen = new Map<string, { criteria: string[]; help: string }>();
let testFile: string | null = null;

/** axe's tags name WCAG success criteria as wcag111, wcag1410: principle, guideline, criterion. */
const criteriaOf = (tags: string[]) =>
  tags
    .map((t) => /^wcag(\d)(\d)(\d+)$/.exec(t))
    .filter((m) => m !== null)
    .map((m) => `${m[1]}.${m[2]}.${m[3]}`);

function record(page: Page, label: string, run: AxeRun, title: string) {
  if (!recording) return;
  testFile ??= relative(process.cwd(), expect.getState().testPath ?? 'unknown').split(sep).join('/');
  for (const r of [...run.violations, ...run.passes, ...run.incomplete, ...run.inapplicable]) rulesSeen.set(r.id, { criteria: criteriaOf(r.tags), help: r.help });
  const url = new URL(page.url());
  const size = page.viewportSize();
  const entry: AxeResultsPage = {
    file: testFile,
    label,
    path: url.pathname + url.search,
    title,
    viewport: size ? `${size.width}x${size.height}` : 'default',
    violations: run.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.length })).sort((a, b) => cmp(a.rule, b.rule)),
    passes: run.passes.map((v) => v.id).sort(cmp),
    incomplete: run.incomplete.map((v) => v.id).sort(cmp),
  };
  // The same page checked twice under one label (a loop, a retry) keeps one entry: the last.
  const same = recorded.findIndex((p) => p.label === entry.label && p.path === entry.path && p.viewport === entry.viewport);
  if (same >= 0) recorded.splice(same, 1);
  recorded.push(entry);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** What the report page reads (src/http/accessibility/axe-results.json). */
export interface AxeResultsPage {
  file: string;
  label: string;
  path: string;
  title: string;
  viewport: string;
  violations: { rule: string; impact: string | null; nodes: number }[];
  passes: string[];
  incomplete: string[];
}
interface AxeResults {
  tool: string;
  runs: Record<string, string>;
  rules: Record<string, { criteria: string[]; help: string }>;
  pages: AxeResultsPage[];
}

afterAll(() => {
  if (!recording || !testFile) return;
  const previous: AxeResults = existsSync(axeResultsFile) ? JSON.parse(readFileSync(axeResultsFile, 'utf8')) : { tool: '', runs: {}, rules: {}, pages: [] };
  // Entries of test files that no longer exist go too.
  const alive = (f: string) => f !== testFile && existsSync(join(process.cwd(), f));
  const date = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date());
  const runs = { ...Object.fromEntries(Object.entries(previous.runs).filter(([f]) => alive(f))), [testFile]: date };
  const rules = new Map(Object.entries(previous.rules));
  for (const [id, r] of rulesSeen) rules.set(id, r);
  const pages = [...previous.pages.filter((p) => alive(p.file)), ...recorded].sort((a, b) => cmp(a.file, b.file) || cmp(a.path, b.path) || cmp(a.viewport, b.viewport) || cmp(a.label, b.label));
  const sorted = <T>(m: Iterable<[string, T]>) => Object.fromEntries([...m].sort(([a], [b]) => cmp(a, b)));
  const out: AxeResults = { tool: `axe-core ${axeVersion}`, runs: sorted(Object.entries(runs)), rules: sorted(rules), pages };
  // One rule and one page a line, so that a change reads as a small diff.
  const lines = (entries: string[]) => entries.map((e) => `  ${e}`).join(',\n');
  const json = [
    '{',
    `"tool": ${JSON.stringify(out.tool)},`,
    `"runs": ${JSON.stringify(out.runs)},`,
    `"rules": {\n${lines(Object.entries(out.rules).map(([id, r]) => `${JSON.stringify(id)}: ${JSON.stringify(r)}`))}\n},`,
    `"pages": [\n${lines(out.pages.map((p) => JSON.stringify(p)))}\n]`,
    '}',
  ].join('\n');
  // Written whole or not at all (a test run stopped half-way leaves the previous file).
  writeFileSync(`${axeResultsFile}.tmp`, `${json}\n`);
  renameSync(`${axeResultsFile}.tmp`, axeResultsFile);
});

export const artifacts = join(process.cwd(), '.test-artifacts');
mkdirSync(artifacts, { recursive: true });

export interface E2e {
  server: RunningServer;
  browser: Browser;
  smtp: Awaited<ReturnType<typeof startSmtp>> | null;
  dataDir: string;
}

/** A real Kyodo server on PGlite in a fresh data directory, Chromium, and optionally a real SMTP listener. */
export function useE2e(opts: { smtp?: boolean } = {}): E2e {
  const e = {} as E2e;
  beforeAll(async () => {
    e.dataDir = mkdtempSync(join(tmpdir(), 'kyodo-e2e-'));
    e.smtp = opts.smtp ? await startSmtp() : null;
    e.server = await startServer(
      loadConfig({ KYODO_DATA_DIR: e.dataDir, PORT: '0', LOG_LEVEL: 'silent' }, { databaseUrl: null, smtpUrl: e.smtp?.url ?? null, outboxIntervalMs: 200, surveyMinAnswers: TEST_SURVEY_MIN_ANSWERS }),
      () => {},
    );
    e.browser = await launch();
  });
  afterAll(async () => {
    await e.browser?.close();
    await e.server?.stop();
    await e.smtp?.stop();
    if (e.dataDir) rmSync(e.dataDir, { recursive: true, force: true });
  });
  return e;
}

export async function login(page: Page, baseUrl: string, email: string, password = PASSWORD) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('メールアドレス').fill(email);
  await page.locator('#f-password').fill(password);
  await page.getByRole('button', { name: 'ログインする' }).click();
}

export const logout = (page: Page) => page.getByRole('button', { name: 'ログアウト' }).click();

/** Waits for a mail to `to` whose subject contains `subject`, as received by the SMTP listener. */
export async function waitForMail(smtp: NonNullable<E2e['smtp']>, to: string, subject: string, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    for (const m of smtp.mails.filter((x) => x.to.includes(to))) {
      const parsed = await readMail(m.raw);
      if (parsed.subject.includes(subject)) return parsed;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail "${subject}" to ${to}`);
}
