import type { Kysely } from 'kysely';
import { fiscalYearOfDate, parseFiscalYear } from '../domain/calendar.js';
import { type ImportError, type ImportJob, importJobRepository } from '../db/repositories/import-job.repository.js';
import { type PersonMatch, personImportRepository, type PersonWrite } from '../db/repositories/person-import.repository.js';
import { programmeRepository } from '../db/repositories/programme.repository.js';
import { trainingRecordRepository } from '../db/repositories/training-record.repository.js';
import { unitRepository } from '../db/repositories/unit.repository.js';
import { partnerRepository } from '../db/repositories/partner.repository.js';
import type { Database, ImportOutcome, Unit } from '../db/schema.js';
import { type ImportedField, type ImportedPerson, importChanges, importedPerson } from '../domain/person-import.js';
import { CsvError, decodeCsvBytes, type ParsedCsv, parseCsv, restoreNeutralised } from '../lib/csv.js';
import { isLegacyOffice, isZip, readXlsxRows } from '../lib/spreadsheet.js';
import { type FieldErrors, validate } from '../lib/validation.js';
import { audit, auditRecords } from './audit.service.js';
import { type Actor, type AppContext, ServiceError } from './context.js';
import { normaliseKana, personInputSchema, personSearchKey } from './person.service.js';
import { checkUnit, unitInputSchema, unitSearchKey } from './unit.service.js';
import { partnerInputSchema, partnerSearchKey } from './partner.service.js';
import { type Affiliation, type Role, type UnitKind } from '../domain/values.js';
import {
  activeWord,
  AFFILIATION_WORDS,
  columnOf,
  IMPORT_COLUMNS,
  type ImportKind,
  KIND_WORDS,
  lookUp,
  NO,
  PARTNER_TYPE_WORDS,
  ROLE_WORDS,
  roleWords,
  RowConflict,
  word,
  YES,
} from './import-columns.js';
import { applyRoster, validateRoster, type RosterImportRow } from './import-roster.service.js';

export { IMPORT_COLUMNS, type ImportKind, RowConflict, templateColumns } from './import-columns.js';
export type { ImportJob } from '../db/repositories/import-job.repository.js';
export type { RosterImportRow } from './import-roster.service.js';

import type { RowErrors, SourceRows } from './import-columns.js';

export interface PersonImportRow {
  line: number;
  name: string;
  kana: string;
  email: string;
  /** null: none (an empty cell); left out when the file has no 職員番号 column (a registered person keeps theirs). */
  staffNumber?: string | null;
  /** null: none (an empty cell); left out when the file has no 所属 column (a registered person keeps theirs). */
  unitId?: number | null;
  /** The unit as the preview shows it and the people download writes it (its path, 「総務部／総務課」); with `unitId`. */
  unit?: string | null;
  affiliation: Affiliation;
  roles: Role[] | null;
  /**
   * 職名: the text to hold, or null for an empty cell (no 職名; a registered person's is removed, as an
   * empty 職員番号 or 所属 cell removes theirs). Left out when the file has no 職名 column: a new person
   * has none, a registered person keeps theirs.
   */
  jobTitle?: string | null;
  /** The person this row will overwrite (matched by staff number, else email), shown in the preview with their 職名. */
  existing?: {
    id: number;
    name: string;
    email: string;
    jobTitle: string | null;
    /** Their 所属 now, as the download writes it (null: none). Left out in jobs previewed before it was kept. */
    unit?: string | null;
    affiliation?: Affiliation;
    matchedBy: 'staffNumber' | 'email';
    /** What the row changes about them, as the preview found it (none: the import leaves them as they are). Left out in older jobs. */
    changes?: ImportedField[];
  } | null;
}
export interface UnitImportRow {
  line: number;
  kind: UnitKind;
  name: string;
  kana: string;
  parent: string | null;
  code: string | null;
}

/** The separator of a unit's path as the people download writes it: 「総務部／総務課」 (read also as 「/」). */
export const UNIT_PATH_SEPARATOR = '／';

type UnitLike = Pick<Unit, 'id' | 'parent_id' | 'name' | 'code' | 'active'>;
type UnitAnswer = { id: number } | { error: 'error.unitNotFound' } | { error: 'imports.unitAmbiguous'; candidates: string[] };

