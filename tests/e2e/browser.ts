import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { PASSWORD } from '../support/http.js';
import { TEST_SURVEY_MIN_ANSWERS } from '../support/db.js';
import { readMail, startSmtp } from '../support/smtp.js';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

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
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.help} @ ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  expect(result, `axe violations on ${label}`).toEqual([]);
}


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
