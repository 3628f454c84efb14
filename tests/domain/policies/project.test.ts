import { describe, expect, it } from 'vitest';
import type { Role } from '../../../src/domain/values.js';
import type { PartnerActor } from '../../../src/domain/policies/partner.js';
import { evaluationSide, mayEditProject, mayEvaluateProject, mayViewProject, type ProjectFacts, projectRelation } from '../../../src/domain/policies/project.js';

/** The project belongs to unit 10, was created by person 50 with coordinator 51; partners 7 and 9. */
const facts = (o: Partial<ProjectFacts> = {}): ProjectFacts => ({ project: { unit_id: 10, coordinator_id: 51, created_by: 50 }, partnerIds: [7, 9], onLinkedCase: false, ...o });
const as = (roles: Role[], o: Partial<PartnerActor> = {}): PartnerActor => ({ id: 1, roles, unitId: 10, partnerId: null, ...o });

describe('project policies, role by role', () => {
  const cases: [string, PartnerActor | null, { view: boolean; edit: boolean; unitSide: boolean; partnerId: number | null; side: 'unit' | 'partner' | null }][] = [
    ['visitor', null, { view: false, edit: false, unitSide: false, partnerId: null, side: null }],
    ['staff of the unit', as(['staff']), { view: true, edit: false, unitSide: true, partnerId: null, side: 'unit' }],
    ['staff of another unit', as(['staff'], { unitId: 11 }), { view: false, edit: false, unitSide: false, partnerId: null, side: null }],
    ['staff without a unit', as(['staff'], { unitId: null }), { view: false, edit: false, unitSide: false, partnerId: null, side: null }],
    ['approver of another unit', as(['approver', 'staff'], { unitId: 11 }), { view: false, edit: false, unitSide: false, partnerId: null, side: null }],
    ['coordinator of the project', as(['coordinator', 'staff'], { id: 51, unitId: 12 }), { view: true, edit: true, unitSide: true, partnerId: null, side: 'unit' }],
    ['creator of the project', as(['coordinator', 'staff'], { id: 50, unitId: 12 }), { view: true, edit: true, unitSide: true, partnerId: null, side: 'unit' }],
    ['another coordinator', as(['coordinator', 'staff'], { unitId: 12 }), { view: false, edit: false, unitSide: false, partnerId: null, side: null }],
    ['admin', as(['admin', 'staff'], { unitId: 12 }), { view: true, edit: true, unitSide: true, partnerId: null, side: 'unit' }],
    ['partner member of a partner', as(['partner'], { unitId: null, partnerId: 7 }), { view: true, edit: false, unitSide: false, partnerId: 7, side: 'partner' }],
    ['partner member of another organisation', as(['partner'], { unitId: null, partnerId: 8 }), { view: false, edit: false, unitSide: false, partnerId: null, side: null }],
    // A partner member is never on the unit's side through a unit alone.
    ['partner member with the unit set', as(['partner'], { unitId: 10, partnerId: 8 }), { view: false, edit: false, unitSide: false, partnerId: null, side: null }],
  ];
  it.each(cases)('%s', (_, actor, e) => {
    const f = facts();
    expect(mayViewProject(actor, f)).toBe(e.view);
    expect(mayEditProject(actor, f.project)).toBe(e.edit);
    const rel = projectRelation(actor, f);
    expect(rel.unitSide).toBe(e.unitSide);
    expect(rel.partnerId).toBe(e.partnerId);
    expect(evaluationSide(rel)?.side ?? null).toBe(e.side);
    expect(mayEvaluateProject(actor, f)).toBe(e.side !== null);
  });

  it('filing or taking on one of its consultations puts a person on the unit’s side', () => {
    const other = as(['coordinator', 'staff'], { unitId: 12 });
    expect(mayViewProject(other, facts())).toBe(false);
    expect(projectRelation(other, facts({ onLinkedCase: true })).unitSide).toBe(true);
    expect(mayEditProject(other, facts().project)).toBe(false);
  });

  it('someone on both sides chooses the side; a side that is not theirs is refused', () => {
    const both = projectRelation(as(['staff', 'partner'], { partnerId: 9 }), facts());
    expect(both).toEqual({ admin: false, unitSide: true, partnerId: 9 });
    expect(evaluationSide(both)).toEqual({ side: 'unit', partnerId: null });
    expect(evaluationSide(both, 'partner')).toEqual({ side: 'partner', partnerId: 9 });
    const member = projectRelation(as(['partner'], { unitId: null, partnerId: 7 }), facts());
    expect(evaluationSide(member, 'unit')).toBeNull();
    expect(evaluationSide(projectRelation(as(['staff']), facts()), 'partner')).toBeNull();
  });
});
