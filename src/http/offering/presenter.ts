import type { Offering, OfferingSession } from '../../db/schema.js';
import type { listOfferings } from '../../services/offering.service.js';
import { sessionJson } from '../session/presenter.js';

/** Rows → API JSON for offerings. */
type ListRow = Awaited<ReturnType<typeof listOfferings>>[number];

export function offeringListJson(o: ListRow) {
  return {
    id: o.id,
    programmeId: o.programme_id,
    programme: o.programme_name,
    fiscalYear: o.fiscal_year,
    title: o.title,
    selection: o.selection,
    capacity: o.capacity,
    confirmed: o.confirmed_count,
    applicationOpensAt: o.application_opens_at,
    applicationClosesAt: o.application_closes_at,
    published: o.published,
    cancelledAt: o.cancelled_at,
  };
}

export function offeringJson(o: Offering, sessions: readonly OfferingSession[]) {
  return {
    id: o.id,
    programmeId: o.programme_id,
    fiscalYear: o.fiscal_year,
    title: o.title,
    audience: o.audience,
    selection: o.selection,
    capacity: o.capacity,
    seats: o.seats,
    waitlist: o.waitlist,
    endorsementRequired: o.endorsement_required,
    applicationOpensAt: o.application_opens_at,
    applicationClosesAt: o.application_closes_at,
    questions: o.questions,
    lotterySeed: o.lottery_seed,
    published: o.published,
    cancelledAt: o.cancelled_at,
    cancelledReason: o.cancelled_reason,
    sessions: sessions.map(sessionJson),
  };
}

/** A copy's sessions as the API gives them: each one's date, its copy's date, and why it moved. */
export function offeringCopyJson(r: {
  offering: { id: number };
  sessions: readonly { from: string; to: string; moved?: { kind: 'weekend' | 'holiday' } | null }[];
  surveys?: readonly { kind: string; title: string; opensAt: Date; closesAt: Date; closed: boolean }[];
}) {
  return {
    id: r.offering.id,
    sessions: r.sessions.map((s) => ({ from: s.from, to: s.to, moved: s.moved?.kind ?? null })),
    surveys: (r.surveys ?? []).map((s) => ({ kind: s.kind, title: s.title, opensAt: s.opensAt.toISOString(), closesAt: s.closesAt.toISOString(), copied: !s.closed })),
  };
}
