import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../src/config/index.js';
import { kyselyOnPglite, kyselyOnPostgres, pgliteExtensions, pgliteParsers } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PGlite: a migrated data directory dumped to a file; each test file loads its own copy. */
    pgliteSnapshot: string;
    /** PostgreSQL: the server URL and a migrated template database; each test file gets a copy. */
    databaseUrl: string;
    pgTemplate: string;
  }
}

export function databaseUrlFor(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Migrates once per run, on the database the suite runs against (DATABASE_URL set → PostgreSQL). */
export default async function setup(project: TestProject) {
  const { databaseUrl } = loadConfig();
  if (databaseUrl) {
    const template = `kyodo_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
    const { db } = kyselyOnPostgres(databaseUrlFor(databaseUrl, template), 2);
    await migrateToLatest(db);
    await db.destroy();
    project.provide('databaseUrl', databaseUrl);
    project.provide('pgTemplate', template);
    project.provide('pgliteSnapshot', '');
    return async () => {
      // Test databases made from the template are dropped by their files; drop the template last.
      const leftovers = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'kyodo_t\\_${process.pid}\\_%' OR datname = $1`, [template]);
      for (const r of leftovers.rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
      await admin.end();
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'kyodo-test-'));
  const pglite = await PGlite.create({ parsers: pgliteParsers, extensions: pgliteExtensions() });
  const db = kyselyOnPglite(pglite);
  await migrateToLatest(db);
  const dump = await pglite.dumpDataDir('none');
  const file = join(dir, 'migrated.tar');
  writeFileSync(file, new Uint8Array(await dump.arrayBuffer()));
  await db.destroy();
  if (!pglite.closed) await pglite.close();
  project.provide('pgliteSnapshot', file);
  project.provide('databaseUrl', '');
  project.provide('pgTemplate', '');
  return () => rmSync(dir, { recursive: true, force: true });
}
