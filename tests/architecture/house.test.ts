import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The house rules of issue 19, checked on every run: they hold because a test says so, not because
 * someone remembered. Each failure names the file.
 */
const root = join(import.meta.dirname, '..', '..');
const src = join(root, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(name) ? [p] : [];
  });
}
const rel = (p: string) => relative(root, p);
const imports = (p: string) => [...readFileSync(p, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g)].map((m) => m[1]!);
const resolveImport = (from: string, spec: string) => (spec.startsWith('.') ? join(from, '..', spec) : spec);

describe('the house (issue 19)', () => {
  it('no file in src/http is over 400 lines', () => {
    const long = files(join(src, 'http'))
      .map((p) => [rel(p), readFileSync(p, 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 400);
    expect(long).toEqual([]);
  });

  it('src/services holds no SQL: no sql template and no query builder calls', () => {
    const withSql = files(join(src, 'services')).filter((p) => /\bsql`|\.(selectFrom|insertInto|updateTable|deleteFrom)\(/.test(readFileSync(p, 'utf8')));
    expect(withSql.map(rel)).toEqual([]);
  });

  it('migrations import nothing but kysely: what they did is frozen in them', () => {
    const bad = files(join(src, 'db', 'migrations')).flatMap((p) => imports(p).filter((i) => i !== 'kysely').map((i) => `${rel(p)} → ${i}`));
    expect(bad).toEqual([]);
  });

  it('src/domain imports nothing outside src/domain', () => {
    const domain = join(src, 'domain');
    const bad = files(domain).flatMap((p) =>
      imports(p)
        .filter((i) => i.startsWith('.') && !resolveImport(p, i).startsWith(domain))
        .map((i) => `${rel(p)} → ${i}`),
    );
    expect(bad).toEqual([]);
  });

  it('services never import http, and repositories never import services or http', () => {
    const bad = [
      ...files(join(src, 'services')).flatMap((p) => imports(p).filter((i) => resolveImport(p, i).startsWith(join(src, 'http'))).map((i) => `${rel(p)} → ${i}`)),
      ...files(join(src, 'db')).flatMap((p) =>
        imports(p)
          .filter((i) => [join(src, 'http'), join(src, 'services')].some((d) => resolveImport(p, i).startsWith(d)))
          .map((i) => `${rel(p)} → ${i}`),
      ),
    ];
    expect(bad).toEqual([]);
  });

  it('only src/config reads environment variables', () => {
    const bad = files(src)
      .filter((p) => !p.startsWith(join(src, 'config')) && /process\.env\b/.test(readFileSync(p, 'utf8')))
      .map(rel);
    expect(bad).toEqual([]);
  });

  it('file names are kebab-case', () => {
    const bad = files(src)
      .map(rel)
      .filter((p) => !/^[a-z0-9.\-/]+$/.test(p.replace(/\d{8}T\d{4}/, '')));
    expect(bad).toEqual([]);
  });
});
