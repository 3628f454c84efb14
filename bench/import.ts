// `npm run bench -- import`: a 50,000-row people CSV (UTF-8 with BOM, Japanese headers, as Excel
// saves it) through import.service.ts — preview (decode, parse, check every row, store the job) and
// apply (one transaction, audited) — beside bare multi-row INSERTs of the same rows in the same run.
import { sql } from 'kysely';
import { hashPassword } from '../src/lib/crypto.js';
import { getImportJob, previewImport, startImport } from '../src/services/import.service.js';
import { createPerson, normaliseKana, personSearchKey } from '../src/services/person.service.js';
import { SAMPLE_DEPARTMENTS, SAMPLE_MUNICIPALITIES } from '../src/services/sample-data/organisation.js';
import { loadSampleData } from '../src/services/sample-data/sample-data.service.js';
import { type BenchDb, onEachDatabase } from './database.js';
import { scaled, summary } from './support.js';

const CHUNK = 500;

interface Row {
  name: string;
  kana: string;
  email: string;
  staffNumber: string;
  unit: string;
  affiliation: string;
  roles: string;
}

/** The rows of the file: 80 % prefecture staff in 部局/課, 15 % 市町 staff, 5 % prefecture staff without a unit. */
function rows(n: number): Row[] {
  const divisions = SAMPLE_DEPARTMENTS.flatMap((d) => d.divisions.map(([name]) => `${d.name}/${name}`));
  return Array.from({ length: n }, (_, i) => {
    const k = i % 20;
    const muni = k >= 16 && k < 19;
    return {
      name: `取込 職員${i + 1}`,
      kana: `ﾄﾘｺﾐ ｼｮｸｲﾝ`, // half-width, as old systems export it: normalised to full-width katakana
      email: `import${i + 1}@pref.example.jp`,
      staffNumber: muni ? '' : `I${String(i + 1).padStart(7, '0')}`,
      unit: muni ? SAMPLE_MUNICIPALITIES[i % SAMPLE_MUNICIPALITIES.length][0] : k === 19 ? '' : divisions[i % divisions.length],
      affiliation: muni ? '市町職員' : '県職員',
      roles: i % 50 === 0 ? '所属長、職員' : '職員',
    };
  });
}

function csv(data: Row[]): Uint8Array {
  const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = ['氏名,フリガナ,メールアドレス,職員番号,所属,所属区分,役割', ...data.map((r) => [r.name, r.kana, r.email, r.staffNumber, r.unit, r.affiliation, r.roles].map(q).join(','))];
  return new TextEncoder().encode(`\uFEFF${lines.join('\r\n')}\r\n`);
}

async function measure(b: BenchDb, n: number) {
  const ctx = b.ctx;
  await loadSampleData(ctx, null);
  const admin = await createPerson(ctx, null, { name: '計測 管理', kana: 'ケイソク カンリ', email: 'bench-import@pref.example.jp', affiliation: 'prefecture', roles: ['admin', 'staff'] }, { passwordHash: await hashPassword('bench-password-2026') });
  const data = rows(n);
  const bytes = csv(data);
  const before = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM people`.execute(b.db)).rows[0].n);

  let t0 = performance.now();
  const job = await previewImport(ctx, admin, 'people', 'people.csv', bytes);
  const preview = (performance.now() - t0) / 1000;
  if (job.errors.length) throw new Error(`import bench: the file has ${job.errors.length} errors, e.g. ${JSON.stringify(job.errors.slice(0, 3))}`);
  t0 = performance.now();
  const { finished } = await startImport(ctx, admin, job.id);
  await finished;
  const apply = (performance.now() - t0) / 1000;
  const done = await getImportJob(ctx, job.id);
  const after = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM people`.execute(b.db)).rows[0].n);
  const ok = done?.status === 'done' && after - before === n;

  // Baseline: the same rows, already checked and normalised, as multi-row INSERTs (500 a statement)
  // into copies of people and person_roles with the same indexes, in one transaction. No audit.
  await sql`CREATE TABLE bench_people (LIKE people INCLUDING DEFAULTS INCLUDING INDEXES)`.execute(b.db);
  await sql`CREATE TABLE bench_person_roles (LIKE person_roles INCLUDING DEFAULTS INCLUDING INDEXES)`.execute(b.db);
  const units = new Map((await sql<{ name: string; parent: string | null; id: number }>`SELECT u.name, p.name AS parent, u.id FROM units u LEFT JOIN units p ON p.id = u.parent_id`.execute(b.db)).rows.map((u) => [u.parent ? `${u.parent}/${u.name}` : u.name, u.id]));
  t0 = performance.now();
  await b.db.transaction().execute(async (trx) => {
    const now = new Date();
    for (let i = 0; i < data.length; i += CHUNK) {
      const chunk = data.slice(i, i + CHUNK).map((r) => {
        const kana = normaliseKana(r.kana);
        const staff = r.staffNumber || null;
        return {
          name: r.name, kana, email: r.email, staff_number: staff, unit_id: units.get(r.unit) ?? null,
          affiliation: r.affiliation === '市町職員' ? 'municipality' : 'prefecture',
          search_key: personSearchKey({ name: r.name, kana, email: r.email, staff_number: staff }), created_at: now, updated_at: now,
        };
      });
      const ids = await trx.insertInto('bench_people' as 'people').values(chunk as never).returning('id').execute();
      await trx.insertInto('bench_person_roles' as 'person_roles').values(ids.map((p) => ({ person_id: p.id, role: 'staff' as const }))).execute();
    }
  });
  const baseline = (performance.now() - t0) / 1000;
  await sql`DROP TABLE bench_people, bench_person_roles`.execute(b.db);

  const total = preview + apply;
  console.log(`\n${b.label}: ${n} rows, ${(bytes.length / 2 ** 20).toFixed(1)} MiB (${job.encoding})`);
  console.log(`  preview (decode, parse, check, store job) ${preview.toFixed(1).padStart(7)} s   ${(n / preview).toFixed(0).padStart(6)} rows/s`);
  console.log(`  apply (one transaction, audited)         ${apply.toFixed(1).padStart(7)} s   ${(n / apply).toFixed(0).padStart(6)} rows/s   ${ok ? 'OK' : `MISMATCH: status ${done?.status}, ${after - before} people added`}`);
  console.log(`  import total                             ${total.toFixed(1).padStart(7)} s   ${(n / total).toFixed(0).padStart(6)} rows/s`);
  console.log(`  baseline (multi-row INSERTs, ${CHUNK} a statement) ${baseline.toFixed(1).padStart(5)} s   ${(n / baseline).toFixed(0).padStart(6)} rows/s`);
  console.log(`  ratio import/baseline: ×${(total / baseline).toFixed(1)}`);
  if (!ok) process.exitCode = 1;
  summary.push({ bench: 'import', db: b.label, what: `people CSV, ${n} rows: preview`, value: `${preview.toFixed(1)} s`, baseline: '', ratio: '' });
  summary.push({ bench: 'import', db: b.label, what: `people CSV, ${n} rows: apply`, value: `${apply.toFixed(1)} s`, baseline: '', ratio: '' });
  summary.push({ bench: 'import', db: b.label, what: `people CSV, ${n} rows: total`, value: `${total.toFixed(1)} s`, baseline: `bare INSERTs ${baseline.toFixed(1)} s`, ratio: `×${(total / baseline).toFixed(1)}` });
}

export async function importBench(): Promise<void> {
  const n = scaled(50_000, 500);
  console.log(`\nimport: a ${n}-row people CSV through previewImport + startImport`);
  await onEachDatabase((db) => measure(db, n));
}
