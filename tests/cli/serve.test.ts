import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';

const bin = new URL('../../bin/kyodo.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'kyodo-serve-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function serve(): Promise<{ child: ChildProcess; url?: string; output: string; code?: number | null }> {
  const env = { ...process.env, KYODO_DATA_DIR: dir, PORT: '0', DATABASE_URL: '' };
  const child = spawn(process.execPath, [bin, 'serve'], { env });
  children.push(child);
  let output = '';
  return new Promise((resolve) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = output.match(/running at (http:\/\/[\d.:]+)/);
      if (m) resolve({ child, url: m[1], output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => resolve({ child, output, code }));
  });
}

// The embedded database is what `npm start` uses; this runs on the PGlite pass only.
describe.runIf(!inject('databaseUrl'))('kyodo serve on PGlite', () => {
  it('starts, sends the first visit to setup, refuses a second process on the same data, and restarts after kill -9', async () => {
    const first = await serve();
    expect(first.url).toBeDefined();
    const res = await fetch(`${first.url}/`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/setup');
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);

    const second = await serve();
    expect(second.url).toBeUndefined();
    expect(second.code).not.toBe(0);
    expect(second.output).toContain('is in use by another Kyodo process');
    expect(second.output).toContain(dir);

    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const third = await serve();
    expect(third.url).toBeDefined();
    expect((await fetch(`${third.url}/healthz`)).status).toBe(200);
    third.child.kill('SIGTERM');
    await new Promise((r) => third.child.once('exit', r));
  }, 120_000);
});
