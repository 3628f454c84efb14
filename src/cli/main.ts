import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { ConfigError, loadConfig } from '../config/index.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { type AppContext, ServiceError } from '../services/context.js';
import type { ImportKind } from '../services/import.service.js';
import type { SampleSignIns } from '../services/sample-data/sign-ins.js';
import { ROLES, type Role } from '../domain/values.js';

// Each command loads the modules it needs inside its `case` (issue 18 §5): `serve` then starts with
// the server's own modules only (its HTTP layer loads while PGlite opens), and a CLI command does not
// load the web app. Only light modules are imported above.

const HELP = `kyodo — Kyodo (協働) staff-training programme

Usage: kyodo <command> [options]

Commands:
  serve                         Start the web server (runs migrations first).
                                Port from PORT (default 3000); data in KYODO_DATA_DIR (default ./data),
                                or PostgreSQL when DATABASE_URL is set.
  migrate                       Run database migrations and exit.
  user create --email E --password P --name N --kana K [--role admin] [--role staff ...]
                                Create a person who can log in. Roles: ${ROLES.join(', ')}.
  user set-password --email E   Set that person's password, read from standard input (one line); their
                                sessions end. PostgreSQL: works while Kyodo runs. PGlite: stop kyodo serve first.
  token create --email E [--name NAME] [--scope read|write] [--days N]
                                Create a personal API token for that person and print it
                                (read-only and valid for 365 days unless told otherwise).
  import units FILE             Import units from an Excel (.xlsx) or CSV file (all or nothing; prints a
                                row-by-row report, and progress while it runs).
  import people FILE            Import people from .xlsx or CSV (all or nothing).
  import history FILE           Import past training records (研修履歴) from .xlsx or CSV.
  import partners FILE          Import partner organisations from .xlsx or CSV.
  import roster OFFERING_ID FILE
                                Apply for the people of a participant list (受講者名簿, .xlsx or CSV) to that
                                offering, on their behalf (all or nothing; each person is mailed).
  import template KIND FILE     Write the template of an import (units, people, history, partners, roster)
                                to FILE: .xlsx (with a sheet explaining each column) or .csv.
  sample-data                   Load the sample organisation, about 200 staff and the programmes, with one
                                sign-in per role (admin, approver, staff, 市町 staff, coordinator, partner
                                member): prints their emails and one password.
  issuer-key rotate             Make a new Ed25519 key to sign verifiable certificates (Open Badges); the old
                                one stays published at /credentials/keys so what it signed still verifies.
  issuer-key list               List the issuer keys (kid, current or retired).
  backup FILE                   Write a backup of the database to FILE, verified by reading it back.
                                PGlite: a dump of the data directory (stop kyodo serve first).
                                PostgreSQL: a pg_dump archive (can run while Kyodo runs).
  restore FILE                  Replace the database with the backup in FILE, then run migrations.
                                The data before the restore is kept (its location is printed).
                                Stop kyodo serve (every instance, on PostgreSQL) first.
  second-factor reset EMAIL     Remove that person's second factor (a lost phone): they set up a new one at the next sign-in.
  help                          Show this help.

Environment: see README.md (PORT, HOST, KYODO_DATA_DIR, DATABASE_URL, SMTP_URL, MAIL_FROM, KYODO_BASE_URL, ...).
`;

async function withDb<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const [{ openDatabase }, { migrateToLatest }] = await Promise.all([import('../db/database.js'), import('../db/migrate.js')]);
  const opened = await openDatabase(config);
  try {
    await migrateToLatest(opened.db);
    return await fn({ db: opened.db, dbKind: opened.kind, config, now: () => new Date(), kickOutbox: () => {} });
  } finally {
    await opened.close();
  }
}

/** The sign-ins to try each role, after `kyodo sample-data`. */
async function printSignIns(signIns: SampleSignIns): Promise<void> {
  const { translator } = await import('../i18n/index.js');
  const t = translator('ja');
  const en = translator('en');
  console.log('');
  console.log(`体験用のアカウント / Sign-ins to try each role (password for all / 共通パスワード: ${signIns.password})`);
  const width = Math.max(...signIns.accounts.map((a) => a.email.length));
  for (const a of signIns.accounts) console.log(`  ${a.email.padEnd(width)}  ${t(`newcomer.role.${a.role}`)} / ${en(`newcomer.role.${a.role}`)} — ${a.name}`);
  console.log('The password is shown only now. To set another: kyodo user set-password --email E (reads it from standard input).');
}

