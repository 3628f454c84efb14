import type { Kysely } from 'kysely';

/** Records and figures (issue 15): field-offers. Forward-only. */
export async function up(_db: Kysely<any>): Promise<void> {}
