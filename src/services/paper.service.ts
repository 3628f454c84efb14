import { applicationRepository } from '../db/repositories/application.repository.js';
import { certificateRepository } from '../db/repositories/certificate.repository.js';
import { documentRepository, type IssuedDocument, type RosterRow } from '../db/repositories/document.repository.js';
import { offeringRepository } from '../db/repositories/offering.repository.js';
import { personRepository } from '../db/repositories/person.repository.js';
import { programmeRepository } from '../db/repositories/programme.repository.js';
import type { Database } from '../db/schema.js';
import { fiscalYearOf, tokyoDateOf } from '../domain/calendar.js';
import { compareKana } from '../domain/kana.js';
import { blankDocumentNumber, type DocumentKind, formatDocumentNumber, mayIssueNotices, noticesToIssue, rosterOrder, unitAddressee, unitNoticeSubject } from '../domain/paper.js';
import { mayViewApplication } from '../domain/policies/application.js';
import { mayViewCertificate } from '../domain/policies/certificate.js';
import type { PolicyActor } from '../domain/policies/actor.js';
import { LIVE_STATUSES } from '../domain/selection.js';
import type { Kysely } from 'kysely';
import { audit } from './audit.service.js';
import { type AppContext, ServiceError } from './context.js';

/**
 * The office's paper (issue 16 §3): the 受講者名簿 of an offering, the 受講決定通知 (one per person, and
 * one per 所属 addressed to its head) and the 修了証, each with its formal parts.
 *
 * Reading a notice (print view, PDF) never numbers it: a notice not issued yet comes with `doc: null`
 * and is shown with a blank number. The office issues the notices of an offering on purpose
 * (`issueNotices`, a POST the officer confirms): one transaction numbers exactly those without a
 * number, each with its audit entry; later prints carry the same numbers and dates (issued_documents).
 */

/** The sender and 問い合わせ先 printed on every notice and certificate (KYODO_ISSUER_*). */
export interface Issuer {
  prefecture: string;
  name: string;
  office: string;
  contact: string;
  /** The blank printed where a notice not issued yet will have its 文書番号: 「協働第　　号」. */
  blankNumber: string;
}

export function issuerOf(ctx: AppContext): Issuer {
  const c = ctx.config;
  return { prefecture: c.prefectureName, name: c.issuerName, office: c.issuerOffice, contact: c.issuerContact, blankNumber: blankDocumentNumber(c.documentPrefix) };
}

async function offeringPaper(db: Kysely<Database>, offeringId: number) {
  const offering = await offeringRepository.find(db, offeringId);
  if (!offering) throw new ServiceError(404, 'not_found', 'error.notFound');
  const [sessions, programme] = await Promise.all([offeringRepository.sessions(db, offeringId), programmeRepository.find(db, offering.programme_id)]);
  return { offering, programme: programme!, sessions };
}
export type OfferingPaper = Awaited<ReturnType<typeof offeringPaper>>;

/** Issues a document's number inside the caller's transaction, auditing a new one (one issued before keeps its number). */
async function issue(trx: Kysely<Database>, ctx: AppContext, actor: PolicyActor, kind: DocumentKind, subject: string): Promise<IssuedDocument> {
  const now = ctx.now();
  const { row, created } = await documentRepository.issue(trx, {
    kind,
    subject,
    fiscalYear: fiscalYearOf(now),
    issuedOn: tokyoDateOf(now),
    issuedBy: actor.id,
    now,
    format: (serial) => formatDocumentNumber(ctx.config.documentPrefix, serial),
  });
  if (created) await audit(trx, ctx, actor, 'issue', 'document', row.number, undefined, { kind, subject, number: row.number, issued_on: row.issued_on });
  return row;
}

/** The live applicants (申込み〜受講決定・補欠), or only one status, in フリガナ order. */
async function rosterRows(db: Kysely<Database>, offeringId: number, status?: string) {
  const all = await documentRepository.roster(db, offeringId);
  return rosterOrder(all.filter((r) => (status ? r.status === status : (LIVE_STATUSES as readonly string[]).includes(r.status))));
}

/** The 受講者名簿: the offering's live applicants (申込み〜受講決定・補欠), or only one status, in フリガナ order. */
export async function offeringRoster(ctx: AppContext, offeringId: number, status?: string) {
  const paper = await offeringPaper(ctx.db, offeringId);
  return { ...paper, rows: await rosterRows(ctx.db, offeringId, status) };
}

export interface PersonNotice {
  /** The issued number and date; null while the notice is not issued. */
  doc: IssuedDocument | null;
  subject: string;
  person: RosterRow;
}

/** The confirmed participants' notices, in フリガナ order, each with its number if issued (reads only). */
async function personNotices(db: Kysely<Database>, offeringId: number): Promise<PersonNotice[]> {
  const rows = await rosterRows(db, offeringId, 'confirmed');
  const docs = await documentRepository.findMany(db, 'decision_notice', rows.map((r) => String(r.applicationId)));
  return rows.map((person) => ({ doc: docs.get(String(person.applicationId)) ?? null, subject: String(person.applicationId), person }));
}

