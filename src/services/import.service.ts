import type { Kysely } from 'kysely';
import { analyze } from '../db/database.js';
import { parseFiscalYear } from '../domain/calendar.js';
import { type ImportError, importJobRepository } from '../db/repositories/import-job.repository.js';
import { personRepository } from '../db/repositories/person.repository.js';
import { programmeRepository } from '../db/repositories/programme.repository.js';
import { trainingRecordRepository } from '../db/repositories/training-record.repository.js';
import { unitRepository } from '../db/repositories/unit.repository.js';
import { type Database, type ImportJob, type Unit } from '../db/schema.js';
import { CsvError, decodeCsvBytes, parseCsv } from '../lib/csv.js';
import { type FieldErrors, validate } from '../lib/validation.js';
import { audit } from './audit.service.js';
import { type Actor, type AppContext, ServiceError } from './context.js';
import { normaliseKana, personInputSchema, personSearchKey } from './person.service.js';
import { checkUnit, unitInputSchema, unitSearchKey } from './unit.service.js';
import { partnerInputSchema, partnerSearchKey } from './partner.service.js';
import { partnerRepository } from '../db/repositories/partner.repository.js';
import { type Affiliation, type Role, type UnitKind } from '../domain/values.js';

export type ImportKind = 'units' | 'people' | 'history' | 'partners';

/** CSV column names: Japanese as users write them, or the English keys. */
export const IMPORT_COLUMNS: Record<ImportKind, { key: string; ja: string; required: boolean }[]> = {
  units: [
    { key: 'kind', ja: '種別', required: true },
    { key: 'name', ja: '組織名', required: true },
    { key: 'kana', ja: 'フリガナ', required: true },
    { key: 'parent', ja: '上位組織', required: false },
    { key: 'code', ja: '団体コード', required: false },
  ],
  partners: [
    { key: 'name', ja: '団体名', required: true },
    { key: 'kana', ja: 'フリガナ', required: true },
    { key: 'type', ja: '種別', required: true },
    { key: 'fields', ja: '分野', required: false },
    { key: 'areas', ja: '活動地域', required: false },
    { key: 'contactName', ja: '担当者', required: false },
    { key: 'contactEmail', ja: 'メールアドレス', required: false },
    { key: 'contactPhone', ja: '電話番号', required: false },
    { key: 'description', ja: '説明', required: false },
  ],
  history: [
    { key: 'staffNumber', ja: '職員番号', required: false },
    { key: 'email', ja: 'メールアドレス', required: false },
    { key: 'fiscalYear', ja: '年度', required: true },
    { key: 'programme', ja: '研修事業', required: false },
    { key: 'title', ja: '研修名', required: true },
    { key: 'completed', ja: '修了', required: true },
    { key: 'note', ja: '備考', required: false },
  ],
  people: [
    { key: 'name', ja: '氏名', required: true },
    { key: 'kana', ja: 'フリガナ', required: true },
    { key: 'email', ja: 'メールアドレス', required: true },
    { key: 'staffNumber', ja: '職員番号', required: false },
    { key: 'unit', ja: '所属', required: false },
    { key: 'affiliation', ja: '所属区分', required: true },
    { key: 'roles', ja: '役割', required: false },
  ],
};

const KIND_WORDS: Record<string, UnitKind> = {
  部局: 'department', 部: 'department', department: 'department',
  '課・室': 'division', 課: 'division', 室: 'division', division: 'division',
  市町: 'municipality', 市: 'municipality', 町: 'municipality', municipality: 'municipality',
  関係機関: 'agency', agency: 'agency',
};
const AFFILIATION_WORDS: Record<string, Affiliation> = {
  県: 'prefecture', 県職員: 'prefecture', prefecture: 'prefecture',
  市町: 'municipality', 市町職員: 'municipality', municipality: 'municipality',
  関係機関: 'agency', agency: 'agency',
  協働相手: 'partner', partner: 'partner',
};
const ROLE_WORDS: Record<string, Role> = {
  研修担当: 'admin', 管理者: 'admin', admin: 'admin',
  所属長: 'approver', 所属研修担当: 'approver', 承認者: 'approver', approver: 'approver',
  職員: 'staff', staff: 'staff',
  協働コーディネーター: 'coordinator', コーディネーター: 'coordinator', coordinator: 'coordinator',
  協働相手: 'partner', partner: 'partner',
};

const word = (v: string | undefined) => (v ?? '').normalize('NFKC').trim();

