import { type Kysely, sql } from 'kysely';

/**
 * Verifiable certificates (issue 20 §4, decision 0026). `issuer_keys` holds the prefecture's Ed25519
 * signing keys as JWKs: at most one current key (retired_at IS NULL); retired keys stay, published, so
 * that what they signed still verifies. `credential_status_entries` gives each certificate and each
 * coordinator certification one fixed index in the revocation status list, allocated once. Forward-only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE issuer_keys (
    id serial PRIMARY KEY,
    kid text NOT NULL UNIQUE,
    public_jwk text NOT NULL,
    private_jwk text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    retired_at timestamptz
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX issuer_keys_one_current ON issuer_keys ((true)) WHERE retired_at IS NULL`.execute(db);
  await sql`CREATE TABLE credential_status_entries (
    status_index integer PRIMARY KEY CHECK (status_index >= 0),
    certificate_id integer UNIQUE REFERENCES certificates (id) ON DELETE CASCADE,
    coordinator_person_id integer UNIQUE REFERENCES people (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((certificate_id IS NULL) <> (coordinator_person_id IS NULL))
  )`.execute(db);
}
