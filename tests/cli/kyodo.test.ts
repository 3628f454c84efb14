import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useCliEnv } from './helpers.js';

const run = promisify(execFile);
const bin = new URL('../../bin/kyodo.mjs', import.meta.url).pathname;

const cli = useCliEnv('kyodo-cli-');

async function kyodo(...args: string[]) {
  try {
    const r = await run(process.execPath, [bin, ...args], { env: cli.env, timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('kyodo CLI', () => {
  it('documents every command in --help', async () => {
    const r = await kyodo('--help');
    expect(r.code).toBe(0);
    for (const c of ['serve', 'migrate', 'user create', 'token create', 'import units', 'import people', 'sample-data']) expect(r.stdout).toContain(c);
  });

  it('migrates, creates an admin, prints a token, imports units and people (all or nothing) and loads sample data', async () => {
    expect((await kyodo('migrate')).code).toBe(0);
    const weak = await kyodo('user', 'create', '--email', 'cli@pref.example.jp', '--password', 'short', '--name', 'CLI 管理', '--kana', 'シーエルアイ カンリ', '--role', 'admin');
    expect(weak.code).not.toBe(0);
    expect(weak.stderr).toContain('--password');
    const user = await kyodo('user', 'create', '--email', 'cli@pref.example.jp', '--password', 'cli-password-2026', '--name', 'CLI 管理', '--kana', 'シーエルアイ カンリ', '--role', 'admin');
    expect(user.stdout).toContain('roles: admin, staff');
    const dup = await kyodo('user', 'create', '--email', 'CLI@pref.example.jp', '--password', 'cli-password-2026', '--name', 'x', '--kana', 'エックス');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('このメールアドレスはすでに登録されています。');
    const token = await kyodo('token', 'create', '--email', 'cli@pref.example.jp');
    expect(token.stdout.trim()).toMatch(/^kyodo_[\w-]{40,}$/);

    writeFileSync(join(cli.dir, 'units.csv'), '種別,組織名,フリガナ,上位組織,団体コード\n部局,総務部,ソウムブ,,\n課・室,人事課,ジンジカ,総務部,\n');
    const units = await kyodo('import', 'units', join(cli.dir, 'units.csv'));
    expect(units.stdout).toContain('imported 2 rows');
    writeFileSync(join(cli.dir, 'bad.csv'), '氏名,フリガナ,メールアドレス,所属,所属区分\n山田 花子,ヤマダ ハナコ,hanako@pref.example.jp,人事課,県\n田中 一,Tanaka,tanaka@pref.example.jp,人事課,県\n');
    const bad = await kyodo('import', 'people', join(cli.dir, 'bad.csv'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('line 3 [kana]: フリガナはカタカナまたはひらがなで入力してください。');
    expect(bad.stderr).toContain('nothing imported');
    const sample = await kyodo('sample-data');
    expect(sample.stdout).toContain('units already exist');
  }, 180_000);
});