/** Each unit's names from the top of the tree down to itself, as registered: 総務部, 総務課. */
function unitPaths(units: readonly UnitLike[]): Map<number, string[]> {
  const byId = new Map(units.map((u) => [u.id, u]));
  const paths = new Map<number, string[]>();
  const pathOf = (u: UnitLike, seen: Set<number>): string[] => {
    const known = paths.get(u.id);
    if (known) return known;
    const parent = u.parent_id !== null && !seen.has(u.parent_id) ? byId.get(u.parent_id) : undefined;
    const path = [...(parent ? pathOf(parent, seen.add(u.id)) : []), u.name.trim()];
    paths.set(u.id, path);
    return path;
  };
  for (const u of units) pathOf(u, new Set());
  return paths;
}

/**
 * 所属 in a people file, as the import reads it: a unit's code (団体コード); its name, when only one
 * unit has it; or its path, 「部局／課」 (with 「/」 or 「／」, from the top or only its last levels; a
 * leading 「／」 says from the top), as the people download writes it. Where several units answer, the one whose whole path was written,
 * else the only active one, is meant; otherwise the row is refused naming the candidates by their
 * paths (and codes).
 */
function unitResolver(units: readonly UnitLike[]) {
  const paths = unitPaths(units);
  const byCode = new Map(units.filter((u) => u.code).map((u) => [word(u.code!), u]));
  const byName = new Map<string, UnitLike[]>();
  for (const u of units) byName.set(word(u.name), [...(byName.get(word(u.name)) ?? []), u]);
  /** A candidate as an ambiguous row names it: its path, and its code when it has one (「大津市（252018）」). */
  const shown = (u: UnitLike) => `${paths.get(u.id)!.join(UNIT_PATH_SEPARATOR)}${u.code ? `（${u.code}）` : ''}`;
  const memo = new Map<string, UnitAnswer>();
  return (ref: string): UnitAnswer => {
    const r = word(ref);
    const known = memo.get(r);
    if (known) return known;
    const code = byCode.get(r);
    let answer: UnitAnswer;
    if (code) answer = { id: code.id };
    else {
      // NFKC has made 「／」 a 「/」. A name that itself holds a 「/」 is also read whole.
      const parts = r.split('/').map((s) => s.trim()).filter(Boolean);
      const ends = (u: UnitLike) => {
        const path = paths.get(u.id)!;
        return parts.length <= path.length && parts.every((p, i) => word(path[path.length - parts.length + i]) === p);
      };
      let found = [...new Set([...(byName.get(r) ?? []), ...(byName.get(parts.at(-1) ?? '') ?? []).filter(ends)])];
      // A path written from the top means that unit, though a deeper one ends the same way; a plain name is
      // only ever a name, unless it starts with the separator (「／県民センター」: the top-level one).
      const whole = parts.length > 1 || r.startsWith('/') ? found.filter((u) => paths.get(u.id)!.length === parts.length) : [];
      if (r.startsWith('/')) found = whole;
      else if (found.length > 1 && whole.length === 1) found = whole;
      const active = found.filter((u) => u.active);
      if (found.length > 1 && active.length === 1) found = active;
      answer =
        found.length === 1
          ? { id: found[0].id }
          : found.length
            ? { error: 'imports.unitAmbiguous', candidates: [...new Set((active.length ? active : found).map(shown))].sort() }
            : { error: 'error.unitNotFound' };
    }
    memo.set(r, answer);
    return answer;
  };
}

/**
 * What the people download writes as each unit's 所属: its path from the top (「総務部／総務課」; a 部局 or
 * 市町 by its name alone), which the import reads back as that unit even when another unit has the same
 * name; else its name alone (a name holding a 「/」); its code where even the path is shared (two
 * top-level units of one name); or its path marked as from the top (「／県民センター」, where a deeper
 * unit has the same name). Each is checked with the import's own reading; a unit no reference can
 * single out keeps its path, and importing it is refused naming the candidates.
 */