type RowErrors = { line: number; errors: FieldErrors };

export interface PersonImportRow {
  line: number;
  name: string;
  kana: string;
  email: string;
  staffNumber: string | null;
  unitId: number | null;
  affiliation: Affiliation;
  roles: Role[] | null;
  /** The person this row will overwrite (matched by staff number, else email), shown in the preview. */
  existing?: { id: number; name: string; email: string; matchedBy: 'staffNumber' | 'email' } | null;
}
export interface UnitImportRow {
  line: number;
  kind: UnitKind;
  name: string;
  kana: string;
  parent: string | null;
  code: string | null;
}

/** Unit references in a people file: a unique name, "部局/課", or a 市町's code. */
function unitResolver(units: Unit[]) {
  const byName = new Map<string, Unit[]>();
  const byId = new Map(units.map((u) => [u.id, u]));
  for (const u of units) byName.set(word(u.name), [...(byName.get(word(u.name)) ?? []), u]);
  return (ref: string): { id: number } | { error: 'error.unitNotFound' | 'error.unitAmbiguous' } => {
    const r = word(ref);
    const byCode = units.find((u) => u.code === r);
    if (byCode) return { id: byCode.id };
    const parts = r.split(/[/／]/).map((s) => s.trim());
    const name = parts[parts.length - 1];
    let found = byName.get(name) ?? [];
    if (parts.length > 1) found = found.filter((u) => u.parent_id && word(byId.get(u.parent_id)?.name) === parts[0]);
    if (found.length > 1) {
      const active = found.filter((u) => u.active);
      if (active.length === 1) return { id: active[0].id };
      return { error: 'error.unitAmbiguous' };
    }
    return found.length === 1 ? { id: found[0].id } : { error: 'error.unitNotFound' };
  };
}

async function validatePeople(db: Kysely<Database>, rows: { line: number; cells: Record<string, string> }[]) {
  const resolve = unitResolver(await unitRepository.all(db));
  const good: PersonImportRow[] = [];
  const bad: RowErrors[] = [];
  const seenEmail = new Map<string, number>();
  const seenStaff = new Map<string, number>();
  for (const { line, cells } of rows) {
    const errors: FieldErrors = {};
    const affiliation = AFFILIATION_WORDS[word(cells.affiliation)] ?? word(cells.affiliation);
    const roleWords = word(cells.roles).split(/[、,;；\s]+/).filter(Boolean);
    const roles = roleWords.map((w) => ROLE_WORDS[w] ?? w);
    const v = validate(personInputSchema, {
      name: cells.name,
      kana: cells.kana,
      email: cells.email,
      staffNumber: cells.staffNumber,
      affiliation,
      roles: roles.length ? roles : undefined,
    });
    if (!v.ok) Object.assign(errors, v.errors);
    let unitId: number | null = null;
    if (word(cells.unit)) {
      const r = resolve(cells.unit);
      if ('error' in r) errors.unit = { key: r.error };
      else unitId = r.id;
    }
    const email = word(cells.email).toLowerCase();
    if (email && seenEmail.has(email)) errors.email = { key: 'imports.duplicateInFile', params: { line: seenEmail.get(email)! } };
    else if (email) seenEmail.set(email, line);
    const staff = word(cells.staffNumber);
    if (staff && seenStaff.has(staff)) errors.staffNumber = { key: 'imports.duplicateInFile', params: { line: seenStaff.get(staff)! } };
    else if (staff) seenStaff.set(staff, line);
    if (Object.keys(errors).length || !v.ok) {
      bad.push({ line, errors });
      continue;
    }
    good.push({
      line,
      name: v.data.name,
      kana: normaliseKana(v.data.kana),
      email: v.data.email,
      staffNumber: v.data.staffNumber ?? null,
      unitId,
      affiliation: v.data.affiliation,
      roles: roles.length ? v.data.roles : null,
    });
  }
  // Who each row will overwrite, the way applyPeople matches: staff number first, then email.
  const found = await personRepository.findByStaffNumbersOrEmails(
    db,
    good.flatMap((r) => (r.staffNumber ? [r.staffNumber] : [])),
    good.map((r) => r.email),
  );
  const byStaff = new Map(found.filter((p) => p.staff_number).map((p) => [p.staff_number!, p]));
  const byEmail = new Map(found.map((p) => [p.email.toLowerCase(), p]));
  for (const r of good) {
    const staff = r.staffNumber ? byStaff.get(r.staffNumber) : undefined;
    const hit = staff ?? byEmail.get(r.email.toLowerCase());
    r.existing = hit ? { id: hit.id, name: hit.name, email: hit.email, matchedBy: staff ? 'staffNumber' : 'email' } : null;
  }
  return { good, bad };
}

