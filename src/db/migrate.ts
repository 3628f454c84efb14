import { readdirSync, readFileSync } from 'node:fs';
import { type Kysely, sql } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import * as foundation from './migrations/20261124T0900-foundation.js';
import * as offerings from './migrations/20261124T1200-offerings.js';
import * as completion from './migrations/20261124T1500-completion.js';
import * as partners from './migrations/20261124T1700-partners.js';
import * as surveys from './migrations/20261125T0900-surveys.js';
import * as plan from './migrations/20261125T1200-plan.js';
import * as consultations from './migrations/20261125T1500-consultations.js';
import * as reportIndexes from './migrations/20261125T1600-report-indexes.js';
import * as apiTokenScopes from './migrations/20261125T1610-api-token-scopes.js';
import * as applicationIndex from './migrations/20261126T1300-application-index.js';
import * as offeringSeatVersion from './migrations/20261126T1400-offering-seat-version.js';
import * as fieldOffersRecords from './migrations/20261130T1001-field-offers.js';
import * as programmesRecords from './migrations/20261130T1002-programmes.js';
import * as applicationsRecords from './migrations/20261130T1003-applications.js';
import * as completionRecords from './migrations/20261130T1004-completion.js';
import * as surveysRecords from './migrations/20261130T1005-surveys.js';
import * as loginDevices from './migrations/20261130T1100-login-devices.js';
import * as staffNumberNfkc from './migrations/20261130T1110-staff-number-nfkc.js';
import * as apiTokenExpiry from './migrations/20261130T1120-api-token-expiry.js';
import * as certificateCodes from './migrations/20261130T1130-certificate-codes.js';
import * as anonymousAnswerPool from './migrations/20261130T1140-anonymous-answer-pool.js';
import * as planTargets from './migrations/20261130T1201-plan-targets.js';
import * as municipalityTiles from './migrations/20261130T1203-municipality-tiles.js';
import * as cohortMessages from './migrations/20261130T1311-cohort-messages.js';
import * as importProgress from './migrations/20261130T1401-import-progress.js';
import * as paper from './migrations/20261130T1402-paper.js';
import * as sessionSequence from './migrations/20261130T1403-session-sequence.js';
import * as yearlyFigures from './migrations/20261130T1404-yearly-figures.js';
import * as listIndexes from './migrations/20261130T1405-list-indexes.js';
import * as singleSignOn from './migrations/20261130T1501-single-sign-on.js';
import * as secondFactor from './migrations/20261130T1502-second-factor.js';
import * as credentials from './migrations/20261130T1503-credentials.js';
import * as dashboardFigures from './migrations/20261130T1601-dashboard-figures.js';
import * as waitlistOrderIndex from './migrations/20261130T1801-waitlist-order-index.js';
import * as apiTokenFillfactor from './migrations/20261130T1802-api-token-fillfactor.js';
import * as certificationsWithoutCertificate from './migrations/20261130T2001-certifications-without-certificate.js';
import * as importJobOutcome from './migrations/20261201T0301-import-job-outcome.js';

/**
 * Migrations are listed here (not discovered from the file system) so that
 * the same list runs under tsx, a bundle, or a test worker. Names are
 * timestamps: they sort in the order they must run. Forward-only.
 */