export function unitReferenceMap(units: readonly UnitLike[]): Map<number, string> {
  const resolve = unitResolver(units);
  const paths = unitPaths(units);
  const out = new Map<number, string>();
  for (const u of units) {
    const path = paths.get(u.id)!.join(UNIT_PATH_SEPARATOR);
    const picks = (ref: string) => {
      const a = resolve(ref);
      return 'id' in a && a.id === u.id;
    };
    out.set(u.id, [path, u.name.trim(), u.code, `${UNIT_PATH_SEPARATOR}${path}`].find((ref) => ref && picks(ref)) ?? path);
  }
  return out;
}

/** Every unit's 所属 as the people download writes it (`unitReferenceMap`), by unit id. */
export async function unitReferences(ctx: AppContext): Promise<Map<number, string>> {
  return unitReferenceMap(await unitRepository.all(ctx.db));
}

/**
 * Rows whose person is already taken: a staff number matched one person while the email belongs to
 * another, or two rows of the file name the same registered person (by staff number and by email).
 * Checked on the preview and again, chunk by chunk, when the import runs.
 */
/**
 * What a previewed people row does: adds a person, changes a registered one, or leaves one as they are
 * (not written). A row previewed before changes were kept counts as a change.
 */
export function previewedAs(r: PersonImportRow): keyof ImportOutcome {
  return !r.existing ? 'created' : r.existing.changes?.length === 0 ? 'unchanged' : 'updated';
}

/** A people preview's rows counted by `previewedAs`. */
export function previewOutcome(rows: readonly PersonImportRow[]): ImportOutcome {
  const out: ImportOutcome = { created: 0, updated: 0, unchanged: 0 };
  for (const r of rows) out[previewedAs(r)]++;
  return out;
}

/** A matched person as a people import compares and writes them. */
function registeredPerson(m: PersonMatch): ImportedPerson {
  return { name: m.name!, kana: m.kana!, email: m.email!, staffNumber: m.staff_number, jobTitle: m.title, unitId: m.unit_id, affiliation: m.affiliation!, roles: m.roles ?? [] };
}

function matchConflicts(rows: readonly { line: number }[], matches: readonly PersonMatch[], seen: Map<number, number>): RowErrors[] {
  const byLine = new Map(matches.map((m) => [m.line, m]));
  const out: RowErrors[] = [];
  for (const r of rows) {
    const m = byLine.get(r.line);
    if (!m?.id) continue;
    if (m.email_owner && m.email_owner !== m.id) out.push({ line: r.line, errors: { email: { key: 'error.emailTaken' } } });
    else if (seen.has(m.id)) out.push({ line: r.line, errors: { [m.matched_by ?? 'email']: { key: 'imports.samePerson', params: { line: seen.get(m.id)! } } } });
    else seen.set(m.id, r.line);
  }
  return out;
}

