import type { Kysely } from 'kysely';
import { applicationRepository } from '../db/repositories/application.repository.js';
import { offeringRepository } from '../db/repositories/offering.repository.js';
import { personImportRepository } from '../db/repositories/person-import.repository.js';
import { personRepository } from '../db/repositories/person.repository.js';
import type { Database } from '../db/schema.js';
import { type ApplicationStatus, type ConfirmedCounts, decideArrivals, LIVE_STATUSES, seatGroupOf } from '../domain/selection.js';
import type { FieldErrors } from '../lib/validation.js';
import { apply } from './application.service.js';
import { type Actor, type AppContext, ServiceError, toCurrentUser } from './context.js';
import { RowConflict, word } from './import-columns.js';
import type { RowErrors, SourceRows } from './import-columns.js';

/** One person of a participant list (受講者名簿), as the preview shows them and the import applies for them. */
export interface RosterImportRow {
  line: number;
  personId: number;
  name: string;
  email: string;
  staffNumber: string | null;
  unitName: string | null;
  /** The status the application will get, decided as when the office applies for someone (代理申込). */
  status: Extract<ApplicationStatus, 'applied' | 'confirmed' | 'waitlisted' | 'not_selected'>;
}

/** A name as compared with the registered one: NFKC, without spaces (「渡辺　健一」 is 「渡辺 健一」). */
const sameName = (a: string, b: string) => word(a).replace(/\s+/g, '') === word(b).replace(/\s+/g, '');

/**
 * Checks a participant list against the people registered and the offering: each row must name one
 * registered, active person (by 職員番号, or by email when it has none) whose 氏名 matches, once in
 * the file, who has not already applied. The status each will get is decided as the application
 * service decides a group applied for by the office: first come without endorsement confirms while
 * seats are left, then waitlists (or 見送り without a waitlist); any other method leaves them applied.
 */
export async function validateRoster(ctx: AppContext, _actor: { id: number }, offeringId: number, rows: SourceRows): Promise<{ good: RosterImportRow[]; bad: RowErrors[] }> {
  const offering = await offeringRepository.find(ctx.db, offeringId);
  if (!offering) throw new ServiceError(404, 'not_found', 'error.offeringNotFound');
  if (offering.cancelled_at) throw new ServiceError(409, 'cancelled', 'error.offeringCancelled');
  const matches = new Map(
    (
      await personImportRepository.match(
        ctx.db,
        rows.map(({ line, cells }) => ({ line, staff_number: word(cells.staffNumber) || null, email: word(cells.email).toLowerCase() })),
      )
    ).map((m) => [m.line, m]),
  );
  const found: { line: number; personId: number; affiliation: string; m: NonNullable<ReturnType<typeof matches.get>> }[] = [];
  const bad: RowErrors[] = [];
  const seen = new Map<number, number>();
  for (const { line, cells } of rows) {
    const errors: FieldErrors = {};
    const staff = word(cells.staffNumber);
    const email = word(cells.email).toLowerCase();
    const m = matches.get(line);
    const key = staff ? 'staffNumber' : 'email';
    const hit = m?.id && (staff ? m.matched_by === 'staffNumber' : !!email) ? m : undefined;
    if (!staff && !email) errors.staffNumber = { key: 'error.required' };
    else if (!hit) errors[key] = { key: 'error.personNotFound' };
    else if (seen.has(hit.id!)) errors[key] = { key: 'imports.duplicateInFile', params: { line: seen.get(hit.id!)! } };
    else if (!hit.active) errors[key] = { key: 'error.personInactive' };
    else if (hit.affiliation === 'partner' && !(offering.seats.partner && offering.seats.partner > 0)) errors[key] = { key: 'error.partnerNoSeats' };
    if (!word(cells.name)) errors.name = { key: 'error.required' };
    else if (hit && !sameName(cells.name, hit.name!)) errors.name = { key: 'imports.rosterNameMismatch', params: { registered: hit.name! } };
    if (hit && !seen.has(hit.id!)) seen.set(hit.id!, line);
    if (Object.keys(errors).length || !hit) bad.push({ line, errors });
    else found.push({ line, personId: hit.id!, affiliation: hit.affiliation!, m: hit });
  }
  // Who has applied already, and the seats left, read as the application service reads them (one statement).
  const state = await applicationRepository.batchState(ctx.db, offeringId, found.map((f) => f.personId), 0);
  const previous = new Map((state?.previous ?? []).map((a) => [a.person_id, a.status]));
  const fresh = found.filter((f) => {
    const before = previous.get(f.personId);
    // A returned application (差戻し) is the applicant's to resubmit, not the list's.
    const refusal = before === 'returned' ? 'imports.rosterReturned' : before && LIVE_STATUSES.includes(before) ? 'error.alreadyApplied' : null;
    if (refusal) {
      bad.push({ line: f.line, errors: { [f.m.matched_by === 'staffNumber' ? 'staffNumber' : 'email']: { key: refusal } } });
      return false;
    }
    return true;
  });
  bad.sort((a, b) => a.line - b.line);
  const decides = !offering.endorsement_required && offering.selection === 'first_come';
  const decisions = decides
    ? decideArrivals(
        { capacity: offering.capacity, seats: offering.seats },
        (state?.counts ?? { total: 0 }) as ConfirmedCounts,
        { waitlist: offering.waitlist, nextWaitlistOrder: state?.nextWaitlistOrder ?? 1 },
        fresh.map((f) => ({ group: seatGroupOf(f.affiliation as never), whenFull: 'not_selected' as const })),
      )
    : fresh.map(() => ({ status: 'applied' as const }));
  const good = fresh.map((f, i): RosterImportRow => {
    const d = decisions[i].status;
    return {
      line: f.line,
      personId: f.personId,
      name: f.m.name!,
      email: f.m.email!,
      staffNumber: f.m.staff_number,
      unitName: f.m.unit_name,
      status: d === 'full' ? 'not_selected' : d,
    };
  });
  return { good, bad };
}

