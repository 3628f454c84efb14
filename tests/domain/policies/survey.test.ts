import { describe, expect, it } from 'vitest';
import type { Role } from '../../../src/domain/values.js';
import { mayAnswerSurvey, mayViewSurvey } from '../../../src/domain/policies/survey.js';

const as = (...roles: Role[]) => ({ id: 1, roles });

describe('survey policies', () => {
  // [who, actor, invited, may view the questions, may answer]
  const cases: [string, ReturnType<typeof as> | null, boolean, boolean, boolean][] = [
    ['visitor', null, false, false, false],
    ['visitor (an invitation cannot be theirs)', null, true, false, false],
    ['staff, asked', as('staff'), true, true, true],
    ['staff, not asked', as('staff'), false, false, false],
    ['approver, asked', as('approver', 'staff'), true, true, true],
    ['approver, not asked', as('approver', 'staff'), false, false, false],
    ['coordinator, asked', as('coordinator', 'staff'), true, true, true],
    ['coordinator, not asked', as('coordinator', 'staff'), false, false, false],
    ['partner member, asked (a host questionnaire)', as('partner'), true, true, true],
    ['partner member, not asked', as('partner'), false, false, false],
    ['admin, asked', as('admin'), true, true, true],
    ['admin, not asked: reads the questions, answers nothing', as('admin'), false, true, false],
  ];
  it.each(cases)('%s', (_, actor, invited, view, answer) => {
    expect(mayViewSurvey(actor, { invited })).toBe(view);
    expect(mayAnswerSurvey(actor, { invited })).toBe(answer);
  });
});