async function validatePeople(db: Kysely<Database>, rows: SourceRows, present: ReadonlySet<string>) {
  const units = await unitRepository.all(db);
  const resolve = unitResolver(units);
  // The preview shows each unit as the download writes it (its path), not its id.
  const refs = unitReferenceMap(units);
  const unitRef = (id: number | null) => (id === null ? null : (refs.get(id) ?? null));
  let good: PersonImportRow[] = [];
  const bad: RowErrors[] = [];
  const seenEmail = new Map<string, number>();
  const seenStaff = new Map<string, number>();
  // 状態 as the row gives it (the download writes it): checked against the person once matched, never changed.
  const activeByLine = new Map<number, boolean>();
  for (const { line, cells } of rows) {
    const errors: FieldErrors = {};
    const affiliation = lookUp(AFFILIATION_WORDS, word(cells.affiliation)) ?? word(cells.affiliation);
    const roles = roleWords(cells.roles).map((w) => lookUp(ROLE_WORDS, w) ?? w);
    const v = validate(personInputSchema, {
      name: cells.name,
      kana: cells.kana,
      email: cells.email,
      staffNumber: cells.staffNumber,
      // The person form's rule (trimmed, one line, 100 characters); an empty cell is '' (none), no column undefined (kept).
      jobTitle: present.has('jobTitle') ? (cells.jobTitle ?? '') : undefined,
      affiliation,
      roles: roles.length ? roles : undefined,
    });
    if (!v.ok) Object.assign(errors, v.errors);
    const active = activeWord(cells.active);
    if (active === null) errors.active = { key: 'error.choice' };
    else if (active !== undefined) activeByLine.set(line, active);
    let unitId: number | null = null;
    if (word(cells.unit)) {
      const r = resolve(cells.unit);
      if ('candidates' in r) errors.unit = { key: r.error, params: { value: word(cells.unit), candidates: r.candidates.map((c) => `「${c}」`).join('、') } };
      else if ('error' in r) errors.unit = { key: r.error };
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
      // A column the file does not have leaves what is registered as it is (a new person has none).
      ...(present.has('staffNumber') ? { staffNumber: v.data.staffNumber ?? null } : {}),
      ...(present.has('unit') ? { unitId, unit: unitRef(unitId) } : {}),
      affiliation: v.data.affiliation,
      roles: roles.length ? v.data.roles : null,
      ...(v.data.jobTitle === undefined ? {} : { jobTitle: v.data.jobTitle || null }),
    });
  }
  // Who each row will overwrite, the way the import matches: staff number first, then email (one statement).
  const matches = await personImportRepository.match(
    db,
    good.map((r) => ({ line: r.line, staff_number: r.staffNumber ?? null, email: r.email })),
  );
  const conflicts = matchConflicts(good, matches, new Map());
  const byLine = new Map(matches.map((m) => [m.line, m]));
  // 状態 is not imported: a row that says otherwise than the person's state is refused, not quietly ignored.
  for (const r of good) {
    const said = activeByLine.get(r.line);
    const now = byLine.get(r.line)?.active ?? true; // a new person is 有効
    if (said !== undefined && said !== now && !conflicts.some((c) => c.line === r.line))
      conflicts.push({ line: r.line, errors: { active: { key: now ? 'imports.activeStays' : 'imports.inactiveStays' } } });
  }
  if (conflicts.length) {
    const lines = new Set(conflicts.map((c) => c.line));
    good = good.filter((r) => !lines.has(r.line));
    bad.push(...conflicts);
    bad.sort((a, b) => a.line - b.line);
  }
  for (const r of good) {
    const m = byLine.get(r.line);
    const registered = m?.id ? registeredPerson(m) : null;
    r.existing = registered
      ? {
          id: m!.id!,
          name: registered.name,
          email: registered.email,
          jobTitle: registered.jobTitle,
          unit: unitRef(registered.unitId),
          affiliation: registered.affiliation as Affiliation,
          matchedBy: m!.matched_by!,
          changes: importChanges(registered, importedPerson(r, registered)),
        }
      : null;
  }
  return { good, bad };
}

async function validateUnits(db: Kysely<Database>, rows: SourceRows) {
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

/** A fiscal year as written (2011, 平成23年度, H23), or a date typed in the cell (its fiscal year). */
function fiscalYearCell(text: string): number | null {
  const w = word(text);
  const date = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s.*)?$/.exec(w);
  if (date) return fiscalYearOfDate(`${date[1]}-${date[2].padStart(2, '0')}-${date[3].padStart(2, '0')}`);
  return parseFiscalYear(w);
}