async function validateUnits(db: Kysely<Database>, rows: { line: number; cells: Record<string, string> }[]) {
  const existing = await unitRepository.all(db);
  const good: UnitImportRow[] = [];
  const bad: RowErrors[] = [];
  const names = new Set(existing.map((u) => word(u.name)));
  const seen = new Map<string, number>();
  for (const { line, cells } of rows) {
    const errors: FieldErrors = {};
    const kind = KIND_WORDS[word(cells.kind)] ?? word(cells.kind);
    const v = validate(unitInputSchema, { kind, name: cells.name, kana: cells.kana, code: cells.code });
    if (!v.ok) Object.assign(errors, v.errors);
    const parent = word(cells.parent) || null;
    if (v.ok) {
      if (v.data.kind === 'division' && !parent) errors.parent = { key: 'error.required' };
      if (parent && !names.has(parent)) errors.parent = { key: 'error.unitNotFound' };
      if (v.data.kind === 'municipality' && !v.data.code) errors.code = { key: 'error.required' };
      const key = `${v.data.kind}|${parent ?? ''}|${word(v.data.name)}`;
      if (seen.has(key)) errors.name = { key: 'imports.duplicateInFile', params: { line: seen.get(key)! } };
      else seen.set(key, line);
      if (v.data.code) {
        const codeKey = `code|${v.data.code}`;
        if (seen.has(codeKey)) errors.code = { key: 'imports.duplicateInFile', params: { line: seen.get(codeKey)! } };
        else seen.set(codeKey, line);
      }
    }
    if (!v.ok || Object.keys(errors).length) {
      bad.push({ line, errors });
      continue;
    }
    names.add(word(v.data.name)); // later rows may name this one as their parent
    good.push({ line, kind: v.data.kind, name: v.data.name, kana: normaliseKana(v.data.kana), parent, code: v.data.code ?? null });
  }
  return { good, bad };
}

export interface HistoryImportRow {
  line: number;
  personId: number;
  personName: string;
  programmeId: number | null;
  fiscalYear: number;
  title: string;
  completed: boolean;
  note: string;
}

const YES = new Set(['修了', '済', 'はい', 'yes', 'true', '1', '○', '〇']);
const NO = new Set(['未修了', '未', 'いいえ', 'no', 'false', '0', '×']);

/** Past records (研修履歴) from before Kyodo, e.g. NPO・協働研修 from 平成11年度. */
async function validateHistory(db: Kysely<Database>, rows: { line: number; cells: Record<string, string> }[]) {
  const programmes = await programmeRepository.names(db);
  const good: HistoryImportRow[] = [];
  const bad: RowErrors[] = [];
  for (const { line, cells } of rows) {
    const errors: FieldErrors = {};
    const staff = word(cells.staffNumber);
    const email = word(cells.email).toLowerCase();
    const person = staff ? await personRepository.findByStaffNumber(db, staff) : email ? await personRepository.findByEmail(db, email) : undefined;
    if (!staff && !email) errors.staffNumber = { key: 'error.required' };
    else if (!person) errors[staff ? 'staffNumber' : 'email'] = { key: 'error.personNotFound' };
    const fy = parseFiscalYear(word(cells.fiscalYear));
    if (fy === null || fy < 1950 || fy > 2100) errors.fiscalYear = { key: 'error.fiscalYear' };
    const title = (cells.title ?? '').trim();
    if (!title) errors.title = { key: 'error.required' };
    else if (title.length > 200) errors.title = { key: 'error.tooLong', params: { max: 200 } };
    const programmeName = word(cells.programme);
    const programme = programmeName ? programmes.find((p) => word(p.name) === programmeName) : undefined;
    if (programmeName && !programme) errors.programme = { key: 'error.programmeNotFound' };
    const done = word(cells.completed).toLowerCase();
    if (!YES.has(done) && !NO.has(done)) errors.completed = { key: 'error.choice' };
    if (Object.keys(errors).length || !person || fy === null) {
      bad.push({ line, errors });
      continue;
    }
    good.push({ line, personId: person.id, personName: person.name, programmeId: programme?.id ?? null, fiscalYear: fy, title, completed: YES.has(done), note: (cells.note ?? '').trim().slice(0, 500) });
  }
  return { good, bad };
}

