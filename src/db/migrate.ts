import type { Kysely } from 'kysely';
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
};

class ListedMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new ListedMigrations() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String((error as Error).message ?? error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export const migrationNames = Object.keys(migrations);