/** One person's 受講決定通知 (their own, or any for the office): only once the seat is confirmed. Reads only. */
export async function decisionNotice(ctx: AppContext, actor: PolicyActor, applicationId: number) {
  const a = await applicationRepository.find(ctx.db, applicationId);
  if (!a || !mayViewApplication(actor, a)) throw new ServiceError(404, 'not_found', 'error.notFound');
  if (a.status !== 'confirmed') throw new ServiceError(409, 'not_confirmed', 'paper.notConfirmed');
  const paper = await offeringPaper(ctx.db, a.offering_id);
  const person = (await documentRepository.roster(ctx.db, a.offering_id)).find((r) => r.applicationId === a.id)!;
  const doc = (await documentRepository.find(ctx.db, 'decision_notice', String(a.id))) ?? null;
  return { ...paper, notices: [{ doc, subject: String(a.id), person }] as PersonNotice[], issuer: issuerOf(ctx) };
}

/** Every confirmed participant's 受講決定通知 of an offering, in フリガナ order (the office prints them in one go). Reads only. */
export async function decisionNotices(ctx: AppContext, offeringId: number) {
  const paper = await offeringPaper(ctx.db, offeringId);
  const notices = await personNotices(ctx.db, offeringId);
  return { ...paper, notices, issuer: issuerOf(ctx), unissued: noticesToIssue(notices).length };
}

export interface UnitNotice {
  /** The issued number and date; null while the notice is not issued. */
  doc: IssuedDocument | null;
  subject: string;
  unitId: number | null;
  unitName: string | null;
  addressee: string;
  people: RosterRow[];
}

/** One notice per 所属 of the confirmed participants, 所属 in 50音順, each with its number if issued (reads only). */
async function unitNoticeList(db: Kysely<Database>, offeringId: number): Promise<UnitNotice[]> {
  const rows = await rosterRows(db, offeringId, 'confirmed');
  const groups = new Map<number | null, RosterRow[]>();
  for (const r of rows) groups.set(r.unitId, [...(groups.get(r.unitId) ?? []), r]);
  const unitIds = [...groups.keys()].filter((id): id is number => id !== null);
  const approvers = await personRepository.approversOf(db, unitIds, 5);
  const ordered = [...groups.entries()].sort(([a, x], [b, y]) => (a === null ? 1 : b === null ? -1 : compareKana(x[0].unitKana ?? '', y[0].unitKana ?? '')));
  const subjects = ordered.map(([unitId]) => unitNoticeSubject(offeringId, unitId));
  const docs = await documentRepository.findMany(db, 'unit_notice', subjects);
  return ordered.map(([unitId, people], i) => {
    const heads = approvers.filter((p) => p.unit_id === unitId).map((p) => ({ name: p.name, title: p.title }));
    const unitName = people[0].unitName;
    return { doc: docs.get(subjects[i]) ?? null, subject: subjects[i], unitId, unitName, addressee: unitAddressee(unitName, heads), people };
  });
}

/** One 受講決定通知 per 所属, addressed to its head, listing its confirmed participants; 所属 in 50音順. Reads only. */
export async function unitNotices(ctx: AppContext, offeringId: number) {
  const paper = await offeringPaper(ctx.db, offeringId);
  const notices = await unitNoticeList(ctx.db, offeringId);
  return { ...paper, notices, issuer: issuerOf(ctx), unissued: noticesToIssue(notices).length };
}

/** The two sets of notices an offering issues: to each person, and to each 所属's head. */
export type NoticeSet = 'person' | 'unit';

/**
 * Issues an offering's notices (the officer asked for it and confirmed): in one transaction, numbers
 * exactly the notices without a number yet, in print order, dated today, each with its audit entry.
 * Notices issued before keep their number and date. `expected` is the count the officer confirmed:
 * when notices were added in between (someone confirmed since), nothing is issued and the officer is
 * asked again; with nothing left to issue (a second press), nothing is issued and `issued` is 0.
 */
export async function issueNotices(ctx: AppContext, actor: PolicyActor | null, offeringId: number, set: NoticeSet, expected?: number) {
  if (!actor || !mayIssueNotices(actor)) throw new ServiceError(403, 'forbidden', 'error.forbidden');
  const kind: DocumentKind = set === 'person' ? 'decision_notice' : 'unit_notice';
  return ctx.db.transaction().execute(async (trx) => {
    // The offering's row is locked first, so that two presses at once are taken one after the other: the
    // second then finds nothing left to issue (PostgreSQL; PGlite runs one transaction at a time anyway).
    if (!(await offeringRepository.lock(trx, offeringId))) throw new ServiceError(404, 'not_found', 'error.notFound');
    const notices: { doc: IssuedDocument | null; subject: string }[] = set === 'person' ? await personNotices(trx, offeringId) : await unitNoticeList(trx, offeringId);
    const unissued = noticesToIssue(notices);
    if (unissued.length && expected !== undefined && unissued.length !== expected) throw new ServiceError(409, 'notices_changed', 'paper.issueChanged', {}, { count: unissued.length, expected });
    const issued: IssuedDocument[] = [];
    for (const n of unissued) issued.push(await issue(trx, ctx, actor, kind, n.subject));
    return { issued: issued.length, total: notices.length, numbers: issued.map((d) => d.number) };
  });
}

/** A 修了証 with its 文書番号, for its holder and the office (anyone else: 404). */
export async function certificatePaper(ctx: AppContext, actor: PolicyActor, number: string) {
  const cert = await certificateRepository.findByNumber(ctx.db, number);
  if (!cert || !mayViewCertificate(actor, cert)) throw new ServiceError(404, 'not_found', 'error.notFound');
  const doc = await ctx.db.transaction().execute((trx) => issue(trx, ctx, actor, 'certificate', cert.number));
  return { cert, doc, issuer: issuerOf(ctx) };
}
