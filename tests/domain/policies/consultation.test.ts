import { describe, expect, it } from 'vitest';
import type { Role } from '../../../src/domain/values.js';
import {
  type AssignmentStatus,
  consultationActions,
  type ConsultationFacts,
  consultationRelation,
  mayCloseConsultation,
  mayRespondToConsultation,
  mayStartProjectFromConsultation,
  mayTriageConsultations,
  mayViewConsultation,
  mayWithdrawConsultation,
  mayWorkOnConsultation,
} from '../../../src/domain/policies/consultation.js';

const ME = 1;
const SOMEONE_ELSE = 2;
const as = (...roles: Role[]) => ({ id: ME, roles });
type Actor = ReturnType<typeof as> | null;

/** A case filed by `requester`, in `status`, with the actor's own assignment and desk flag. */
const facts = (o: { requester?: number; status?: string; outcome?: string | null; assignment?: AssignmentStatus | null; desk?: boolean } = {}): ConsultationFacts => ({
  consultation: { requester_id: o.requester ?? SOMEONE_ELSE, status: o.status ?? 'assigned', outcome: o.outcome ?? null },
  assignment: o.assignment ?? null,
  desk: o.desk ?? false,
});

describe('consultation policies, role by role', () => {
  // [who, actor, facts, triage (the queue), view, respond, work on (log, close), withdraw]
  const cases: [string, Actor, ConsultationFacts, boolean, boolean, boolean, boolean, boolean][] = [
    ['visitor', null, facts(), false, false, false, false, false],
    ['staff, someone else’s case', as('staff'), facts(), false, false, false, false, false],
    ['staff, their own request', as('staff'), facts({ requester: ME }), false, true, false, false, true],
    ['approver, someone else’s case', as('approver', 'staff'), facts(), false, false, false, false, false],
    ['approver, their own request', as('approver', 'staff'), facts({ requester: ME }), false, true, false, false, true],
    ['coordinator, not assigned', as('coordinator', 'staff'), facts(), false, false, false, false, false],
    ['coordinator, offered', as('coordinator', 'staff'), facts({ assignment: 'offered' }), false, true, true, false, false],
    ['coordinator, accepted', as('coordinator', 'staff'), facts({ assignment: 'accepted', status: 'in_progress' }), false, true, false, true, false],
    ['coordinator, declined: no longer theirs', as('coordinator', 'staff'), facts({ assignment: 'declined' }), false, false, false, false, false],
    ['coordinator on the desk', as('coordinator', 'staff'), facts({ desk: true }), true, true, false, false, false],
    ['desk flag without the coordinator role counts for nothing', as('staff'), facts({ desk: true }), false, false, false, false, false],
    ['partner member', as('partner'), facts(), false, false, false, false, false],
    ['partner member with a desk flag', as('partner'), facts({ desk: true }), false, false, false, false, false],
    ['admin', as('admin'), facts(), true, true, false, true, true],
  ];
  it.each(cases)('%s', (_, actor, f, triage, view, respond, work, withdraw) => {
    expect(mayTriageConsultations(actor, f.desk)).toBe(triage);
    expect(mayViewConsultation(actor, f)).toBe(view);
    expect(mayRespondToConsultation(actor, f)).toBe(respond);
    expect(mayWorkOnConsultation(actor, f)).toBe(work);
    expect(mayWithdrawConsultation(actor, f)).toBe(withdraw);
  });
});

describe('closing and what follows', () => {
  it('a coordinator closes only a case in progress; an admin also one nobody took up', () => {
    const coordinator = as('coordinator', 'staff');
    expect(mayCloseConsultation(coordinator, facts({ assignment: 'accepted', status: 'in_progress' }))).toBe(true);
    expect(mayCloseConsultation(coordinator, facts({ assignment: 'offered', status: 'in_progress' }))).toBe(false);
    expect(mayCloseConsultation(as('admin'), facts({ status: 'new' }))).toBe(true);
    expect(mayCloseConsultation(as('admin'), facts({ status: 'closed' }))).toBe(false);
    expect(mayCloseConsultation(as('staff'), facts({ requester: ME, status: 'in_progress' }))).toBe(false);
  });
  it('a project is recorded from a case closed with a project started, by an admin or its coordinator', () => {
    const closed = { status: 'closed', outcome: 'project_started' };
    expect(mayStartProjectFromConsultation(as('admin'), facts(closed))).toBe(true);
    expect(mayStartProjectFromConsultation(as('coordinator', 'staff'), facts({ ...closed, assignment: 'accepted' }))).toBe(true);
    expect(mayStartProjectFromConsultation(as('staff'), facts({ ...closed, requester: ME }))).toBe(false);
    expect(mayStartProjectFromConsultation(as('admin'), facts({ status: 'closed', outcome: 'advice_given' }))).toBe(false);
    expect(mayStartProjectFromConsultation(null, facts(closed))).toBe(false);
  });
});

describe('consultationActions: who the actor is and what the status allows', () => {
  it('the desk triages an open case, not a closed one', () => {
    expect(consultationActions(as('coordinator', 'staff'), facts({ desk: true, status: 'new' })).triage).toBe(true);
    expect(consultationActions(as('coordinator', 'staff'), facts({ desk: true, status: 'closed' })).triage).toBe(false);
  });
  it('the accepted coordinator logs while in progress; the requester withdraws while open', () => {
    expect(consultationActions(as('coordinator', 'staff'), facts({ assignment: 'accepted', status: 'in_progress' }))).toMatchObject({ log: true, close: true, respond: false, withdraw: false, triage: false });
    expect(consultationActions(as('staff'), facts({ requester: ME, status: 'assigned' }))).toEqual({ triage: false, respond: false, log: false, close: false, withdraw: true, createProject: false });
    expect(consultationActions(as('staff'), facts({ requester: ME, status: 'withdrawn' })).withdraw).toBe(false);
  });
  it('the relation names what the pages show (the audit link for admins, the feedback link for the requester)', () => {
    expect(consultationRelation(as('admin'), facts({ requester: ME }))).toEqual({ admin: true, desk: false, requester: true, assignment: null });
    expect(consultationRelation(null, facts({ desk: true }))).toEqual({ admin: false, desk: false, requester: false, assignment: null });
  });
});
