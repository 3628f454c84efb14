import { loadConfig } from '../config/index.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { ServiceError } from '../services/context.js';
import { resetSecondFactor } from '../services/second-factor.service.js';

export const SECOND_FACTOR_USAGE = 'Usage: kyodo second-factor reset EMAIL';

/**
 * `kyodo second-factor reset EMAIL`: for somebody (usually an admin) who has lost the phone and the
 * recovery codes. Removes their authenticator and recovery codes and ends any sign-in waiting for a code;
 * audited (second_factor_reset, by cli). An admin under KYODO_ADMIN_SIGN_IN=totp sets up a new one at the
 * next sign-in. Returns the exit code.
 */
export async function secondFactorCommand(args: string[]): Promise<number> {
  const [sub, email, ...extra] = args;
  if (sub !== 'reset' || !email || extra.length) {
    console.error(SECOND_FACTOR_USAGE);
    return 2;
  }
  const config = loadConfig();
  const opened = await openDatabase(config);
  try {
    await migrateToLatest(opened.db);
    const ctx = { db: opened.db, dbKind: opened.kind, config, now: () => new Date(), kickOutbox: () => {} };
    const { person, removed } = await resetSecondFactor(ctx, email);
    console.log(
      removed
        ? `second factor removed for <${person.email}>: they sign in with their password and set up a new authenticator app where one is required`
        : `<${person.email}> had no second factor; nothing to remove`,
    );
    return 0;
  } catch (e) {
    if (e instanceof ServiceError && e.status === 404) {
      console.error(`No person with email ${email}`);
      return 1;
    }
    throw e;
  } finally {
    await opened.close();
  }
}