async function applyHistory(trx: Kysely<Database>, ctx: AppContext, actor: Actor, rows: HistoryImportRow[], progress: (n: number) => void) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const inserted = await trainingRecordRepository.insertMany(
      trx,
      chunk.map((r) => ({ person_id: r.personId, programme_id: r.programmeId, fiscal_year: r.fiscalYear, title: r.title, completed: r.completed, note: r.note, created_at: ctx.now() })),
    );
    for (const row of inserted) await audit(trx, ctx, actor, 'import_create', 'training_record', row.id, undefined, row);
    progress(i + chunk.length);
  }
}

const PARTNER_TYPE_WORDS: Record<string, string> = {
  地域団体: 'community', 自治会: 'community', NPO法人: 'npo', NPO: 'npo', 任意団体: 'voluntary', 企業: 'company', 大学: 'university', その他: 'other',
  community: 'community', npo: 'npo', voluntary: 'voluntary', company: 'company', university: 'university', other: 'other',
};

export interface PartnerImportRow {
  line: number;
  input: Record<string, unknown>;
}

/** Partner organisations: a new name is added, a known name is updated. Areas are 市町 names or codes. */
async function validatePartners(db: Kysely<Database>, rows: { line: number; cells: Record<string, string> }[]) {
  const units = (await unitRepository.all(db)).filter((u) => u.kind === 'municipality');
  const good: PartnerImportRow[] = [];
  const bad: RowErrors[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of rows) {
    const errors: FieldErrors = {};
    const areaWords = word(cells.areas).split(/[、,，;\s]+/).filter(Boolean);
    const areas: number[] = [];
    for (const a of areaWords) {
      const u = units.find((x) => x.name === a || x.code === a);
      if (u) areas.push(u.id);
      else errors.areas = { key: 'error.unitNotFound' };
    }
    const input = {
      name: cells.name,
      kana: cells.kana,
      type: PARTNER_TYPE_WORDS[word(cells.type)] ?? word(cells.type),
      fields: cells.fields ?? '',
      areas,
      contactName: cells.contactName,
      contactEmail: cells.contactEmail,
      contactPhone: cells.contactPhone,
      description: cells.description,
    };
    const v = validate(partnerInputSchema, input);
    if (!v.ok) Object.assign(errors, v.errors);
    const name = (cells.name ?? '').trim();
    if (name && seen.has(name)) errors.name = { key: 'imports.duplicateInFile', params: { line: seen.get(name)! } };
    else if (name) seen.set(name, line);
    if (Object.keys(errors).length) bad.push({ line, errors });
    else good.push({ line, input });
  }
  return { good, bad };
}

async function applyPartners(trx: Kysely<Database>, ctx: AppContext, actor: Actor, rows: PartnerImportRow[], progress: (n: number) => void) {
  for (const [i, r] of rows.entries()) {
    const v = validate(partnerInputSchema, r.input);
    if (!v.ok) throw new RowConflict(r.line, Object.keys(v.errors)[0], Object.values(v.errors)[0].key);
    const existing = await partnerRepository.findByName(trx, v.data.name);
    const kana = normaliseKana(v.data.kana);
    const cols = {
      name: v.data.name,
      kana,
      type: v.data.type,
      fields: JSON.stringify(v.data.fields),
      area_unit_ids: JSON.stringify(v.data.areas),
      contact_name: v.data.contactName ?? '',
      contact_email: v.data.contactEmail ?? '',
      contact_phone: v.data.contactPhone ?? '',
      description: v.data.description ?? '',
      search_key: partnerSearchKey({ name: v.data.name, kana, description: v.data.description, fields: v.data.fields }),
      updated_at: ctx.now(),
    };
    if (existing) {
      const after = await partnerRepository.update(trx, existing.id, cols);
      await audit(trx, ctx, actor, 'import_update', 'partner', existing.id, existing, after);
    } else {
      const row = await partnerRepository.insert(trx, { ...cols, created_at: ctx.now() });
      await audit(trx, ctx, actor, 'import_create', 'partner', row.id, undefined, row);
    }
    if ((i + 1) % 100 === 0 || i + 1 === rows.length) progress(i + 1);
  }
}

function flatten(bad: RowErrors[]): ImportError[] {
  return bad.flatMap(({ line, errors }) =>
    Object.entries(errors).map(([field, e]) => ({ line, field, message: e.key, params: e.params })),
  );
}

