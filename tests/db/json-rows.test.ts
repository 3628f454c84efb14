import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ColumnType, insertJsonRows, insertTogether, jsonInsert } from '../../src/db/json-rows.js';
import { offeringRepository } from '../../src/db/repositories/offering.repository.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeOffering } from '../support/offerings.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
});
afterAll(() => tdb.close());

const OUTBOX: Record<string, ColumnType> = {
  to_address: 'text',
  subject: 'text',
  body_text: 'text',
  status: 'text',
  next_attempt_at: 'timestamptz',
  created_at: 'timestamptz',
};
const AUDIT: Record<string, ColumnType> = {
  at: 'timestamptz',
  actor_id: 'integer',
  action: 'text',
  entity: 'text',
  entity_id: 'text',
  before: 'jsonb',
  after: 'jsonb',
};

interface Mail {
  to_address: string;
  subject: string;
  body_text: string;
  status: 'pending';
  next_attempt_at: Date;
  created_at: Date;
}

const TRICKY = [
  '受講決定のお知らせ',
  'say "hello"',
  'C:\\Users\\kyodo\\',
  '🎉 合格 👍🏽',
  '一行目\n二行目\r\n三行目\tタブ',
  "O'Brien'); DROP TABLE outbox; --",
  '{"not":"json here"}',
  '$1 ::jsonb \\u0041 \\n',
  '',
  '髙橋 山﨑 ①㈱',
];

function mails(tag: string, n: number, base = Date.UTC(2026, 10, 24, 1, 2, 3, 456)): Mail[] {
  return Array.from({ length: n }, (_, i) => ({
    to_address: `${tag}-${String(i).padStart(3, '0')}@example.jp`,
    subject: `${TRICKY[i % TRICKY.length]} (${i})`,
    body_text: `${TRICKY[(i + 3) % TRICKY.length]}\n${TRICKY[i % TRICKY.length]}`,
    status: 'pending',
    next_attempt_at: new Date(base + i * 3_600_007),
    created_at: new Date(base - i * 1_001),
  }));
}

function auditRow(entityId: string, extra: { before?: unknown; after?: unknown } = {}) {
  return { at: new Date(Date.UTC(2026, 10, 24, 3, 0, 0, 123)), actor_id: null, action: 'json-rows-test', entity: 'test', entity_id: entityId, ...extra };
}

async function readMails(tag: string): Promise<Mail[]> {
  const rows = await tdb.db
    .selectFrom('outbox')
    .select(['to_address', 'subject', 'body_text', 'status', 'next_attempt_at', 'created_at'])
    .where('to_address', 'like', `${tag}-%`)
    .execute();
  return (rows as Mail[]).sort((a, b) => (a.to_address < b.to_address ? -1 : 1));
}