/** Past records (研修履歴) from before Kyodo, e.g. NPO・協働研修 from 平成11年度. People found in one statement. */
async function validateHistory(db: Kysely<Database>, rows: SourceRows) {
  const programmes = await programmeRepository.names(db);
  const matches = new Map(
    (
      await personImportRepository.match(
        db,
        rows.map(({ line, cells }) => ({ line, staff_number: word(cells.staffNumber) || null, email: word(cells.email).toLowerCase() })),
      )
    ).map((m) => [m.line, m]),
  );
  const good: HistoryImportRow[] = [];
  const bad: RowErrors[] = [];
  for (const { line, cells } of rows) {
    const errors: FieldErrors = {};
    const staff = word(cells.staffNumber);
    const email = word(cells.email).toLowerCase();
    const m = matches.get(line);
    // A staff number, when given, must match by itself; otherwise the email does.
    const person = m?.id && (staff ? m.matched_by === 'staffNumber' : !!email) ? { id: m.id, name: m.name! } : undefined;
    if (!staff && !email) errors.staffNumber = { key: 'error.required' };
    else if (!person) errors[staff ? 'staffNumber' : 'email'] = { key: 'error.personNotFound' };
    const fy = fiscalYearCell(cells.fiscalYear ?? '');
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

export interface PartnerImportRow {
  line: number;
  input: Record<string, unknown>;
}

/** Partner organisations: a new name is added, a known name is updated. Areas are 市町 names or codes. */
async function validatePartners(db: Kysely<Database>, rows: SourceRows) {
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

function flatten(bad: RowErrors[]): ImportError[] {
  return bad.flatMap(({ line, errors }) => Object.entries(errors).map(([field, e]) => ({ line, field, message: e.key, params: e.params })));
}

function fileRefusal(e: CsvError): ServiceError {
  return new ServiceError(422, 'csv', 'error.csv', { file: { key: 'error.csv', params: { detail: e.messageJa, detailEn: e.messageEn } } }, { detail: e.messageJa, detailEn: e.messageEn });
}

/**
 * The rows of an uploaded file: an Excel workbook (.xlsx: the first sheet whose first row names a
 * column of this kind; rows numbered as Excel shows them) or CSV (UTF-8 with or without BOM, or
 * Shift_JIS). An old .xls is refused with what to do.
 */
export async function readImportFile(kind: ImportKind, bytes: Uint8Array): Promise<{ encoding: string; parsed: ParsedCsv }> {
  try {
    if (isZip(bytes)) return { encoding: 'xlsx', parsed: restoreCells(await readXlsxRows(bytes, (h) => !!columnOf(kind, h))) };
    if (isLegacyOffice(bytes))
      throw new CsvError(
        'invalid',
        '古い形式のExcelファイル（.xls）は読み取れません。Excelで開いて「Excel ブック（*.xlsx）」またはCSVで保存し直してください。',
        'Old Excel files (.xls) cannot be read. Open the file in Excel and save it as "Excel Workbook (*.xlsx)" or as CSV.',
      );
    const decoded = decodeCsvBytes(bytes);
    return { encoding: decoded.encoding, parsed: restoreCells(parseCsv(decoded.text)) };
  } catch (e) {
    if (e instanceof CsvError) throw fileRefusal(e);
    throw e;
  }
}

/**
 * The cells without the apostrophe our downloads put before = + - @ TAB CR (`neutraliseFormula`,
 * the CSV-injection guard): a downloaded list imports back as it was (「'-」 is read as 「-」). Also
 * in a workbook, where Excel may have kept it as text when the CSV was opened and saved as .xlsx.
 */
function restoreCells(parsed: ParsedCsv): ParsedCsv {
  for (const row of parsed.rows) for (const [h, v] of Object.entries(row.cells)) if (typeof v === 'string' && v.startsWith("'")) row.cells[h] = restoreNeutralised(v);
  return parsed;
}

/** Maps the file's header to the kind's columns, naming unknown and missing columns (line 1). */
export function mapColumns(kind: ImportKind, parsed: ParsedCsv): { rows: SourceRows; headerErrors: ImportError[]; present: Set<string> } {
  const columns = IMPORT_COLUMNS[kind];
  const headerErrors: ImportError[] = [];
  const keyOf = new Map<string, string>();
  for (const h of parsed.header) {
    const c = columnOf(kind, h);
    if (c) keyOf.set(h, c.key);
    else headerErrors.push({ line: 1, message: 'error.unknownColumn', params: { column: h, columns: columns.map((x) => x.ja).join('、') } });
  }
  for (const c of columns)
    if (c.required && ![...keyOf.values()].includes(c.key)) headerErrors.push({ line: 1, message: 'error.missingColumn', params: { column: c.ja } });
  const present = new Set(keyOf.values());
  if (kind === 'roster' && !keyOf.size) return { rows: [], headerErrors, present };
  if (kind === 'roster' && ![...keyOf.values()].some((k) => k === 'staffNumber' || k === 'email'))
    headerErrors.push({ line: 1, message: 'error.missingColumn', params: { column: '職員番号' } });
  const rows = parsed.rows.map((r) => ({ line: r.line, cells: Object.fromEntries(Object.entries(r.cells).map(([h, v]) => [keyOf.get(h) ?? h, v])) }));
  return { rows, headerErrors, present };
}

/** Reads and checks a file, and keeps it as a job to preview. Nothing is imported yet. */
export async function previewImport(ctx: AppContext, actor: { id: number }, kind: Exclude<ImportKind, 'roster'>, filename: string, bytes: Uint8Array): Promise<ImportJob> {
  const { encoding, parsed } = await readImportFile(kind, bytes);
  const { rows, headerErrors, present } = mapColumns(kind, parsed);
  const { good, bad } = headerErrors.length
    ? { good: [], bad: [] as RowErrors[] }
    : kind === 'people'
      ? await validatePeople(ctx.db, rows, present)
      : kind === 'history'
        ? await validateHistory(ctx.db, rows)
        : kind === 'partners'
          ? await validatePartners(ctx.db, rows)
          : await validateUnits(ctx.db, rows);
  return importJobRepository.insert(ctx.db, {
    kind,
    filename: filename.slice(0, 200),
    encoding,
    rows: headerErrors.length ? [] : good,
    errors: [...headerErrors, ...flatten(bad)],
    createdBy: actor.id,
    now: ctx.now(),
  });
}

/**
 * Reads a participant list (受講者名簿) for one offering and keeps it as a job to preview: who will be
 * applied for, with the status each will get. Nothing is applied yet.
 */
export async function previewRosterImport(ctx: AppContext, actor: { id: number }, offeringId: number, filename: string, bytes: Uint8Array): Promise<ImportJob> {
  const { encoding, parsed } = await readImportFile('roster', bytes);
  const { rows, headerErrors } = mapColumns('roster', parsed);
  const { good, bad } = headerErrors.length ? { good: [], bad: [] as RowErrors[] } : await validateRoster(ctx, actor, offeringId, rows);
  return importJobRepository.insert(ctx.db, {
    kind: 'roster',
    filename: filename.slice(0, 200),
    encoding,
    rows: headerErrors.length ? [] : good,
    errors: [...headerErrors, ...flatten(bad)],
    createdBy: actor.id,
    now: ctx.now(),
    offeringId,
  });
}

export function getImportJob(ctx: AppContext, id: number) {
  return importJobRepository.find(ctx.db, id);
}

/** A job's state without its rows (the progress page asks every second or two). */
export function getImportStatus(ctx: AppContext, id: number) {
  return importJobRepository.status(ctx.db, id);
}

export function recentImports(ctx: AppContext, offeringId?: number) {
  return importJobRepository.recent(ctx.db, 20, offeringId);
}

export async function discardImport(ctx: AppContext, id: number): Promise<void> {
  if (!(await importJobRepository.transition(ctx.db, id, 'preview', 'discarded', ctx.now())))
    throw new ServiceError(409, 'import_state', 'error.importState');
}

/** Rows a chunk of a people or history import writes with two statements (issue 18 §3). */
export const CHUNK = 5000;

type Progress = (n: number) => Promise<void>;

async function applyPeople(trx: Kysely<Database>, ctx: AppContext, actor: Actor, rows: PersonImportRow[], progress: Progress): Promise<ImportOutcome> {
  const seen = new Map<number, number>();
  const outcome: ImportOutcome = { created: 0, updated: 0, unchanged: 0 };
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    // Matched again inside the transaction (the preview may be old): four statements a chunk — match, draw ids, read the changing people as stored, write.
    const matches = await personImportRepository.match(
      trx,
      chunk.map((r) => ({ line: r.line, staff_number: r.staffNumber ?? null, email: r.email })),
    );
    const conflict = matchConflicts(chunk, matches, seen)[0];
    if (conflict) {
      const [field, e] = Object.entries(conflict.errors)[0];
      throw new RowConflict(conflict.line, field, e.key, e.params);
    }
    const byLine = new Map(matches.map((m) => [m.line, m]));
    const ids = await personImportRepository.newIds(trx, chunk.filter((r) => !byLine.get(r.line)?.id).length);
    const writes: PersonWrite[] = [];
    const changedIds: number[] = [];
    for (const r of chunk) {
      const m = byLine.get(r.line);
      // No 職員番号, 職名 or 所属 column: a registered person keeps theirs (as matched in this transaction), a new one has none.
      const registered = m?.id ? registeredPerson(m) : null;
      const after = importedPerson(r, registered);
      // A registered person whom the row does not change is not written: no audit entry, no new 更新日時.
      if (registered && !importChanges(registered, after).length) {
        outcome.unchanged++;
        continue;
      }
      outcome[registered ? 'updated' : 'created']++;
      if (registered) changedIds.push(m!.id!);
      writes.push({
        line: r.line,
        id: m?.id ?? ids.shift()!,
        is_new: !registered,
        name: after.name,
        kana: after.kana,
        email: after.email,
        staff_number: after.staffNumber,
        unit_id: after.unitId,
        affiliation: after.affiliation,
        search_key: personSearchKey({ name: after.name, kana: after.kana, email: after.email, staff_number: after.staffNumber }),
        title: after.jobTitle,
        roles: after.roles ? [...after.roles] : null,
        before: null,
      });
    }
    // The audit entries' `before`: read for the people who change only, in the same transaction.
    const stored = await personImportRepository.stored(trx, changedIds);
    for (const w of writes) if (!w.is_new) w.before = auditRecords(ctx, [{ actor, action: '', entity: 'person', entityId: null, before: stored.get(w.id) }])[0].before ?? null;
    await personImportRepository.write(trx, writes, { at: ctx.now(), actorId: actor?.id ?? null });
    await progress(i + chunk.length);
  }
  return outcome;
}

async function applyHistory(trx: Kysely<Database>, ctx: AppContext, actor: Actor, rows: HistoryImportRow[], progress: Progress) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await trainingRecordRepository.insertAudited(
      trx,
      chunk.map((r) => ({ person_id: r.personId, programme_id: r.programmeId, fiscal_year: r.fiscalYear, title: r.title, completed: r.completed, note: r.note })),
      { at: ctx.now(), actorId: actor?.id ?? null },
    );
    await progress(i + chunk.length);
  }
}

