import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { kyodo } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'kyodo-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

describe('configuration is checked at start', () => {
  it('accepts the defaults and a complete, valid environment', () => {
    expect(problems({})).toEqual([]);
    const c = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      KYODO_BASE_URL: 'https://kyodo.pref.example.jp/',
      DATABASE_URL: 'postgresql://kyodo:s%40cret@db.internal:5432/kyodo?sslmode=require',
      SMTP_URL: 'smtps://user:pass@mail.pref.example.jp:465',
      MAIL_FROM: '協働研修 <kyodo@pref.example.jp>',
      LOG_LEVEL: 'warn',
      KYODO_SHUTDOWN_TIMEOUT_MS: '20000',
      KYODO_PREFECTURE_CODE: '250007',
    });
    expect(c).toMatchObject({ port: 8080, host: '0.0.0.0', baseUrl: 'https://kyodo.pref.example.jp', secureCookies: true, logLevel: 'warn', shutdownTimeoutMs: 20000 });
    expect(c.databaseUrl).toContain('db.internal');
    expect(c.databasePreparedStatements).toBe(true);
    expect(loadConfig({ KYODO_DB_PREPARED_STATEMENTS: 'off' }).databasePreparedStatements).toBe(false);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ KYODO_BASE_URL: 'kyodo.pref.example.jp' }, 'KYODO_BASE_URL'],
    [{ KYODO_BASE_URL: 'ftp://kyodo.pref.example.jp' }, 'KYODO_BASE_URL'],
    [{ DATABASE_URL: 'mysql://db/kyodo' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'db.internal:5432' }, 'DATABASE_URL'],
    [{ SMTP_URL: 'mail.pref.example.jp:25' }, 'SMTP_URL'],
    [{ SMTP_URL: 'http://mail.pref.example.jp' }, 'SMTP_URL'],
    [{ MAIL_FROM: 'not an address' }, 'MAIL_FROM'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'],
    [{ KYODO_SECURE_COOKIES: 'yes' }, 'KYODO_SECURE_COOKIES'],
    [{ KYODO_SESSION_IDLE_MINUTES: '0' }, 'KYODO_SESSION_IDLE_MINUTES'],
    [{ KYODO_OUTBOX_INTERVAL_MS: '1.5' }, 'KYODO_OUTBOX_INTERVAL_MS'],
    [{ KYODO_PREFECTURE_CODE: '25' }, 'KYODO_PREFECTURE_CODE'],
    [{ KYODO_DB_PREPARED_STATEMENTS: 'no' }, 'KYODO_DB_PREPARED_STATEMENTS'],
  ] as [NodeJS.ProcessEnv, string][])('%o is refused, naming %s', (env, name) => {
    const p = problems(env);
    expect(p).toHaveLength(1);
    expect(p[0].startsWith(`${name} `)).toBe(true);
  });

  it('reports every problem at once, and never repeats a password', () => {
    const p = problems({ PORT: 'abc', DATABASE_URL: 'mysql://kyodo:hunter2@db/kyodo', KYODO_BASE_URL: 'ftp://x', SMTP_URL: 'smtp//user:pw@mail' });
    expect(p.map((x) => x.split(' ')[0])).toEqual(['PORT', 'KYODO_BASE_URL', 'DATABASE_URL', 'SMTP_URL']);
    expect(p.join('\n')).not.toContain('hunter2');
    expect(p.join('\n')).toContain('mysql://kyodo:***@db/kyodo');
  });

  it('kyodo serve exits non-zero before opening anything, printing each problem with its variable and no stack trace', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KYODO_DATA_DIR: join(dir, 'data'),
      PORT: 'abc',
      DATABASE_URL: 'mysql://kyodo:hunter2@db/kyodo',
      KYODO_BASE_URL: 'kyodo.example',
      SMTP_URL: 'mail.example:25',
    };
    const r = await kyodo(env, 'serve');
    expect(r.code).toBe(78);
    for (const name of ['PORT', 'DATABASE_URL', 'KYODO_BASE_URL', 'SMTP_URL']) expect(r.stderr).toMatch(new RegExp(`^  - ${name} must `, 'm'));
    expect(r.stderr).toContain('Configuration problems:');
    expect(r.stderr).toContain('See README.md (Configuration)');
    expect(r.stderr).not.toContain('hunter2');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).not.toContain('running at');
    // Nothing was created: the check comes before the database is opened.
    expect(existsSync(join(dir, 'data'))).toBe(false);
  }, 60_000);
});