async function counts() {
  const one = async (table: 'outbox' | 'audit_log' | 'offerings' | 'applications') =>
    (await tdb.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n;
  return { outbox: await one('outbox'), audit_log: await one('audit_log'), offerings: await one('offerings'), applications: await one('applications') };
}

async function seatVersion(offeringId: number): Promise<number> {
  return Number((await offeringRepository.find(tdb.db, offeringId))!.seat_version);
}

describe(`jsonInsert + insertJsonRows (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('writes 50 rows with one statement, and every text and instant comes back unchanged', async () => {
    const before = await counts();
    const rows = mails('many', 50);
    const insert = jsonInsert('outbox', OUTBOX, rows);
    expect(insert.rows).toBe(50);
    expect(await insertJsonRows(tdb.db, insert)).toEqual([]);

    const back = await readMails('many');
    expect(back).toEqual(rows);
    for (const [i, r] of back.entries()) {
      expect(r.next_attempt_at).toBeInstanceOf(Date);
      expect(r.next_attempt_at.getTime()).toBe(rows[i].next_attempt_at.getTime());
      expect(r.created_at.getTime()).toBe(rows[i].created_at.getTime());
    }
    // The characters that need care in JSON and SQL are really there.
    const subjects = back.map((r) => r.subject).join('');
    for (const s of ['受講決定のお知らせ', '"', '\\', '🎉', '👍🏽', '\n', '\r\n', '\t', "'"]) expect(subjects).toContain(s);
    expect((await counts()).outbox).toBe(before.outbox + 50);
  });

  it('with returning, gives back the rows written', async () => {
    const rows = mails('ret', 3);
    const written = await insertJsonRows<Mail & { id: number; attempts: number }>(tdb.db, jsonInsert('outbox', OUTBOX, rows), { returning: true });
    expect(written).toHaveLength(3);
    expect(written.map((w) => w.to_address).sort()).toEqual(rows.map((r) => r.to_address));
    for (const w of written) {
      expect(typeof w.id).toBe('number');
      expect(w.attempts).toBe(0);
    }
    expect(await readMails('ret')).toEqual(rows);
  });

  it('writes nothing for no rows', async () => {
    const before = await counts();
    const insert = jsonInsert('outbox', OUTBOX, []);
    expect(insert.rows).toBe(0);
    expect(await insertJsonRows(tdb.db, insert, { returning: true })).toEqual([]);
    expect(await counts()).toEqual(before);
  });

  it('gives SQL NULL for a missing or null value of a plain column, and lets defaults apply only to columns not named', async () => {
    // `created_at` is not named: the table's default (now()) applies.
    const { created_at: _c, ...cols } = OUTBOX;
    await insertJsonRows(tdb.db, jsonInsert('outbox', cols, [{ to_address: 'dflt-1@example.jp', subject: 's', body_text: 'b', status: 'pending', next_attempt_at: new Date() }]));
    const row = await tdb.db.selectFrom('outbox').selectAll().where('to_address', '=', 'dflt-1@example.jp').executeTakeFirstOrThrow();
    expect(row.created_at).toBeInstanceOf(Date);
    expect(row.locked_until).toBeNull();

    // A named column with an undefined or null value is written as NULL (so a NOT NULL column refuses it).
    await insertJsonRows(tdb.db, jsonInsert('audit_log', AUDIT, [auditRow('nulls', { after: 1 })].map((r) => ({ ...r, entity_id: undefined }))));
    const audit = await sql<{ entity_id: string | null; actor_id: number | null }>`SELECT entity_id, actor_id FROM audit_log WHERE action = 'json-rows-test' AND after = '1'::jsonb`.execute(tdb.db);
    expect(audit.rows).toEqual([{ entity_id: null, actor_id: null }]);
    await expect(insertJsonRows(tdb.db, jsonInsert('outbox', OUTBOX, [{ ...mails('nn', 1)[0], subject: null }]))).rejects.toThrow();
    expect(await readMails('nn')).toEqual([]);
  });
});

describe('jsonb columns', () => {
  const nested = {
    名前: '髙橋 花子',
    quote: 'a "b" \\ c',
    list: [1, 2.5, -3, true, false, null, 'ü', { deep: { deeper: ['🎉', '\n'] } }],
    empty: {},
    none: [],
    nil: null,
  };

  it('stores undefined as SQL NULL and a JSON null as jsonb null, and round-trips nested values', async () => {
    await insertJsonRows(
      tdb.db,
      jsonInsert('audit_log', AUDIT, [
        auditRow('undefined', { after: { x: 1 } }), // before: missing
        auditRow('explicit-undefined', { before: undefined, after: { x: 2 } }),
        auditRow('null', { before: null, after: null }),
        auditRow('nested', { before: nested, after: [nested, 'text', 42] }),
        auditRow('scalar', { before: 'just text "quoted"', after: 0 }),
      ]),
    );
    const { rows } = await sql<{ entity_id: string; sql_null: boolean; json_null: boolean | null; type: string | null; before: unknown; after: unknown }>`
      SELECT entity_id, before IS NULL AS sql_null, before = 'null'::jsonb AS json_null, jsonb_typeof(before) AS type, before, after
      FROM audit_log WHERE action = 'json-rows-test' AND entity = 'test' AND entity_id <> 'nulls' ORDER BY id`.execute(tdb.db);
    const by = Object.fromEntries(rows.map((r) => [r.entity_id, r]));
    expect(Object.keys(by).sort()).toEqual(['explicit-undefined', 'nested', 'null', 'scalar', 'undefined']);

    for (const id of ['undefined', 'explicit-undefined']) {
      expect(by[id]).toMatchObject({ sql_null: true, json_null: null, type: null, before: null });
    }
    expect(by.undefined.after).toEqual({ x: 1 });

    expect(by.null).toMatchObject({ sql_null: false, json_null: true, type: 'null' });
    const afterNull = await sql<{ n: number }>`SELECT count(*) AS n FROM audit_log WHERE entity_id = 'null' AND after IS NOT NULL AND after = 'null'::jsonb`.execute(tdb.db);
    expect(afterNull.rows[0].n).toBe(1);

    expect(by.nested).toMatchObject({ sql_null: false, json_null: false, type: 'object' });
    expect(by.nested.before).toEqual(nested);
    expect(by.nested.after).toEqual([nested, 'text', 42]);
    // Stored as a jsonb object, not as a jsonb string holding JSON text.
    const deep = await sql<{ v: string }>`SELECT before #>> '{list,7,deep,deeper,0}' AS v FROM audit_log WHERE entity_id = 'nested'`.execute(tdb.db);
    expect(deep.rows[0].v).toBe('🎉');

    expect(by.scalar).toMatchObject({ type: 'string', before: 'just text "quoted"', after: 0 });
  });
});

