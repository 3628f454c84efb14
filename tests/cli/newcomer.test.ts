import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personRepository } from '../../src/db/repositories/person.repository.js';
import { verifyPassword } from '../../src/lib/crypto.js';
import { bin, exitOf, makeStore, serve, type Store } from './helpers.js';

/** Issue 16 §5: `kyodo sample-data` prints a sign-in per role; `kyodo user set-password` reads the password from standard input. */
const dir = mkdtempSync(join(tmpdir(), 'kyodo-newcomer-'));
const children: ChildProcess[] = [];
let store: Store;

beforeAll(async () => {
  store = await makeStore(join(dir, 'data'));
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `kyodo …` with `input` on its standard input. */
function kyodo(input: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { env: store.env });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(input);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Logs in to a running server as a browser would (CSRF cookie and field); returns the status. */
async function httpLogin(url: string, email: string, password: string): Promise<number> {
  const first = await fetch(`${url}/login`);
  const csrf = first.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('kyodo_csrf='))!;
  const res = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: csrf },
    body: new URLSearchParams({ _csrf: csrf.slice('kyodo_csrf='.length), email, password }),
  });
  return res.status;
}

async function passwordWorks(email: string, password: string): Promise<boolean> {
  return store.withDb(async (ctx) => verifyPassword(password, (await personRepository.findByEmail(ctx.db, email))!.password_hash!));
}

describe('kyodo sample-data and kyodo user set-password', () => {
  it('prints one sign-in per role and one password; sets a password from standard input, also while the server runs (PostgreSQL) or says the server holds the data (PGlite)', async () => {
    const help = await kyodo('', 'help');
    expect(help.stdout).toContain('user set-password --email E');

    const sample = await kyodo('', 'sample-data');
    expect(sample.code).toBe(0);
    expect(sample.stdout).toContain('loaded 51 units, 200 people, 4 programmes');
    const password = sample.stdout.match(/共通パスワード: ([a-z]{4}-\d{4}-[a-z]{4})\)/)![1];
    const lines = sample.stdout.split('\n').filter((l) => /^ {2}\S+@\S+/.test(l));
    expect(lines).toHaveLength(6);
    for (const role of ['研修担当（管理者）', '所属長（推薦・承認）', '県の職員（受講者）', '市町の職員（受講者）', '協働コーディネーター', '協働相手の団体の担当者']) expect(sample.stdout).toContain(role);
    expect(lines[0]).toContain('kenshu.admin@pref.example.jp');
    expect(lines[5]).toMatch(/@partner\.example\.jp/);
    const staff = lines[2].trim().split(/\s+/)[0];
    expect(await passwordWorks(staff, password)).toBe(true);
    // A second run loads nothing and prints no sign-ins.
    const again = await kyodo('', 'sample-data');
    expect(again.stdout).toContain('units already exist');
    expect(again.stdout).not.toContain('共通パスワード');

    // Bad input: the field is named and nothing changes.
    const weak = await kyodo('short\n', 'user', 'set-password', '--email', staff);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('password: パスワードは12文字以上で、英字と数字を含めてください。');
    const nobody = await kyodo('a-long-password-2027\n', 'user', 'set-password', '--email', 'nobody@pref.example.jp');
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('email: このメールアドレスの人は登録されていません。');
    const usage = await kyodo('', 'user', 'set-password');
    expect(usage.code).toBe(2);
    expect(await passwordWorks(staff, password)).toBe(true);

    const server = await serve(store.env, children);
    try {
      const fresh = 'while-running-2027';
      const set = await kyodo(`${fresh}\n`, 'user', 'set-password', '--email', staff);
      if (store.kind === 'postgres') {
        expect(set.code, set.stderr).toBe(0);
        expect(set.stdout).toContain(`password set for <${staff}>`);
        expect(await httpLogin(server.url, staff, fresh)).toBe(303);
        expect(await httpLogin(server.url, staff, password)).toBe(401);
      } else {
        expect(set.code).toBe(3);
        expect(set.stderr).toContain(`The Kyodo server (pid ${server.child.pid}) holds the PGlite data directory`);
        expect(set.stderr).toContain('Stop kyodo serve, run this command again');
        expect(set.stderr).toContain('サーバーの実行中はパスワードを設定できません');
        expect(await httpLogin(server.url, staff, password)).toBe(303);
      }
    } finally {
      server.child.kill('SIGTERM');
      await exitOf(server);
    }
    if (store.kind === 'pglite') {
      const later = 'after-stopping-2027';
      const set = await kyodo(`${later}\r\n`, 'user', 'set-password', '--email', staff.toUpperCase());
      expect(set.code, set.stderr).toBe(0);
      expect(await passwordWorks(staff, later)).toBe(true);
      expect(await passwordWorks(staff, password)).toBe(false);
    }
  }, 300_000);
});
