// Kysely on PGlite without Kysely's single-connection mutex (decision 0015).
//
// Kysely's own PGliteDialect declares one connection and guards it with a mutex whose release wakes
// every waiter at once; with a hundred requests waiting, each query then costs a hundred wake-ups and
// a request can be overtaken again and again (the registration benchmark saw a p99 of 32 s).
// PGlite already serialises its callers itself, first come first served: `query` and `transaction`
// both run under its exclusive transaction lock (a FIFO semaphore), so a plain query waits for an
// open transaction and never runs inside it. This dialect hands Kysely a fresh connection object per
// acquisition, so the only per-connection state (the open transaction) is never shared, and leaves
// the queueing to PGlite.
//
// PGlite runs inside the event loop: a statement blocks it. Before each one, the dialect lets
// connections that the HTTP server has just started accepting come in (`lib/loop-fairness.ts`): libuv
// takes one waiting connection per turn of the loop, and a connection must not wait behind a turn per
// statement group (issue 18 §4).
import type { PGlite, Transaction } from '@electric-sql/pglite';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { acceptsSettled } from '../lib/loop-fairness.js';

class FifoPgliteConnection implements DatabaseConnection {
  #tx: Transaction | null = null;
  #finish: ((commit: boolean) => void) | null = null;
  #closed: Promise<unknown> | null = null;

  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const settling = acceptsSettled();
    if (settling) await settling;
    const { affectedRows, rows } = await (this.#tx ?? this.pglite).query<R>(q.sql, q.parameters as unknown[], { rowMode: 'object' });
    return { numAffectedRows: affectedRows != null ? BigInt(affectedRows) : undefined, rows: rows ?? [] };
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not supported by PGlite.');
  }

  async begin(): Promise<void> {
    const settling = acceptsSettled();
    if (settling) await settling;
    let begun!: () => void;
    const started = new Promise<void>((r) => {
      begun = r;
    });
    const ended = new Promise<boolean>((r) => {
      this.#finish = r;
    });
    // PGlite's transaction holds its exclusive lock until the callback returns: commit when it
    // returns, roll back when it throws.
    this.#closed = this.pglite.transaction(async (tx) => {
      this.#tx = tx;
      begun();
      if (!(await ended)) throw ROLLBACK;
    });
    // A BEGIN that fails (PGlite closed) must not leave the caller waiting.
    await Promise.race([started, this.#closed]);
  }

  async end(commit: boolean): Promise<void> {
    this.#finish?.(commit);
    const closed = this.#closed;
    this.#tx = null;
    this.#finish = null;
    this.#closed = null;
    try {
      await closed;
    } catch (e) {
      if (e !== ROLLBACK) throw e;
    }
  }
}

const ROLLBACK = Symbol('rollback');

class FifoPgliteDriver implements Driver {
  constructor(private readonly pglite: PGlite) {}
  async init(): Promise<void> {
    await this.pglite.waitReady;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    return new FifoPgliteConnection(this.pglite);
  }
  async beginTransaction(c: DatabaseConnection, _settings: TransactionSettings): Promise<void> {
    await (c as FifoPgliteConnection).begin();
  }
  async commitTransaction(c: DatabaseConnection): Promise<void> {
    await (c as FifoPgliteConnection).end(true);
  }
  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    await (c as FifoPgliteConnection).end(false);
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}

/** Connections are virtual, so Kysely must not add a mutex of its own; PGlite serialises them. */
class FifoPgliteAdapter extends PostgresAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}

export class FifoPgliteDialect implements Dialect {
  constructor(private readonly pglite: PGlite) {}
  createAdapter(): DialectAdapter {
    return new FifoPgliteAdapter();
  }
  createDriver(): Driver {
    return new FifoPgliteDriver(this.pglite);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}