/** Partners are few (dozens to hundreds): each row is matched by name and written with its audit entry. */
async function applyPartners(trx: Kysely<Database>, ctx: AppContext, actor: Actor, rows: PartnerImportRow[], progress: Progress) {
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
    if ((i + 1) % 100 === 0 || i + 1 === rows.length) await progress(i + 1);
  }
}

/** Units build a tree (a row may name a parent made by an earlier row), so they go row by row; a file holds hundreds. */
async function applyUnits(trx: Kysely<Database>, ctx: AppContext, actor: Actor, rows: UnitImportRow[], progress: Progress) {
  let done = 0;
  for (const r of rows) {
    const all = await unitRepository.all(trx);
    const parent = r.parent ? (all.find((u) => word(u.name) === r.parent && u.active) ?? all.find((u) => word(u.name) === r.parent)) : undefined;
    if (r.parent && !parent) throw new RowConflict(r.line, 'parent', 'error.unitNotFound');
    const input = { kind: r.kind, parentId: parent?.id, name: r.name, kana: r.kana, code: r.code ?? undefined };
    const existing = r.code
      ? all.find((u) => u.code === r.code)
      : all.find((u) => u.kind === r.kind && word(u.name) === word(r.name) && (u.parent_id ?? null) === (parent?.id ?? null));
    const errors = await checkUnit(trx, input, existing?.id ?? null);
    const first = Object.entries(errors)[0];
    if (first) throw new RowConflict(r.line, first[0], first[1].key);
    const now = ctx.now();
    const cols = { kind: r.kind, parent_id: parent?.id ?? null, name: r.name, kana: r.kana, code: r.code, search_key: unitSearchKey(r), updated_at: now };
    if (existing) {
      const after = await unitRepository.update(trx, existing.id, cols);
      await audit(trx, ctx, actor, 'import_update', 'unit', existing.id, existing, after);
    } else {
      const row = await unitRepository.insert(trx, { ...cols, created_at: now });
      await audit(trx, ctx, actor, 'import_create', 'unit', row.id, undefined, row);
    }
    done++;
    if (done % 100 === 0 || done === rows.length) await progress(done);
  }
}

