import { describe, expect, it } from 'vitest';
import {
  answerSheet,
  cancellationEffect,
  decisionRefusal,
  endorseRefusal,
  endorsersFor,
  hasDecisionNotice,
  owesAnswers,
  unansweredRequired,
} from '../../src/domain/application-policy.js';
import { APPLICATION_STATUSES } from '../../src/domain/selection.js';

const approver = (id: number, unitId: number | null, roles = ['approver', 'staff']) => ({ id, roles, unitId });

describe('who may endorse or return an application', () => {
  it.each([
    ['an approver of the unit, on a colleague', approver(1, 10), { id: 2, unitId: 10 }, null],
    ['an approver, on their own application', approver(1, 10), { id: 1, unitId: 10 }, 'own_application'],
    ['an admin, on anyone', approver(5, null, ['admin']), { id: 2, unitId: 10 }, null],
    ['an admin, on their own application', approver(5, 10, ['admin', 'approver']), { id: 5, unitId: 10 }, 'own_application'],
    ['an approver of another unit', approver(1, 11), { id: 2, unitId: 10 }, 'not_approver'],
    ['an approver without a unit', approver(1, null), { id: 2, unitId: null }, 'not_approver'],
    ['a staff member of the unit', approver(3, 10, ['staff']), { id: 2, unitId: 10 }, 'not_approver'],
  ] as const)('%s', (_l, actor, applicant, expected) => {
    expect(endorseRefusal(actor, applicant)).toBe(expected);
  });
});

describe('who may decide (選考) on an application', () => {
  it.each([
    ['an admin, on someone else', { id: 5 }, { id: 2 }, null],
    ['an admin, on their own application', { id: 5 }, { id: 5 }, 'own_application'],
  ] as const)('%s', (_l, actor, applicant, expected) => {
    expect(decisionRefusal(actor, applicant)).toBe(expected);
  });
});

describe('whom to ask for an endorsement', () => {
  const approvers = [
    { id: 1, unit_id: 10, name: 'A' },
    { id: 2, unit_id: 10, name: 'B' },
    { id: 3, unit_id: 11, name: 'C' },
  ];
  const admins = [
    { id: 9, unit_id: null, name: 'Admin' },
    { id: 3, unit_id: 11, name: 'C (also admin)' },
  ];
  it.each([
    ['a staff member: every approver of the unit', { id: 7, unit_id: 10 }, [1, 2], false],
    ['an approver: the other approvers of the unit only', { id: 1, unit_id: 10 }, [2], false],
    ['the only approver of the unit: the admins', { id: 3, unit_id: 11 }, [9], true],
    ['a unit with no approver: the admins', { id: 8, unit_id: 12 }, [9, 3], true],
    ['nobody without a unit: the admins', { id: 8, unit_id: null }, [9, 3], true],
  ] as const)('%s', (_l, applicant, ids, fallback) => {
    const r = endorsersFor(applicant, approvers, admins);
    expect(r.to.map((p) => p.id)).toEqual(ids);
    expect(r.fallback).toBe(fallback);
  });
});

describe('answers', () => {
  const questions = [
    { id: 'q1', label: '受講の動機', required: true },
    { id: 'q2', label: '業務で協働している団体', required: false },
  ];
  it.each([
    [{}, ['q1']],
    [{ q1: '   ' }, ['q1']],
    [{ q1: '地域と協働したい' }, []],
    [{ q2: 'NPO法人' }, ['q1']],
  ])('required and blank in %j: %j', (answers, ids) => {
    expect(unansweredRequired(questions, answers).map((q) => q.id)).toEqual(ids);
  });

  it('shows each answer under its question text, in the order asked, then answers to questions no longer asked', () => {
    expect(answerSheet(questions, { q2: 'NPO法人', q1: '地域と協働したい', q9: '古い設問への回答', q8: '' })).toEqual([
      { id: 'q1', question: '受講の動機', answer: '地域と協働したい', required: true },
      { id: 'q2', question: '業務で協働している団体', answer: 'NPO法人', required: false },
      { id: 'q9', question: 'q9', answer: '古い設問への回答', required: false },
    ]);
    expect(answerSheet(questions, {}).map((l) => l.answer)).toEqual(['', '']);
  });

  it.each([
    ['applied', true, true],
    ['endorsed', true, true],
    ['confirmed', true, true],
    ['waitlisted', true, true],
    ['returned', true, false],
    ['cancelled', true, false],
    ['not_selected', true, false],
    ['confirmed', false, false],
  ] as const)('a %s application with answers pending=%s owes answers: %s', (status, pending, expected) => {
    expect(owesAnswers({ status, answers_pending: pending })).toBe(expected);
  });
});

describe('the decision notice (受講決定通知)', () => {
  it.each(APPLICATION_STATUSES.map((s) => [s, s === 'confirmed'] as const))('exists for %s: %s', (status, expected) => {
    expect(hasDecisionNotice(status)).toBe(expected);
  });
});

describe('what a cancellation (辞退) does', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  it.each([
    ['confirmed, someone waiting', { status: 'confirmed', waitlistKept: true, waiting: 2, promotionCutoff: null }, { promotesNext: true, losesWaitlistPlace: false }],
    ['confirmed, nobody waiting', { status: 'confirmed', waitlistKept: true, waiting: 0, promotionCutoff: null }, { promotesNext: false, losesWaitlistPlace: false }],
    ['confirmed, after the promotion cut-off', { status: 'confirmed', waitlistKept: true, waiting: 2, promotionCutoff: new Date('2026-11-30T00:00:00Z') }, { promotesNext: false, losesWaitlistPlace: false }],
    ['confirmed, before the promotion cut-off', { status: 'confirmed', waitlistKept: true, waiting: 1, promotionCutoff: new Date('2026-12-02T00:00:00Z') }, { promotesNext: true, losesWaitlistPlace: false }],
    ['confirmed, no waitlist kept', { status: 'confirmed', waitlistKept: false, waiting: 0, promotionCutoff: null }, { promotesNext: false, losesWaitlistPlace: false }],
    ['waitlisted', { status: 'waitlisted', waitlistKept: true, waiting: 3, promotionCutoff: null }, { promotesNext: false, losesWaitlistPlace: true }],
    ['applied', { status: 'applied', waitlistKept: true, waiting: 3, promotionCutoff: null }, { promotesNext: false, losesWaitlistPlace: false }],
  ] as const)('%s', (_l, input, expected) => {
    expect(cancellationEffect({ ...input, now })).toEqual(expected);
  });
});