const migrations: Record<string, Migration> = {
  '20261124T0900-foundation': foundation,
  '20261124T1200-offerings': offerings,
  '20261124T1500-completion': completion,
  '20261124T1700-partners': partners,
  '20261125T0900-surveys': surveys,
  '20261125T1200-plan': plan,
  '20261125T1500-consultations': consultations,
  '20261125T1600-report-indexes': reportIndexes,
  '20261125T1610-api-token-scopes': apiTokenScopes,
  '20261126T1300-application-index': applicationIndex,
  '20261126T1400-offering-seat-version': offeringSeatVersion,
  '20261130T1001-field-offers': fieldOffersRecords,
  '20261130T1002-programmes': programmesRecords,
  '20261130T1003-applications': applicationsRecords,
  '20261130T1004-completion': completionRecords,
  '20261130T1005-surveys': surveysRecords,
  '20261130T1100-login-devices': loginDevices,
  '20261130T1110-staff-number-nfkc': staffNumberNfkc,
  '20261130T1120-api-token-expiry': apiTokenExpiry,
  '20261130T1130-certificate-codes': certificateCodes,
  '20261130T1140-anonymous-answer-pool': anonymousAnswerPool,
  '20261130T1201-plan-targets': planTargets,
  '20261130T1203-municipality-tiles': municipalityTiles,
  '20261130T1311-cohort-messages': cohortMessages,
  '20261130T1401-import-progress': importProgress,
  '20261130T1402-paper': paper,
  '20261130T1403-session-sequence': sessionSequence,
  '20261130T1404-yearly-figures': yearlyFigures,
  '20261130T1405-list-indexes': listIndexes,
  '20261130T1501-single-sign-on': singleSignOn,
  '20261130T1502-second-factor': secondFactor,
  '20261130T1503-credentials': credentials,
  '20261130T1601-dashboard-figures': dashboardFigures,
  '20261130T1801-waitlist-order-index': waitlistOrderIndex,
  '20261130T1802-api-token-fillfactor': apiTokenFillfactor,
  '20261130T2001-certifications-without-certificate': certificationsWithoutCertificate,
  '20261201T0301-import-job-outcome': importJobOutcome,
};

class ListedMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

/** The listed migrations for Kysely's Migrator (tests use it to leave a database some migrations behind). */
export const listedMigrations: MigrationProvider = new ListedMigrations();

/**
 * Applies the migrations not applied yet, in name order; returns their names.
 *
 * Fast path for a restart (issue 18 §5): one statement reads the applied names, and when they are
 * exactly the listed ones there is nothing to do. Kysely's Migrator (its lock table, its own checks,
 * several statements) runs only when something differs: a fresh database, a migration to apply, or a
 * list that no longer matches what was applied (which the Migrator reports as an error).
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  if (await upToDate(db)) return [];
  const migrator = new Migrator({ db, provider: listedMigrations });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String((error as Error).message ?? error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Whether the applied migrations are exactly the listed ones (false when the table does not exist yet). */
async function upToDate(db: Kysely<any>): Promise<boolean> {
  try {
    // string_agg, not rows: one short answer. The names hold no comma (checked below).
    const r = await sql<{ names: string | null }>`SELECT string_agg(name, ',' ORDER BY name COLLATE "C") AS names FROM kysely_migration`.execute(db);
    return r.rows[0]?.names === migrationNames.join(',');
  } catch {
    return false; // no kysely_migration table: a fresh database
  }
}

/** Every listed migration's name, in the order they run. */
export const migrationNames = Object.keys(migrations).sort();
if (migrationNames.some((n) => n.includes(','))) throw new Error('A migration name must not contain a comma.');

/**
 * The listed migrations' names and code, as one text: a migrated PGlite template is kept per value
 * (db/pglite-template.ts). The migration files themselves (helpers beside `up` count too), read as this
 * module loads them, and the functions' text as loaded (all a bundle has).
 */
export function migrationsFingerprint(): string {
  return fingerprint;
}

function readFingerprint(): string {
  const dir = new URL('./migrations/', import.meta.url);
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => /\.(ts|js|mjs)$/.test(f)).sort();
  } catch {
    /* bundled */
  }
  return [
    migrationNames.join(','),
    ...files.map((f) => `${f}\n${readFileSync(new URL(f, dir), 'utf8')}`),
    ...migrationNames.map((n) => `${String(migrations[n]!.up)}\n${String(migrations[n]!.down ?? '')}`),
  ].join('\n');
}
const fingerprint = readFingerprint();
