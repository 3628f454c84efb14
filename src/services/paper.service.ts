import { applicationRepository } from '../db/repositories/application.repository.js';
import { certificateRepository } from '../db/repositories/certificate.repository.js';
import { documentRepository, type IssuedDocument, type RosterRow } from '../db/repositories/document.repository.js';
import { offeringRepository } from '../db/repositories/offering.repository.js';
import { personRepository } from '../db/repositories/person.repository.js';
import { programmeRepository } from '../db/repositories/programme.repository.js';
import type { Database } from '../db/schema.js';
import { fiscalYearOf, tokyoDateOf } from '../domain/calendar.js';
import { compareKana } from '../domain/kana.js';
import { type DocumentKind, formatDocumentNumber, rosterOrder, unitAddressee, unitNoticeSubject } from '../domain/paper.js';
import { mayViewApplication } from '../domain/policies/application.js';
import { mayViewCertificate } from '../domain/policies/certificate.js';
import type { PolicyActor } from '../domain/policies/actor.js';
import { LIVE_STATUSES } from '../domain/selection.js';
import type { Kysely } from 'kysely';
import { audit } from './audit.service.js';
import { type AppContext, ServiceError } from './context.js';

/**
 * The office's paper (issue 16 §3): the 受講者名簿 of an offering, the 受講決定通知 (one per person, and
 * one per 所属 addressed to its head) and the 修了証, each with its formal parts. A notice or
 * certificate gets its 文書番号 and date the first time it is printed; later prints carry the same
 * ones (issued_documents), and the issue is in the audit log.
 */

/** The sender and 問い合わせ先 printed on every notice and certificate (KYODO_ISSUER_*). */
export interface Issuer {
  prefecture: string;
  name: string;
  office: string;
  contact: string;
}

export function issuerOf(ctx: AppContext): Issuer {
  const c = ctx.config;
  return { prefecture: c.prefectureName, name: c.issuerName, office: c.issuerOffice, contact: c.issuerContact };
}

async function offeringPaper(ctx: AppContext, offeringId: number) {
  const offering = await offeringRepository.find(ctx.db, offeringId);
  if (!offering) throw new ServiceError(404, 'not_found', 'error.notFound');
  const [sessions, programme] = await Promise.all([offeringRepository.sessions(ctx.db, offeringId), programmeRepository.find(ctx.db, offering.programme_id)]);
  return { offering, programme: programme!, sessions };
}
export type OfferingPaper = Awaited<ReturnType<typeof offeringPaper>>;

/** Issues (or finds) a document's number inside the caller's transaction, auditing a new one. */
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

/** The 受講者名簿: the offering's live applicants (申込み〜受講決定・補欠), or only one status, in フリガナ order. */
export async function offeringRoster(ctx: AppContext, offeringId: number, status?: string) {
  const paper = await offeringPaper(ctx, offeringId);
  const all = await documentRepository.roster(ctx.db, offeringId);
  const rows = rosterOrder(all.filter((r) => (status ? r.status === status : (LIVE_STATUSES as readonly string[]).includes(r.status))));
  return { ...paper, rows };
}

export interface PersonNotice {
  doc: IssuedDocument;
  person: RosterRow;
}

/** One person's 受講決定通知 (their own, or any for the office): only once the seat is confirmed. */
export async function decisionNotice(ctx: AppContext, actor: PolicyActor, applicationId: number) {
  const a = await applicationRepository.find(ctx.db, applicationId);
  if (!a || !mayViewApplication(actor, a)) throw new ServiceError(404, 'not_found', 'error.notFound');
  if (a.status !== 'confirmed') throw new ServiceError(409, 'not_confirmed', 'paper.notConfirmed');
  const paper = await offeringPaper(ctx, a.offering_id);
  const person = (await documentRepository.roster(ctx.db, a.offering_id)).find((r) => r.applicationId === a.id)!;
  const doc = await ctx.db.transaction().execute((trx) => issue(trx, ctx, actor, 'decision_notice', String(a.id)));
  return { ...paper, notices: [{ doc, person }] as PersonNotice[], issuer: issuerOf(ctx) };
}

/** Every confirmed participant's 受講決定通知 of an offering, in フリガナ order (the office prints them in one go). */
export async function decisionNotices(ctx: AppContext, actor: PolicyActor, offeringId: number) {
  const roster = await offeringRoster(ctx, offeringId, 'confirmed');
  const notices = await ctx.db.transaction().execute(async (trx) => {
    const out: PersonNotice[] = [];
    for (const person of roster.rows) out.push({ doc: await issue(trx, ctx, actor, 'decision_notice', String(person.applicationId)), person });
    return out;
  });
  return { ...roster, notices, issuer: issuerOf(ctx) };
}

export interface UnitNotice {
  doc: IssuedDocument;
  unitId: number | null;
  unitName: string | null;
  addressee: string;
  people: RosterRow[];
}

/** One 受講決定通知 per 所属, addressed to its head, listing its confirmed participants; 所属 in 50音順. */
export async function unitNotices(ctx: AppContext, actor: PolicyActor, offeringId: number) {
  const roster = await offeringRoster(ctx, offeringId, 'confirmed');
  const groups = new Map<number | null, RosterRow[]>();
  for (const r of roster.rows) groups.set(r.unitId, [...(groups.get(r.unitId) ?? []), r]);
  const unitIds = [...groups.keys()].filter((id): id is number => id !== null);
  const approvers = await personRepository.approversOf(ctx.db, unitIds, 5);
  const ordered = [...groups.entries()].sort(([a, x], [b, y]) => (a === null ? 1 : b === null ? -1 : compareKana(x[0].unitKana ?? '', y[0].unitKana ?? '')));
  const notices = await ctx.db.transaction().execute(async (trx) => {
    const out: UnitNotice[] = [];
    for (const [unitId, people] of ordered) {
      const heads = approvers.filter((p) => p.unit_id === unitId).map((p) => ({ name: p.name, title: p.title }));
      const unitName = people[0].unitName;
      out.push({ doc: await issue(trx, ctx, actor, 'unit_notice', unitNoticeSubject(offeringId, unitId)), unitId, unitName, addressee: unitAddressee(unitName, heads), people });
    }
    return out;
  });
  return { ...roster, notices, issuer: issuerOf(ctx) };
}

/** A 修了証 with its 文書番号, for its holder and the office (anyone else: 404). */
export async function certificatePaper(ctx: AppContext, actor: PolicyActor, number: string) {
  const cert = await certificateRepository.findByNumber(ctx.db, number);
  if (!cert || !mayViewCertificate(actor, cert)) throw new ServiceError(404, 'not_found', 'error.notFound');
  const doc = await ctx.db.transaction().execute((trx) => issue(trx, ctx, actor, 'certificate', cert.number));
  return { cert, doc, issuer: issuerOf(ctx) };
}
