import { type Kysely, sql } from 'kysely';
import type { DocumentKind } from '../../domain/paper.js';
import type { Selectable } from 'kysely';
import type { Database, IssuedDocumentTable } from '../schema.js';

export type IssuedDocument = Selectable<IssuedDocumentTable>;

export interface IssueRequest {
  kind: DocumentKind;
  subject: string;
  fiscalYear: number;
  issuedOn: string;
  issuedBy: number | null;
  now: Date;
  /** Formats the year's serial as the printed 文書番号. */
  format: (serial: number) => string;
}

export interface RosterRow {
  applicationId: number;
  personId: number;
  status: string;
  staffNumber: string | null;
  name: string;
  kana: string;
  title: string | null;
  unitId: number | null;
  unitName: string | null;
  unitKana: string | null;
  affiliation: string;
  participantCode: string;
}

/** The 文書番号 issued to notices and certificates, and the rows the office's paper is made of. */
export const documentRepository = {
  find(db: Kysely<Database>, kind: DocumentKind, subject: string): Promise<IssuedDocument | undefined> {
    return db.selectFrom('issued_documents').selectAll().where('kind', '=', kind).where('subject', '=', subject).executeTakeFirst();
  },
  /** The documents of one kind already issued under these subjects (none issued: an empty map); reads only. */
  async findMany(db: Kysely<Database>, kind: DocumentKind, subjects: readonly string[]): Promise<Map<string, IssuedDocument>> {
    if (!subjects.length) return new Map();
    const rows = await db.selectFrom('issued_documents').selectAll().where('kind', '=', kind).where('subject', 'in', [...subjects]).execute();
    return new Map(rows.map((r) => [r.subject, r]));
  },
  /**
   * The document's number: the one already issued, or the year's next serial. The year's counter row
   * is locked first (FOR UPDATE), so two requests never take the same serial and a document asked for
   * twice at once gets one number (no gaps). Run inside a transaction.
   */
  async issue(db: Kysely<Database>, r: IssueRequest): Promise<{ row: IssuedDocument; created: boolean }> {
    const existing = await this.find(db, r.kind, r.subject);
    if (existing) return { row: existing, created: false };
    await db.insertInto('document_counters').values({ fiscal_year: r.fiscalYear, last_serial: 0 }).onConflict((oc) => oc.column('fiscal_year').doNothing()).execute();
    const counter = await db.selectFrom('document_counters').select('last_serial').where('fiscal_year', '=', r.fiscalYear).forUpdate().executeTakeFirstOrThrow();
    const raced = await this.find(db, r.kind, r.subject);
    if (raced) return { row: raced, created: false };
    const serial = counter.last_serial + 1;
    await db.updateTable('document_counters').set({ last_serial: serial }).where('fiscal_year', '=', r.fiscalYear).execute();
    const row = await db
      .insertInto('issued_documents')
      .values({ kind: r.kind, subject: r.subject, fiscal_year: r.fiscalYear, serial, number: r.format(serial), issued_on: r.issuedOn, issued_by: r.issuedBy, created_at: r.now })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { row, created: true };
  },
  /** An offering's applicants with their 職員番号, 氏名, フリガナ, 所属 and 職名 (any status; callers choose). */
  roster(db: Kysely<Database>, offeringId: number): Promise<RosterRow[]> {
    return db
      .selectFrom('applications')
      .innerJoin('people', 'people.id', 'applications.person_id')
      .leftJoin('units', 'units.id', 'people.unit_id')
      .select([
        'applications.id as applicationId',
        'people.id as personId',
        'applications.status as status',
        'people.staff_number as staffNumber',
        'people.name as name',
        'people.kana as kana',
        'people.title as title',
        'people.unit_id as unitId',
        'units.name as unitName',
        'units.kana as unitKana',
        'people.affiliation as affiliation',
        'applications.participant_code as participantCode',
      ])
      .where('applications.offering_id', '=', offeringId)
      .orderBy(sql`people.kana COLLATE "C"`)
      .orderBy('applications.id')
      .execute() as Promise<RosterRow[]>;
  },
};
