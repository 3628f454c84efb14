import type { Kysely } from 'kysely';

/** Records and figures (issue 15): programmes. Forward-only. */
export async function up(_db: Kysely<any>): Promise<void> {}
