import { type CompiledQuery, DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { apiTokenStatements } from '../../src/db/repositories/api-token.repository.js';
import { applicationStatements } from '../../src/db/repositories/application.repository.js';
import { gapStatements } from '../../src/db/repositories/gap.repository.js';
import { offeringRepository, offeringStatements } from '../../src/db/repositories/offering.repository.js';
import { outboxRepository } from '../../src/db/repositories/outbox.repository.js';
import { reportStatements } from '../../src/db/repositories/report.repository.js';
import type { Database } from '../../src/db/schema.js';

/**
 * SQL snapshots (as Immich keeps server/src/queries/*.sql): the report, gap and batch statements,
 * compiled by Kysely's PostgreSQL compiler (no database: nothing runs) and compared with the files in
 * src/db/queries/, so that a change to one of these statements shows as SQL in review. After changing
 * a statement on purpose, refresh the files with
 *   npx vitest run --project unit tests/db/query-snapshots.test.ts -u
 * and read the difference.
 */
const db = new Kysely<Database>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

type Statement = { compile(db: Kysely<Database>): CompiledQuery };

/** One statement as text: its name, its SQL (indentation of the source template removed) and its parameters. */
function entry(name: string, q: Statement): string {
  const { sql, parameters } = q.compile(db);
  const lines = sql.replace(/\s+$/gm, '').replace(/^\n+/, '').split('\n');
  // A leading `/* prepared */` mark (src/db/prepared.ts) sits on the template's first line, unindented.
  const indent = Math.min(...lines.filter((l) => l.trim() && !l.startsWith('/*')).map((l) => l.match(/^ */)![0].length));
  const body = lines.map((l) => (l.startsWith('/*') ? l.trimEnd() : l.slice(indent))).join('\n');
  const literal = (p: unknown) => (p instanceof Date ? `'${p.toISOString()}'` : typeof p === 'string' ? `'${p}'` : JSON.stringify(p));
  const params = parameters.map((p, i) => `--   $${i + 1} = ${literal(p)}`);
  return [`-- ${name}`, body + ';', ...(params.length ? ['-- parameters:', ...params] : [])].join('\n');
}

function file(repository: string, entries: string[]): string {
  return [
    `-- The SQL of src/db/repositories/${repository}.ts, as Kysely compiles it for PostgreSQL.`,
    '-- Written by tests/db/query-snapshots.test.ts (do not edit by hand). After changing a statement, refresh with',
    '--   npx vitest run --project unit tests/db/query-snapshots.test.ts -u',
    '-- and review the difference with the change.',
    '',
    entries.join('\n\n'),
    '',
  ].join('\n');
}

const from = new Date('2025-03-31T15:00:00Z');
const to = new Date('2026-03-31T15:00:00Z');
const now = new Date('2025-10-01T03:00:00Z');

describe('SQL snapshots (src/db/queries)', () => {
  it('report.repository', async () => {
    const s = reportStatements;
    const text = file('report.repository', [
      entry('sessionsOfYear(2025年度)', s.sessionsOfYear(from, to)),
      entry('participants([11, 12, 13])', s.participants([11, 12, 13])),
      entry('participants([]): no session', s.participants([])),
      entry('programmeYear([2, 3], 2025)', s.programmeYear([2, 3], 2025, '2025-04-01', '2026-03-31')),
      entry('yearCounts(2025)', s.yearCounts(2025, '2025-04-01', '2026-03-31')),
      entry('coordinators(2025, as of 2025-10-01)', s.coordinators('2025-04-01', '2026-03-31', '2025-10-01')),
      entry('postSessionScores(2025年度)', s.postSessionScores(from, to, ['satisfaction', 'understanding', 'usefulness'])),
      entry('competencyChange(2025)', s.competencyChange(2025)),
      entry('coverage(2025-10-01)', s.coverage('2025-10-01', now)),
      entry('firstFiscalYear', s.firstFiscalYear(db)),
      entry('publicSchedule', s.publicSchedule(db, now)),
      // The stored yearly figures (decision 0022): read, write, and the live figures read beside them.
      entry('storedFigures(fy:2024, fy:2025)', s.storedFigures(['fy'], [2024, 2025], now)),
      entry('storeFigures(one year)', s.storeFigures([{ key: 'fy', fy: 2025, figures: { participants: 3 } }], '123', now)),
      entry('coordinatorsByYear(2025)', s.coordinatorsByYear([{ fy: 2025, start: '2025-04-01', end: '2026-03-31', asOf: '2025-10-01' }])),
      entry('consultationsByYear(2025年度)', s.consultationsByYear(from, to)),
      entry('coursesAmong([2, 3])', s.coursesAmong([2, 3])),
      entry('storedKpis(kpis, 2024–2025)', s.storedKpis('kpis/2', [2024, 2025], now)),
      // What the plan sheet reads beside the stored figures (hosts alone of the field trainings).
      entry("gapPart('hosts', 2025年度)", s.gapPart('hosts', { fy: 2025, from, to, windowFrom: from, asOf: '2025-10-01', now, items: [] })),
    ]);
    await expect(text).toMatchFileSnapshot('../../src/db/queries/report.repository.sql');
  });

  it('gap.repository', async () => {
    const s = gapStatements;
    const text = file('gap.repository', [
      entry('pairScores(2025)', s.pairScores(2025, ['roles', 'sites', 'consensus', 'facilitation', 'evaluation'])),
      entry('fieldTrainings(2025年度)', s.fieldTrainings(from, to, now)),
      entry('reach(2025年度)', s.reach(from, to, now)),
      entry('activeCoordinators(2025-10-01)', s.activeCoordinators('2025-10-01')),
      entry('consultationsServed(2025年度)', s.consultationsServed(from, to)),
      entry('municipalities(2025年度)', s.municipalities(from, to)),
      entry('departments', s.departments(db)),
    ]);
    await expect(text).toMatchFileSnapshot('../../src/db/queries/gap.repository.sql');
  });

  it('application.repository (a group of applications: read in one statement, written in one)', async () => {
    const app = {
      id: 101,
      offering_id: 7,
      person_id: 42,
      status: 'confirmed' as const,
      seat_group: 'prefecture' as const,
      answers: { q1: '回答' },
      answers_pending: false,
      applied_at: now,
      applied_by: 42,
      endorsed_at: null,
      endorsed_by: null,
      endorse_comment: null,
      decided_at: now,
      waitlist_order: null,
      lottery_rank: null,
      cancelled_at: null,
      cancel_reason: null,
      participant_code: 'ABC123',
      updated_at: now,
    };
    const text = file('application.repository', [
      entry('batchState(offering 7, people [42, 43], 2 ids)', applicationStatements.batchState(7, [42, 43], 2)),
      entry('endorsers(people [42, 43]): only for an offering that needs endorsement', applicationStatements.endorsers([42, 43])),
      entry(
        'the batch write (groupWrite): applications, their audit entries (read from the same rows) and notices, guarded by the seat version',
        applicationStatements.groupWrite(
          [app],
          { at: now },
          outboxRepository.insertion([{ to: 'a@example.jp', subject: '申込みを受け付けました', body: '本文', now }]),
          offeringRepository.seatGuard(7, 3),
        ),
      ),
      entry('the batch write under the offering’s lock (no guard)', applicationStatements.groupWrite([app], { at: now }, outboxRepository.insertion([]))),
    ]);
    await expect(text).toMatchFileSnapshot('../../src/db/queries/application.repository.sql');
  });
  it('offering.repository', async () => {
    const text = file('offering.repository', [
      entry('catalogue(2026年度)', offeringStatements.catalogue(2026)),
      entry('catalogue(2026年度, programme 3)', offeringStatements.catalogue(2026, 3)),
    ]);
    await expect(text).toMatchFileSnapshot('../../src/db/queries/offering.repository.sql');
  });

  it('api-token.repository', async () => {
    const text = file('api-token.repository', [
      entry('findActiveByHashes(two tokens arriving together)', apiTokenStatements.findActiveByHashes(['aa11', 'bb22'], now, new Date(now.getTime() - 60_000))),
    ]);
    await expect(text).toMatchFileSnapshot('../../src/db/queries/api-token.repository.sql');
  });
});