/**
 * The first line of `input` (a pipe, or typed at a terminal without echo), without its line end.
 * Empty when the input ends first.
 */
async function readLine(input: NodeJS.ReadStream): Promise<string> {
  const tty = !!input.isTTY;
  if (tty) process.stderr.write('新しいパスワード / New password: ');
  const rl = createInterface({ input, output: new Writable({ write: (_c, _e, cb) => cb() }), terminal: tty });
  try {
    for await (const line of rl) return line.replace(/\r$/, '');
    return '';
  } finally {
    rl.close();
    if (tty) process.stderr.write('\n');
  }
}

/**
 * Prints an import's progress on standard error: one line rewritten in place at a terminal, else a
 * line at each tenth (and at the end), so that a log shows it too.
 */
function progressPrinter(out: NodeJS.WriteStream = process.stderr): (processed: number, total: number) => void {
  let lastTenth = -1;
  return (processed, total) => {
    const percent = total ? Math.floor((processed / total) * 100) : 100;
    const line = `取り込んでいます / importing: ${processed.toLocaleString('en')} / ${total.toLocaleString('en')} rows (${percent}%)`;
    if (out.isTTY) {
      out.write(`\r${line}${processed >= total ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor(percent / 10);
    if (tenth !== lastTenth || processed >= total) {
      lastTenth = tenth;
      out.write(`${line}\n`);
    }
  };
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function describe(e: unknown): Promise<string> {
  if (e instanceof ConfigError) return `${e.message}\nSee README.md (Configuration) for every variable.`;
  if (e instanceof ServiceError) {
    const { fieldMessage, translator } = await import('../i18n/index.js');
    const t = translator('ja');
    const fields = Object.entries(e.fields).map(([f, err]) => `  ${f}: ${fieldMessage(t, f, err.key, err.params)}`);
    return [t(e.messageKey, e.params), ...fields].join('\n');
  }
  return String((e as Error)?.message ?? e);
}

export async function main(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(HELP);
      return;
    case 'serve': {
      const config = loadConfig();
      // The web app's modules load before the database opens: both are work on the main thread, and
      // loading them while PGlite starts made a restart slower, not faster (docs/performance.md).
      const [{ createLogger }, { startServer }] = await Promise.all([import('../lib/logger.js'), import('../server.js'), import('../http/app.js')]);
      const logger = createLogger(config);
      // Human-facing lines stay plain text on stdout; everything else is JSON lines from the logger.
      const server = await startServer(config, { logger, say: (m) => console.log(m) });
      let signalled = false;
      const shutdown = (signal: NodeJS.Signals) => {
        if (signalled) {
          logger.warn({ signal }, 'second signal: exiting without waiting');
          process.exit(1);
        }
        signalled = true;
        logger.info({ signal }, 'shutdown requested');
        server.stop().then(
          ({ drained }) => {
            console.log(drained ? 'Kyodo stopped.' : 'Kyodo stopped (some requests were cut off after the shutdown timeout).');
            process.exit(0);
          },
          (e) => {
            logger.error({ err: e }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
      return;
    }
    case 'backup': {
      if (!sub) fail('Usage: kyodo backup FILE');
      const { backup } = await import('../services/backup.service.js');
      const r = await backup(loadConfig(), sub);
      const what = r.format === 'pglite' ? 'PGlite data directory dump' : 'pg_dump archive';
      console.log(`backup written: ${r.file} (${what}, ${(r.bytes / 1024 / 1024).toFixed(1)} MB)`);
      console.log(`  verified: ${r.summary.people} people, ${r.summary.applications} applications, ${r.summary.auditEntries} audit entries, ${r.summary.migrations} migrations`);
      return;
    }
    case 'restore': {
      if (!sub) fail('Usage: kyodo restore FILE');
      const { restore } = await import('../services/backup.service.js');
      const r = await restore(loadConfig(), sub);
      console.log(`restored ${r.file}: ${r.summary.people} people, ${r.summary.applications} applications, ${r.summary.auditEntries} audit entries`);
      if (r.migrationsApplied.length) console.log(`  migrations applied after the restore: ${r.migrationsApplied.join(', ')}`);
      if (r.previous) console.log(`  the data before the restore is kept in ${r.previous} (delete it once you are satisfied)`);
      return;
    }
    case 'migrate': {
      const { migrateToLatest } = await import('../db/migrate.js');
      const applied = await withDb(async (ctx) => migrateToLatest(ctx.db));
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'already up to date');
      return;
    }
    case 'user': {
      if (sub === 'set-password') {
        const { values } = parseArgs({ args: rest, options: { email: { type: 'string' } } });
        if (!values.email) fail('Usage: kyodo user set-password --email E   (the new password is read from standard input)');
        const { setPasswordByEmail } = await import('../services/set-password.service.js');
        try {
          await withDb(async (ctx) => {
            const person = await setPasswordByEmail(ctx, null, { email: values.email, password: await readLine(process.stdin) });
            console.log(`password set for <${person.email}>; their sessions have ended`);
          });
        } catch (e) {
          if (!(e instanceof DataDirLockedError)) throw e;
          console.error(
            `Kyodo のサーバー（pid ${e.pid}）がデータディレクトリ ${e.dir} を使用しています。PGlite のデータは1つのプロセスしか開けないため、サーバーの実行中はパスワードを設定できません。kyodo serve を止めてからもう一度実行し、サーバーを起動し直してください（PostgreSQL（DATABASE_URL）なら実行中でも設定できます）。\n` +
              `The Kyodo server (pid ${e.pid}) holds the PGlite data directory ${e.dir}: only one process can open it, so the password cannot be set while kyodo serve runs. ` +
              'Stop kyodo serve, run this command again, then start the server (with PostgreSQL, DATABASE_URL, it works while the server runs).',
          );
          process.exit(3);
        }
        return;
      }
      if (sub !== 'create') fail('Usage: kyodo user create --email E --password P --name N --kana K [--role admin]\n       kyodo user set-password --email E');
      const { values } = parseArgs({
        args: rest,
        options: {
          email: { type: 'string' },
          password: { type: 'string' },
          name: { type: 'string' },
          kana: { type: 'string' },
          role: { type: 'string', multiple: true },
          affiliation: { type: 'string', default: 'prefecture' },
        },
      });
      const [{ passwordSchema }, { createPerson }, { hashPassword }] = await Promise.all([
        import('../services/account.service.js'),
        import('../services/person.service.js'),
        import('../lib/crypto.js'),
      ]);
      const pw = passwordSchema.safeParse(values.password ?? '');
      if (!pw.success) fail('--password: 12文字以上で、英字と数字を含めてください (at least 12 characters with letters and digits).');
      const roles = (values.role?.length ? values.role : ['staff']) as Role[];
      if (roles.includes('admin') && !roles.includes('staff')) roles.push('staff');
      await withDb(async (ctx) => {
        const person = await createPerson(
          ctx,
          null,
          { name: values.name, kana: values.kana, email: values.email, affiliation: values.affiliation, roles },
          { passwordHash: await hashPassword(pw.data, ctx.config.passwordHashN) },
        );
        console.log(`created person ${person.id} <${person.email}> roles: ${person.roles.join(', ')}`);
      });
      return;
    }
    case 'token': {
      if (sub !== 'create') fail('Usage: kyodo token create --email E [--name NAME] [--scope read|write] [--days N]');
      const { values } = parseArgs({
        args: rest,
        options: { email: { type: 'string' }, name: { type: 'string', default: 'cli' }, scope: { type: 'string', default: 'read' }, days: { type: 'string', default: '365' } },
      });
      if (!values.email) fail('--email is required');
      if (values.scope !== 'read' && values.scope !== 'write') fail('--scope must be read or write');
      if (!/^\d+$/.test(values.days!) || Number(values.days) < 1 || Number(values.days) > 1095) fail('--days must be a whole number from 1 to 1095');
      const [{ personRepository }, { createApiToken }] = await Promise.all([import('../db/repositories/person.repository.js'), import('../services/api-token.service.js')]);
      await withDb(async (ctx) => {
        const person = await personRepository.findByEmail(ctx.db, values.email!);
        if (!person) fail(`No person with email ${values.email}`);
        const { token, scope, expiresAt } = await createApiToken(ctx, null, person.id, { name: values.name, scope: values.scope, days: values.days });
        console.log(token);
        console.error(`scope: ${scope}; expires: ${expiresAt.toISOString()}`);
      });
      return;
    }
    case 'import': {
      const usage = 'Usage: kyodo import units|people|history|partners FILE\n       kyodo import roster OFFERING_ID FILE\n       kyodo import template KIND FILE.xlsx|FILE.csv';
      const [{ IMPORT_KINDS }, { fieldMessage, translator }] = await Promise.all([import('../services/import-columns.js'), import('../i18n/index.js')]);
      if (sub === 'template') {
        const [kind, out] = rest;
        const format = out?.endsWith('.xlsx') ? 'xlsx' : out?.endsWith('.csv') ? 'csv' : null;
        if (!IMPORT_KINDS.includes(kind as ImportKind) || !out || !format) fail(usage);
        const { importTemplate } = await import('../services/import-template.service.js');
        const template = await importTemplate(kind as ImportKind, format, translator('ja'));
        writeFileSync(out, template.body);
        console.log(`template written: ${out}`);
        return;
      }
      const roster = sub === 'roster';
      const offeringId = roster ? Number(rest[0]) : 0;
      const file = roster ? rest[1] : rest[0];
      if (!(sub === 'units' || sub === 'people' || sub === 'history' || sub === 'partners' || roster) || !file || (roster && !(Number.isInteger(offeringId) && offeringId > 0))) fail(usage);
      const [{ personRepository }, { getImportJob, previewImport, previewRosterImport, startImport }] = await Promise.all([
        import('../db/repositories/person.repository.js'),
        import('../services/import.service.js'),
      ]);
      await withDb(async (ctx) => {
        const admin = (await personRepository.list(ctx.db, { role: 'admin', limit: 1 })).rows[0];
        if (!admin) fail('Create an administrator first (kyodo user create ... --role admin).');
        const bytes = readFileSync(file);
        const job = roster ? await previewRosterImport(ctx, admin, offeringId, basename(file), bytes) : await previewImport(ctx, admin, sub as Exclude<ImportKind, 'roster'>, basename(file), bytes);
        const t = translator('ja');
        if (job.errors.length) {
          console.error(`${file}: ${job.errors.length} errors — nothing imported`);
          for (const e of job.errors) console.error(`  line ${e.line}${e.field ? ` [${e.field}]` : ''}: ${e.field ? fieldMessage(t, e.field, e.message, e.params) : fieldMessage(t, 'file', e.message, e.params)}`);
          process.exitCode = 1;
          return;
        }
        console.log(`${file}: ${job.total_rows} rows checked (${job.encoding}); importing…`);
        const { finished } = await startImport(ctx, admin, job.id, { onProgress: progressPrinter() });
        await finished;
        const done = await getImportJob(ctx, job.id);
        if (done?.status !== 'done') {
          console.error('import failed — nothing imported:');
          for (const e of done?.errors ?? []) console.error(`  line ${e.line}${e.field ? ` [${e.field}]` : ''}: ${fieldMessage(t, e.field ?? 'file', e.message, e.params)}`);
          process.exitCode = 1;
          return;
        }
        const o = done.outcome;
        console.log(
          roster
            ? `applied for ${done.total_rows} people (${job.encoding})`
            : `imported ${done.total_rows} rows (${job.encoding})${o ? `: ${o.created} new, ${o.updated} updated, ${o.unchanged} unchanged (not written)` : ''}`,
        );
      });
      return;
    }
    case 'issuer-key': {
      const { issuerKeyCommand, ISSUER_KEY_USAGE } = await import('./issuer-key.js');
      const lines = await withDb((ctx) => issuerKeyCommand(ctx, sub));
      if (!lines) fail(ISSUER_KEY_USAGE);
      for (const l of lines) console.log(l);
      return;
    }
    case 'sample-data': {
      const { loadSampleData } = await import('../services/sample-data/sample-data.service.js');
      const r = await withDb((ctx) => loadSampleData(ctx, null));
      console.log(r.units ? `loaded ${r.units} units, ${r.people} people, ${r.programmes} programmes` : 'units already exist: sample data not loaded');
      if (r.signIns) await printSignIns(r.signIns);
      return;
    }
    case 'second-factor':
      process.exitCode = await (await import('./second-factor.js')).secondFactorCommand([sub, ...rest].filter((a): a is string => a !== undefined));
      return;
    default:
      console.error(`Unknown command: ${command}\n`);
      console.log(HELP);
      process.exit(2);
  }
}

main(process.argv.slice(2)).catch(async (e) => {
  console.error(await describe(e));
  // A configuration problem or a refusal the operator must act on: no stack trace, a distinct code.
  const refused = e instanceof DataDirLockedError || (e instanceof Error && e.name === 'BackupError');
  process.exit(e instanceof ConfigError ? 78 : refused ? 3 : 1);
});
