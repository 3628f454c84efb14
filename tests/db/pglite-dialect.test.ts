// The FIFO PGlite dialect (decision 0015): many callers on one PGlite, with transactions open while
// plain queries arrive. Runs on PGlite only; PostgreSQL has real connections.
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Db, kyselyOnPglite } from '../../src/db/database.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(!inject('databaseUrl'))('Kysely on PGlite (FIFO dialect)', () => {
  let pglite: PGlite;
  let db: Db;
  beforeAll(async () => {
    pglite = await PGlite.create();
    db = kyselyOnPglite(pglite);
    await sql`CREATE TABLE t (id serial PRIMARY KEY, n integer NOT NULL, who text NOT NULL)`.execute(db);
  });
  afterAll(() => db.destroy());

  const rows = async (who: string) => (await sql<{ n: number }>`SELECT n FROM t WHERE who = ${who} ORDER BY id`.execute(db)).rows.map((r) => r.n);

  it('a plain query that arrives while a transaction waits on something else neither sees it nor joins it', async () => {
    let seenDuring: number[] | null = null;
    const tx = db.transaction().execute(async (trx) => {
      await sql`INSERT INTO t (n, who) VALUES (1, 'tx-a')`.execute(trx);
      await pause(30); // the transaction is open and idle; other callers arrive
      await sql`INSERT INTO t (n, who) VALUES (2, 'tx-a')`.execute(trx);
      throw new Error('roll back');
    });
    const outside = (async () => {
      await pause(5);
      await sql`INSERT INTO t (n, who) VALUES (9, 'outside-a')`.execute(db);
      seenDuring = await rows('tx-a');
    })();
    await expect(tx).rejects.toThrow('roll back');
    await outside;
    // The outside statements waited for the transaction to end: they saw nothing of it, and the
    // rollback did not take their own write with it.
    expect(seenDuring).toEqual([]);
    expect(await rows('tx-a')).toEqual([]);
    expect(await rows('outside-a')).toEqual([9]);
  });

  it('serves callers in the order they came, transactions and plain queries alike', async () => {
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        i % 3 === 0
          ? db.transaction().execute(async (trx) => {
              await sql`INSERT INTO t (n, who) VALUES (${i}, 'fifo')`.execute(trx);
              order.push(i);
            })
          : sql`INSERT INTO t (n, who) VALUES (${i}, 'fifo')`.execute(db).then(() => order.push(i)),
      ),
    );
    expect(order).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(await rows('fifo')).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it('commits what a transaction wrote, and a failed statement rolls back only its own transaction', async () => {
    await db.transaction().execute(async (trx) => {
      await sql`INSERT INTO t (n, who) VALUES (1, 'commit')`.execute(trx);
      await sql`INSERT INTO t (n, who) VALUES (2, 'commit')`.execute(trx);
    });
    const bad = db.transaction().execute(async (trx) => {
      await sql`INSERT INTO t (n, who) VALUES (3, 'commit')`.execute(trx);
      await sql`INSERT INTO t (n, who) VALUES (NULL, 'commit')`.execute(trx);
    });
    const good = sql`INSERT INTO t (n, who) VALUES (4, 'commit')`.execute(db);
    await expect(bad).rejects.toThrow(/null value/);
    await good;
    expect(await rows('commit')).toEqual([1, 2, 4]);
  });
});