/** Live progress of running imports in this process (the job's row says running/done/failed). */
const progressById = new Map<number, number>();
/** The imports running in this process, by job id: each one's `finished`. */
const runningById = new Map<number, Promise<void>>();

/** The import of this job running in this process, to wait for; undefined when none runs here. */
export function runningImport(id: number): Promise<void> | undefined {
  return runningById.get(id);
}
export function importProgress(job: Pick<ImportJob, 'id' | 'status' | 'processed_rows'>): number {
  return job.status === 'running' ? Math.max(progressById.get(job.id) ?? 0, job.processed_rows) : job.processed_rows;
}

/** What the tables an import wrote are like now, for the planner (PGlite has no autovacuum). */
const TOUCHED: Record<ImportKind, string[]> = {
  people: ['people', 'person_roles', 'audit_log'],
  history: ['training_records', 'audit_log'],
  partners: ['partners', 'audit_log'],
  units: ['units', 'audit_log'],
  roster: ['applications', 'audit_log', 'outbox'],
};

/**
 * Imports a previewed job, all or nothing: one transaction; any failure rolls back every row and the
 * job names the row. Returns a promise that settles when the job has finished (the page does not wait
 * for it). Progress: after each chunk, `onProgress` (the CLI prints it), this process's live figure
 * (the page), and on PostgreSQL the job's row, written outside the transaction so that every instance
 * sees it. (On PGlite one process holds the database, and the transaction holds its only session.)
 */
