import { serve } from '@hono/node-server';
import type { Config } from './config/index.js';
import { analyze, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { createApp } from './http/app.js';
import { startOutboxWorker } from './services/mail.service.js';
import { sendDueReminders } from './services/calendar-feed.service.js';
import { createDueSurveys, sendDueSurveyReminders } from './services/survey.service.js';
import type { AppContext } from './services/context.js';

export interface RunningServer {
  url: string;
  ctx: AppContext;
  stop(): Promise<void>;
}

/** Opens the database, runs migrations, starts the HTTP server, the outbox worker and the ANALYZE schedule. */
export async function startServer(config: Config, log: (m: string) => void = console.log): Promise<RunningServer> {
  const opened = await openDatabase(config);
  try {
    const applied = await migrateToLatest(opened.db);
    if (applied.length) log(`migrations applied: ${applied.join(', ')}`);
  } catch (e) {
    await opened.close();
    throw e;
  }
  let kick = () => {};
  const ctx: AppContext = { db: opened.db, dbKind: opened.kind, config, now: () => new Date(), kickOutbox: () => kick() };
  const worker = startOutboxWorker(ctx, log);
  kick = worker.kick;
  kick();
  // PGlite has no autovacuum: refresh planner statistics on a schedule.
  const analyzer = setInterval(() => analyze(opened.db).catch((e) => log(`analyze: ${(e as Error).message}`)), config.analyzeIntervalMinutes * 60_000);
  analyzer.unref();
  // Session reminders: each (session, participant) once, whichever instance gets there first.
  // Post-session questionnaires and survey reminders likewise: each made or sent once across instances.
  const scheduled = () => {
    sendDueReminders(ctx).catch((e) => log(`reminders: ${(e as Error).message}`));
    createDueSurveys(ctx)
      .then(() => sendDueSurveyReminders(ctx))
      .catch((e) => log(`surveys: ${(e as Error).message}`));
  };
  const reminders = setInterval(scheduled, 10 * 60_000);
  reminders.unref();
  const { app } = createApp(ctx);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
    s.once('error', reject);
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  // With PORT=0 (tests, benchmarks) the real port is known only now: mailed and printed links use it.
  if (config.baseUrl.endsWith(':0')) config.baseUrl = url;
  log(`Kyodo is running at ${url} (database: ${opened.kind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL'})`);
  let stopping: Promise<void> | null = null;
  return {
    url,
    ctx,
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(analyzer);
        clearInterval(reminders);
        await new Promise<void>((r) => server.close(() => r()));
        await worker.stop();
        await opened.close();
      })()),
  };
}