/** Applications decided together: the application service's group size. */
const GROUP = 250;

/**
 * Applies for everyone on the list through the application service's own path (代理申込 with the
 * required answers left to each person, decided in groups, one statement a group), inside the
 * import's transaction and under the offering's lock: if any one is refused, nothing is applied and
 * nobody is mailed, and the job names the row.
 */
export async function applyRoster(trx: Kysely<Database>, ctx: AppContext, actor: Actor, offeringId: number, rows: RosterImportRow[], progress: (n: number) => Promise<void>) {
  const who = actor ? await personRepository.find(trx, actor.id) : undefined;
  if (!who) throw new ServiceError(403, 'forbidden', 'error.forbidden');
  const user = toCurrentUser(who);
  if (!(await offeringRepository.lock(trx, offeringId))) throw new ServiceError(404, 'not_found', 'error.offeringNotFound');
  // The application service on this transaction: its groups, notices and audit entries commit or roll back with the import.
  const inImport: AppContext = { ...ctx, db: trx, kickOutbox: () => {} };
  for (let i = 0; i < rows.length; i += GROUP) {
    const group = rows.slice(i, i + GROUP);
    const outcomes = await Promise.allSettled(group.map((r) => apply(inImport, user, offeringId, { personId: r.personId, answersPending: true })));
    const refused = outcomes.findIndex((o) => o.status === 'rejected');
    if (refused >= 0) {
      const reason = (outcomes[refused] as PromiseRejectedResult).reason;
      const row = group[refused];
      if (reason instanceof ServiceError) throw new RowConflict(row.line, row.staffNumber ? 'staffNumber' : 'email', reason.messageKey);
      throw reason;
    }
    await progress(i + group.length);
  }
}

/** The offering a participant list is imported into, as its upload page names it. */
export async function rosterTarget(ctx: AppContext, offeringId: number) {
  const o = Number.isInteger(offeringId) && offeringId > 0 ? await offeringRepository.find(ctx.db, offeringId) : undefined;
  return o ? { id: o.id, title: o.title, fiscalYear: o.fiscal_year, cancelled: !!o.cancelled_at } : undefined;
}