/** Reads and checks a file, and keeps it as a job to preview. Nothing is imported yet. */
export async function previewImport(
  ctx: AppContext,
  actor: { id: number },
  kind: ImportKind,
  filename: string,
  bytes: Uint8Array,
): Promise<ImportJob> {
  const columns = IMPORT_COLUMNS[kind];
  let decoded;
  let parsed;
  try {
    decoded = decodeCsvBytes(bytes);
    parsed = parseCsv(decoded.text);
  } catch (e) {
    if (e instanceof CsvError)
      throw new ServiceError(422, 'csv', 'error.csv', { file: { key: 'error.csv', params: { detail: e.messageJa, detailEn: e.messageEn } } }, {
        detail: e.messageJa,
        detailEn: e.messageEn,
      });
    throw e;
  }
  const headerErrors: ImportError[] = [];
  const keyOf = new Map<string, string>();
  for (const h of parsed.header) {
    const col = columns.find((c) => c.ja === h.normalize('NFKC') || c.key === h || c.ja === h);
    if (col) keyOf.set(h, col.key);
    else
      headerErrors.push({ line: 1, message: 'error.unknownColumn', params: { column: h, columns: columns.map((c) => c.ja).join('、') } });
  }
  for (const c of columns)
    if (c.required && ![...keyOf.values()].includes(c.key)) headerErrors.push({ line: 1, message: 'error.missingColumn', params: { column: c.ja } });
  const rows = parsed.rows.map((r) => ({
    line: r.line,
    cells: Object.fromEntries(Object.entries(r.cells).map(([h, v]) => [keyOf.get(h) ?? h, v])),
  }));
  const { good, bad } = headerErrors.length
    ? { good: [], bad: [] as RowErrors[] }
    : kind === 'people'
      ? await validatePeople(ctx.db, rows)
      : kind === 'history'
        ? await validateHistory(ctx.db, rows)
        : kind === 'partners'
          ? await validatePartners(ctx.db, rows)
          : await validateUnits(ctx.db, rows);
  return importJobRepository.insert(ctx.db, {
    kind,
    filename: filename.slice(0, 200),
    encoding: decoded.encoding,
    rows: headerErrors.length ? [] : good,
    errors: [...headerErrors, ...flatten(bad)],
    createdBy: actor.id,
    now: ctx.now(),
  });
}

export function getImportJob(ctx: AppContext, id: number) {
  return importJobRepository.find(ctx.db, id);
}

export function recentImports(ctx: AppContext) {
  return importJobRepository.recent(ctx.db);
}

export async function discardImport(ctx: AppContext, id: number): Promise<void> {
  if (!(await importJobRepository.transition(ctx.db, id, 'preview', 'discarded', ctx.now())))
    throw new ServiceError(409, 'import_state', 'error.importState');
}

const CHUNK = 500;

async function applyPeople(trx: Kysely<Database>, ctx: AppContext, actor: Actor, rows: PersonImportRow[], progress: (n: number) => void) {
  let done = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const now = ctx.now();
    for (const r of chunk) {
      const existing =
        (r.staffNumber ? await personRepository.findByStaffNumber(trx, r.staffNumber) : undefined) ??
        (await personRepository.findByEmail(trx, r.email));
      const cols = {
        name: r.name,
        kana: r.kana,
        email: r.email,
        staff_number: r.staffNumber,
        unit_id: r.unitId,
        affiliation: r.affiliation,
        search_key: personSearchKey({ name: r.name, kana: r.kana, email: r.email, staff_number: r.staffNumber }),
        updated_at: now,
      };
      if (existing) {
        const before = await personRepository.find(trx, existing.id);
        // Another person may already hold this email or staff number: refuse the whole file.
        const clash = await personRepository.findByEmail(trx, r.email);
        if (clash && clash.id !== existing.id) throw new RowConflict(r.line, 'email', 'error.emailTaken');
        await personRepository.update(trx, existing.id, cols);
        if (r.roles) await personRepository.setRoles(trx, existing.id, r.roles);
        await audit(trx, ctx, actor, 'import_update', 'person', existing.id, before, { ...cols, roles: r.roles ?? before?.roles });
      } else {
        const row = await personRepository.insert(trx, { ...cols, created_at: now });
        await personRepository.setRoles(trx, row.id, r.roles ?? ['staff']);
        await audit(trx, ctx, actor, 'import_create', 'person', row.id, undefined, { ...cols, roles: r.roles ?? ['staff'] });
      }
    }
    done += chunk.length;
    progress(done);
  }
}