describe('insertTogether', () => {
  it('without a guard writes every insert in one statement and answers true', async () => {
    const before = await counts();
    const ok = await insertTogether(tdb.db, [jsonInsert('outbox', OUTBOX, mails('tog', 4)), jsonInsert('audit_log', AUDIT, [auditRow('tog-1', { after: { t: 1 } }), auditRow('tog-2')])]);
    expect(ok).toBe(true);
    expect(await readMails('tog')).toEqual(mails('tog', 4));
    const after = await counts();
    expect(after).toEqual({ ...before, outbox: before.outbox + 4, audit_log: before.audit_log + 2 });
  });

  it('writes nothing at all when one of the inserts fails', async () => {
    const before = await counts();
    const bad = { ...mails('fail', 1)[0], status: 'not-a-status' }; // refused by the CHECK constraint
    await expect(insertTogether(tdb.db, [jsonInsert('outbox', OUTBOX, mails('fail-ok', 3)), jsonInsert('audit_log', AUDIT, [auditRow('fail')]), jsonInsert('outbox', OUTBOX, [bad])])).rejects.toThrow();
    expect(await counts()).toEqual(before);
    expect(await readMails('fail-ok')).toEqual([]);
  });

  describe('with a seat guard', () => {
    let offeringId: number;
    beforeAll(async () => {
      offeringId = (await makeOffering(ctx)).id;
    });

    it('with the current seat version: writes every insert, answers true, and raises the seat version by one', async () => {
      const v = await seatVersion(offeringId);
      const before = await counts();
      const ok = await insertTogether(
        tdb.db,
        [jsonInsert('outbox', OUTBOX, mails('guard-ok', 5)), jsonInsert('audit_log', AUDIT, [auditRow('guard-ok', { after: { v } })])],
        offeringRepository.seatGuard(offeringId, v),
      );
      expect(ok).toBe(true);
      expect(await seatVersion(offeringId)).toBe(v + 1);
      expect(await readMails('guard-ok')).toEqual(mails('guard-ok', 5));
      expect(await counts()).toEqual({ ...before, outbox: before.outbox + 5, audit_log: before.audit_log + 1 });
    });

    it.each([
      ['stale (one behind)', (v: number) => v - 1],
      ['from the future', (v: number) => v + 1],
    ])('with a %s seat version: writes nothing, answers false, and leaves the seat version', async (_label, pick) => {
      const v = await seatVersion(offeringId);
      const before = await counts();
      const ok = await insertTogether(
        tdb.db,
        [jsonInsert('outbox', OUTBOX, mails('guard-stale', 5)), jsonInsert('audit_log', AUDIT, [auditRow('guard-stale')])],
        offeringRepository.seatGuard(offeringId, pick(v)),
      );
      expect(ok).toBe(false);
      expect(await counts()).toEqual(before);
      expect(await readMails('guard-stale')).toEqual([]);
      expect(await seatVersion(offeringId)).toBe(v);
    });

    it('for an offering that does not exist: writes nothing and answers false', async () => {
      const before = await counts();
      expect(await insertTogether(tdb.db, [jsonInsert('outbox', OUTBOX, mails('guard-none', 2))], offeringRepository.seatGuard(2_000_000_000, 0))).toBe(false);
      expect(await counts()).toEqual(before);
    });

    it('two writes decided on the same seat version: exactly one is stored', async () => {
      const v = await seatVersion(offeringId);
      const before = await counts();
      const write = (tag: string) =>
        insertTogether(tdb.db, [jsonInsert('outbox', OUTBOX, mails(tag, 3)), jsonInsert('audit_log', AUDIT, [auditRow(tag)])], offeringRepository.seatGuard(offeringId, v));
      const answers = await Promise.all([write('race-a'), write('race-b')]);
      expect([...answers].sort()).toEqual([false, true]);
      const winner = answers[0] ? 'race-a' : 'race-b';
      const loser = answers[0] ? 'race-b' : 'race-a';
      expect(await readMails(winner)).toEqual(mails(winner, 3));
      expect(await readMails(loser)).toEqual([]);
      expect(await counts()).toEqual({ ...before, outbox: before.outbox + 3, audit_log: before.audit_log + 1 });
      expect(await seatVersion(offeringId)).toBe(v + 1);
    });
  });
});

