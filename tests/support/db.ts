import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config/index.js';
import { type Db, kyselyOnPglite, kyselyOnPostgres, pgliteExtensions, pgliteParsers } from '../../src/db/database.js';
import type { AppContext } from '../../src/services/context.js';
import { databaseUrlFor } from './global-setup.js';

export interface TestDb {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** For PostgreSQL: the URL of this test's own database (to start a second connection or process). */
  url: string | null;
  close(): Promise<void>;
}

let counter = 0;
let snapshot: Blob | null = null;

/** A fresh, migrated database for one test file: a PGlite copy of the snapshot, or a PostgreSQL copy of the template. */
export async function createTestDb(): Promise<TestDb> {
  const serverUrl = inject('databaseUrl');
  if (serverUrl) {
    const name = `kyodo_t_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
    await admin.end();
    const url = databaseUrlFor(serverUrl, name);
    const { db } = kyselyOnPostgres(url, 5);
    return {
      db,
      kind: 'postgres',
      url,
      close: async () => {
        await db.destroy();
        const a = new pg.Client({ connectionString: serverUrl });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
  }
  snapshot ??= new Blob([readFileSync(inject('pgliteSnapshot'))]);
  const pglite = await PGlite.create({ loadDataDir: snapshot, parsers: pgliteParsers, extensions: pgliteExtensions() });
  const db = kyselyOnPglite(pglite);
  return {
    db,
    kind: 'pglite',
    url: null,
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

/** A controllable clock for tests. */
export class TestClock {
  constructor(public current = new Date('2026-11-24T01:00:00Z')) {}
  now = () => new Date(this.current);
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** scrypt cost in tests: 2^10 instead of production's 2^15, so that login tests do not depend on the machine's speed (tests/lib/crypto.test.ts checks production's). */
export const TEST_PASSWORD_HASH_N = 1024;
/** The key that seals pooled anonymous answers in tests (never the data directory's key file). */
export const TEST_ANSWER_KEY = randomBytes(32).toString('base64');
/**
 * Most tests look at one or two answers: with a minimum of 1, an anonymous answer is written (as a batch
 * of one) and shown at once. The batching itself is tested with the production minimum of 5
 * (tests/services/anonymous-answers.test.ts).
 */
export const TEST_SURVEY_MIN_ANSWERS = 1;

export function testConfig(overrides: Partial<Config> = {}): Config {
  return loadConfig(
    { KYODO_DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent' },
    { databaseUrl: null, smtpUrl: null, baseUrl: 'http://kyodo.test', passwordHashN: TEST_PASSWORD_HASH_N, answerKey: TEST_ANSWER_KEY, surveyMinAnswers: TEST_SURVEY_MIN_ANSWERS, ...overrides },
  );
}

export function testContext(t: TestDb, opts: { clock?: TestClock; config?: Partial<Config> } = {}): AppContext & { clock: TestClock; kicks: number } {
  const clock = opts.clock ?? new TestClock();
  const ctx = {
    db: t.db,
    dbKind: t.kind,
    config: testConfig(opts.config),
    now: clock.now,
    clock,
    kicks: 0,
    kickOutbox: () => {
      ctx.kicks++;
    },
  };
  return ctx;
}