async function applyUnits(trx: Kysely<Database>, ctx: AppContext, actor: Actor, rows: UnitImportRow[], progress: (n: number) => void) {
  let done = 0;
  for (const r of rows) {
    const all = await unitRepository.all(trx);
    const parent = r.parent ? all.find((u) => word(u.name) === r.parent && u.active) ?? all.find((u) => word(u.name) === r.parent) : undefined;
    if (r.parent && !parent) throw new RowConflict(r.line, 'parent', 'error.unitNotFound');
    const input = { kind: r.kind, parentId: parent?.id, name: r.name, kana: r.kana, code: r.code ?? undefined };
    const existing = r.code
      ? all.find((u) => u.code === r.code)
      : all.find((u) => u.kind === r.kind && word(u.name) === word(r.name) && (u.parent_id ?? null) === (parent?.id ?? null));
    const errors = await checkUnit(trx, input, existing?.id ?? null);
    const first = Object.entries(errors)[0];
    if (first) throw new RowConflict(r.line, first[0], first[1].key);
    const now = ctx.now();
    const cols = {
      kind: r.kind,
      parent_id: parent?.id ?? null,
      name: r.name,
      kana: r.kana,
      code: r.code,
      search_key: unitSearchKey(r),
      updated_at: now,
    };
    if (existing) {
      const after = await unitRepository.update(trx, existing.id, cols);
      await audit(trx, ctx, actor, 'import_update', 'unit', existing.id, existing, after);
    } else {
      const row = await unitRepository.insert(trx, { ...cols, created_at: now });
      await audit(trx, ctx, actor, 'import_create', 'unit', row.id, undefined, row);
    }
    done++;
    if (done % 100 === 0 || done === rows.length) progress(done);
  }
}

class RowConflict extends Error {
  constructor(
    public line: number,
    public field: string,
    public key: string,
  ) {
    super(`line ${line}: ${field} ${key}`);
  }
}

/** Live progress of running imports in this process (the job's row says running/done/failed). */
const progressById = new Map<number, number>();
export function importProgress(job: ImportJob): number {
  return job.status === 'running' ? (progressById.get(job.id) ?? job.processed_rows) : job.processed_rows;
}

/**
 * Imports a previewed job, all or nothing: one transaction; any failure rolls back every row.
 * Returns a promise that settles when the job has finished (the page does not wait for it).
 */
export async function startImport(ctx: AppContext, actor: { id: number }, id: number): Promise<{ finished: Promise<void> }> {
  const job = await importJobRepository.find(ctx.db, id);
  if (!job) throw new ServiceError(404, 'not_found', 'error.notFound');
  if (job.errors.length) throw new ServiceError(409, 'import_errors', 'imports.cannotApply');
  if (!(await importJobRepository.transition(ctx.db, id, 'preview', 'running')))
    throw new ServiceError(409, 'import_state', 'error.importState');
  progressById.set(id, 0);
  const finished = (async () => {
    try {
      await ctx.db.transaction().execute(async (trx) => {
        const progress = (n: number) => progressById.set(id, n);
        if (job.kind === 'people') await applyPeople(trx, ctx, actor, job.rows as PersonImportRow[], progress);
        else if (job.kind === 'history') await applyHistory(trx, ctx, actor, job.rows as HistoryImportRow[], progress);
        else if (job.kind === 'partners') await applyPartners(trx, ctx, actor, job.rows as PartnerImportRow[], progress);
        else await applyUnits(trx, ctx, actor, job.rows as UnitImportRow[], progress);
        await audit(trx, ctx, actor, 'import', 'import_job', id, undefined, { kind: job.kind, rows: job.total_rows, filename: job.filename });
        await importJobRepository.progress(trx, id, job.total_rows);
        await importJobRepository.finish(trx, id, 'done', ctx.now());
      });
      await analyze(ctx.db);
    } catch (e) {
      const err =
        e instanceof RowConflict
          ? { line: e.line, field: e.field, message: e.key }
          : { line: 0, message: 'error.server' };
      await importJobRepository.finish(ctx.db, id, 'failed', ctx.now(), [err]);
      if (!(e instanceof RowConflict)) ctx.logger?.error({ err: e, importJob: id }, 'import failed');
    } finally {
      progressById.delete(id);
    }
  })();
  return { finished };
}