describe('names', () => {
  it.each([
    ['a table name with SQL in it', 'outbox; DROP TABLE x', OUTBOX],
    ['a quoted table name', '"outbox"', OUTBOX],
    ['a schema-qualified table name', 'public.outbox', OUTBOX],
    ['an upper-case table name', 'Outbox', OUTBOX],
    ['a column name with SQL in it', 'outbox', { ...OUTBOX, 'subject) SELECT 1; --': 'text' }],
    ['a column name with a space', 'outbox', { ...OUTBOX, 'body text': 'text' }],
    ['an empty column name', 'outbox', { ...OUTBOX, '': 'text' }],
  ] as [string, string, Record<string, ColumnType>][])('refuses %s before anything runs', async (_label, table, columns) => {
    const before = await counts();
    expect(() => jsonInsert(table as 'outbox', columns, mails('bad-name', 1))).toThrow(/bad name/);
    expect(await counts()).toEqual(before);
    expect(await readMails('bad-name')).toEqual([]);
  });
});

describe('types and text the database would refuse', () => {
  it('refuses a column type that is not one of the known SQL types, before anything runs', async () => {
    const before = await counts();
    const bad = { ...OUTBOX, subject: 'text) AS x(a int); SELECT 1; --' } as unknown as Record<string, ColumnType>;
    expect(() => jsonInsert('outbox', bad, mails('bad-type', 1))).toThrow(/bad type/);
    expect(await counts()).toEqual(before);
  });

  it('stores a lone UTF-16 surrogate as U+FFFD, in text and in jsonb, as an ordinary parameter would, instead of failing the statement', async () => {
    const rows = mails('surrogate', 1).map((m) => ({ ...m, subject: `件名\ud800終` }));
    await insertJsonRows(tdb.db, jsonInsert('outbox', OUTBOX, rows));
    expect((await readMails('surrogate')).map((m) => m.subject)).toEqual(['件名\ufffd終']);
    await insertJsonRows(tdb.db, jsonInsert('audit_log', AUDIT, [{ at: new Date(), actor_id: null, action: 'surrogate-test', entity: 'test', entity_id: null, after: { note: 'x\udc00y' } }]));
    const row = await tdb.db.selectFrom('audit_log').select('after').where('action', '=', 'surrogate-test').executeTakeFirstOrThrow();
    expect(row.after).toEqual({ note: 'x\ufffdy' });
  });

  it('refuses to run an empty list of inserts', async () => {
    await expect(insertTogether(tdb.db, [])).rejects.toThrow(/nothing to insert/);
  });
});