export async function startImport(
  ctx: AppContext,
  actor: { id: number },
  id: number,
  opts: { onProgress?: (processed: number, total: number) => void } = {},
): Promise<{ finished: Promise<void> }> {
  const job = await importJobRepository.find(ctx.db, id);
  if (!job) throw new ServiceError(404, 'not_found', 'error.notFound');
  if (job.errors.length) throw new ServiceError(409, 'import_errors', 'imports.cannotApply');
  if (!(await importJobRepository.transition(ctx.db, id, 'preview', 'running', ctx.now())))
    throw new ServiceError(409, 'import_state', 'error.importState');
  progressById.set(id, 0);
  opts.onProgress?.(0, job.total_rows);
  const progress: Progress = async (n) => {
    progressById.set(id, n);
    opts.onProgress?.(n, job.total_rows);
    if (ctx.dbKind === 'postgres') await importJobRepository.progress(ctx.db, id, n, ctx.now());
    // Let the pages (and their refreshes) have a turn between chunks.
    await new Promise((r) => setImmediate(r));
  };
  const finished = (async () => {
    let committed = false;
    let outcome: ImportOutcome | undefined;
    try {
      await ctx.db.transaction().execute(async (trx) => {
        if (job.kind === 'people') outcome = await applyPeople(trx, ctx, actor, job.rows as PersonImportRow[], progress);
        else if (job.kind === 'history') await applyHistory(trx, ctx, actor, job.rows as HistoryImportRow[], progress);
        else if (job.kind === 'partners') await applyPartners(trx, ctx, actor, job.rows as PartnerImportRow[], progress);
        else if (job.kind === 'roster') await applyRoster(trx, ctx, actor, job.offering_id!, job.rows as RosterImportRow[], progress);
        else await applyUnits(trx, ctx, actor, job.rows as UnitImportRow[], progress);
        await audit(trx, ctx, actor, 'import', 'import_job', id, undefined, { kind: job.kind, rows: job.total_rows, filename: job.filename, offeringId: job.offering_id ?? undefined, ...outcome });
        await importJobRepository.progress(trx, id, job.total_rows);
        await importJobRepository.finish(trx, id, 'done', ctx.now(), undefined, outcome);
      });
      committed = true;
      if (job.kind === 'roster') ctx.kickOutbox();
      await personImportRepository.analyze(ctx.db, TOUCHED[job.kind]);
    } catch (e) {
      if (committed) {
        ctx.logger?.warn({ err: e, importJob: id }, 'analyze after import failed');
        return;
      }
      const err: ImportError =
        e instanceof RowConflict ? { line: e.line, field: e.field, message: e.key, params: e.params } : e instanceof ServiceError ? { line: 0, message: e.messageKey } : { line: 0, message: 'error.server' };
      await importJobRepository.finish(ctx.db, id, 'failed', ctx.now(), [err]);
      if (!(e instanceof RowConflict) && !(e instanceof ServiceError)) ctx.logger?.error({ err: e, importJob: id }, 'import failed');
    } finally {
      progressById.delete(id);
      runningById.delete(id);
    }
  })();
  runningById.set(id, finished);
  return { finished };
}
