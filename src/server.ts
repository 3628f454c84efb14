import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Config } from './config/index.js';
import { maintain, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import type { Lifecycle } from './http/app.js';
import { createLogger, type Logger } from './lib/logger.js';
import { noteAccepted } from './lib/loop-fairness.js';
import { warmLazyModules } from './lib/lazy-require.js';
import type { AppContext } from './services/context.js';

export interface RunningServer {
  url: string;
  ctx: AppContext;
  logger: Logger;
  /** Where the server is in its life (what /readyz reports). */
  state(): Lifecycle;
  /**
   * Graceful stop: /readyz turns 503, no new connections are accepted, requests in flight finish
   * (for up to config.shutdownTimeoutMs, then their connections are closed), background jobs and the
   * outbox worker stop, and the database is closed (on PGlite this releases the data directory's lock).
   * Resolves with whether every request finished in time.
   */
  stop(): Promise<{ drained: boolean }>;
}

export interface ServerOptions {
  /** Structured logs (JSON lines); made from config.logLevel when not given. */
  logger?: Logger;
  /** Human-facing messages (the CLI prints them); when not given they go to the logger. */
  say?: (message: string) => void;
}

/** Milliseconds spent in each phase of start-up, the first ('modules') counted from the process's start. */
function phaseClock() {
  const times: Record<string, number> = { modules: Math.round(performance.now()) };
  let last = performance.now();
  const mark = (name: string) => {
    const now = performance.now();
    times[name] = Math.round(now - last);
    last = now;
  };
  mark.all = () => ({ ...times, total: Math.round(performance.now()) });
  return mark;
}

/** Opens the database, runs migrations, starts the HTTP server, the outbox worker and the maintenance schedule. */
export async function startServer(config: Config, options: ServerOptions | ((message: string) => void) = {}): Promise<RunningServer> {
  const opts: ServerOptions = typeof options === 'function' ? { say: options } : options;
  const logger = opts.logger ?? createLogger(config);
  const say = opts.say ?? ((m: string) => logger.info(m));
  let state: Lifecycle = 'starting';
  // Where start-up time goes (logged with 'started'; `npm run bench -- startup` prints it): from the
  // process's start to here is Node's own start and loading the modules.
  const phase = phaseClock();
  // The web app's modules (the HTTP layer: a good half of the sources) load while PGlite opens: on two
  // cores the two overlap (tsx transforms on its own thread, PGlite compiles its WebAssembly on others).
  const modules = Promise.all([
    import('./http/app.js'),
    import('./services/mail.service.js'),
    import('./services/calendar-feed.service.js'),
    import('./services/survey.service.js'),
    import('./services/survey-opening.service.js'),
  ]);
  modules.catch(() => {}); // awaited below; a failure is reported there
  let opened: Awaited<ReturnType<typeof openDatabase>>;
  try {
    opened = await openDatabase(config);
  } catch (e) {
    await modules.catch(() => {});
    throw e;
  }
  phase('database');
  try {
    const applied = await migrateToLatest(opened.db);
    phase('migrations');
    if (applied.length) {
      logger.info({ migrations: applied }, 'migrations applied');
      if (opts.say) say(`migrations applied: ${applied.join(', ')}`);
    }
  } catch (e) {
    await opened.close();
    throw e;
  }
  let loaded: Awaited<typeof modules>;
  try {
    loaded = await modules;
  } catch (e) {
    await opened.close();
    throw e;
  }
  const [{ createApp }, { startOutboxWorker }, { sendDueReminders }, { createDueSurveys, flushClosedAnswerPools, sendDueSurveyReminders }, { inviteOpenedSurveys }] = loaded;
  phase('appModules');
  let kick = () => {};
  const ctx: AppContext = { db: opened.db, dbKind: opened.kind, config, now: () => new Date(), kickOutbox: () => kick(), logger };
  const worker = startOutboxWorker(ctx, (m) => logger.warn({ job: 'outbox' }, m));
  kick = worker.kick;
  kick();

  // Background jobs are tracked so that a shutdown waits for the one running (and starts no other).
  const jobs = new Set<Promise<unknown>>();
  const job = (name: string, run: () => Promise<unknown>) => {
    if (state === 'stopping') return;
    const p = run()
      .catch((e) => logger.error({ job: name, err: e }, `${name} failed`))
      .finally(() => jobs.delete(p));
    jobs.add(p);
  };
  // Maintenance on a schedule (db/database.ts `maintain`): PostgreSQL ANALYZE (its autovacuum does the rest);
  // PGlite, which has no autovacuum, VACUUM and ANALYZE of the tables due, one statement at a time; the
  // first run after a start takes every table (PGlite's change counters start from zero on each start).
  let firstMaintenance = true;
  const analyzer = setInterval(
    () =>
      job('maintenance', async () => {
        const run = await maintain(opened.db, { everyTable: firstMaintenance, stopping: () => state === 'stopping' });
        if (state === 'stopping') return;
        firstMaintenance = false;
        logger.info({ job: 'maintenance', ...run }, 'maintenance done');
      }),
    config.analyzeIntervalMinutes * 60_000,
  );
  analyzer.unref();
  // Session reminders: each (session, participant) once, whichever instance gets there first.
  // Post-session questionnaires and survey reminders likewise: each made or sent once across instances.
  const reminders = setInterval(() => {
    job('reminders', () => sendDueReminders(ctx));
    job('surveys', () => createDueSurveys(ctx).then(() => inviteOpenedSurveys(ctx)).then(() => sendDueSurveyReminders(ctx)).then(() => flushClosedAnswerPools(ctx)));
  }, 10 * 60_000);
  reminders.unref();

  const { app } = createApp(ctx, { logger, lifecycle: () => state });
  phase('app');
  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      // serve() makes a plain node:http server (no TLS or HTTP/2 options are passed).
      const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s as Server)) as Server;
      s.once('error', reject);
      // libuv accepts one connection per turn of the event loop: tell the PGlite dialect, which then
      // lets the waiting ones in before blocking the loop with a statement (lib/loop-fairness.ts).
      if (opened.kind === 'pglite') s.on('connection', noteAccepted);
    });
  } catch (e) {
    clearInterval(analyzer);
    clearInterval(reminders);
    await worker.stop();
    await opened.close();
    throw e;
  }
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  // With PORT=0 (tests, benchmarks) the real port is known only now: mailed and printed links use it.
  if (config.baseUrl.endsWith(':0')) config.baseUrl = url;
  state = 'ready';
  phase('listen');
  // Heavy libraries that few routes use (lib/lazy-require.ts) load a moment later, off the start-up path.
  setTimeout(() => void warmLazyModules().catch((e) => logger.warn({ err: e }, 'loading a library failed')), 1000).unref();
  // The issuer key of verifiable certificates is made on the first start (decision 0026), off the start-up
  // path: signing and the published key set make it themselves if a request comes first.
  job('issuer-key', () => import('./services/issuer-key.service.js').then((m) => m.ensureIssuerKey(ctx)));
  const where = opened.kind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL';
  logger.info({ url, database: opened.kind, dataDir: opened.kind === 'pglite' ? config.dataDir : undefined, template: opened.template, startupMs: phase.all() }, 'started');
  if (opts.say) say(`Kyodo is running at ${url} (database: ${where})`);
  else logger.info(`Kyodo is running at ${url} (database: ${where})`);

  let stopping: Promise<{ drained: boolean }> | null = null;
  const stop = async (): Promise<{ drained: boolean }> => {
    state = 'stopping';
    clearInterval(analyzer);
    clearInterval(reminders);
    const started = Date.now();
    logger.info({ timeoutMs: config.shutdownTimeoutMs }, 'stopping: no new connections; finishing requests in flight');
    // Stop accepting. Responses from now on carry `Connection: close` (see app.tsx), so kept-alive
    // connections end after their request. Connections that are open but idle are closed after a
    // short grace: a request the client has already sent on a just-accepted connection (not read yet
    // while the event loop was busy) is read and served rather than reset.
    const closed = new Promise<void>((r) => server.close(() => r()));
    const grace = Math.min(1000, config.shutdownTimeoutMs / 2);
    let drained = true;
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const elapsed = Date.now() - started;
        if (elapsed >= config.shutdownTimeoutMs) {
          drained = false;
          server.closeAllConnections();
        }
        // After the poll phase (setImmediate): data that arrived while the loop was busy is read and its
        // request started before we judge a connection idle.
        else if (elapsed >= grace) setImmediate(() => server.closeIdleConnections());
      }, 50);
      closed.then(() => {
        clearInterval(tick);
        resolve();
      });
    });
    if (!drained) logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'stopping: requests still in flight were cut off');
    await worker.stop();
    const left = Math.max(1000, config.shutdownTimeoutMs - (Date.now() - started));
    await Promise.race([Promise.allSettled([...jobs]), new Promise((r) => setTimeout(r, left).unref())]);
    await opened.close();
    logger.info({ ms: Date.now() - started, drained }, 'stopped');
    return { drained };
  };
  return {
    url,
    ctx,
    logger,
    state: () => state,
    stop: () => (stopping ??= stop()),
  };
}
