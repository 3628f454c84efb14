import { describe, expect, it } from 'vitest';
import { answersFromForm, checkAnswers, checkQuestions, isOpen, pairedChange, responseRate, SATISFACTION_ANCHORS, scalePoints, scaleRange, type SurveyQuestion, summarise } from '../../src/domain/survey.js';
import { DEFAULT_TEMPLATES } from '../../src/services/survey-defaults.js';

const Q: SurveyQuestion[] = [
  { id: 'sat', type: 'scale5', label: '満足度', required: true },
  { id: 'intent', type: 'single', label: '意向', required: true, options: ['はい', 'いいえ'] },
  { id: 'parts', type: 'multiple', label: '役立った内容', required: false, options: ['講義', '見学', '意見交換'] },
  { id: 'comments', type: 'text', label: '自由記述', required: false },
  { id: 'comp', type: 'matrix', label: '自己評価', required: true, rows: [{ id: 'roles', label: '役割' }, { id: 'sites', label: '現場' }] },
];
const good = { sat: 4, intent: 'はい', parts: ['見学', '講義'], comments: ' よかった ', comp: { roles: 3, sites: '5' } };

describe('checking answers', () => {
  it('accepts a complete answer, orders choices as offered, trims text and lists the numeric scores', () => {
    const r = checkAnswers(Q, good);
    expect(r).toEqual({
      ok: true,
      answers: { sat: 4, intent: 'はい', parts: ['講義', '見学'], comments: 'よかった', comp: { roles: 3, sites: 5 } },
      scores: [
        { questionId: 'sat', item: '', score: 4 },
        { questionId: 'comp', item: 'roles', score: 3 },
        { questionId: 'comp', item: 'sites', score: 5 },
      ],
    });
  });
  it.each<[string, Record<string, unknown>, Record<string, string>]>([
    ['required scale missing', { ...good, sat: undefined }, { 'q-sat': 'error.required' }],
    ['blank string is missing', { ...good, sat: '  ' }, { 'q-sat': 'error.required' }],
    ['scale 0', { ...good, sat: 0 }, { 'q-sat': 'error.range' }],
    ['scale 6', { ...good, sat: '6' }, { 'q-sat': 'error.range' }],
    ['scale 2.5', { ...good, sat: 2.5 }, { 'q-sat': 'error.range' }],
    ['choice not offered', { ...good, intent: 'たぶん' }, { 'q-intent': 'error.choice' }],
    ['one of several not offered', { ...good, parts: ['講義', '昼食'] }, { 'q-parts': 'error.choice' }],
    ['text too long', { ...good, comments: 'あ'.repeat(4001) }, { 'q-comments': 'error.tooLong' }],
    ['matrix row missing', { ...good, comp: { roles: 3 } }, { 'q-comp-sites': 'error.required' }],
    ['matrix missing entirely', { ...good, comp: undefined }, { 'q-comp-roles': 'error.required' }],
    ['matrix row out of range', { ...good, comp: { roles: 3, sites: 9 } }, { 'q-comp-sites': 'error.range' }],
    ['matrix not an object', { ...good, comp: [1, 2] }, { 'q-comp-roles': 'error.choice' }],
    ['several problems at once', { comp: { roles: 1, sites: 1 } }, { 'q-sat': 'error.required', 'q-intent': 'error.required' }],
  ])('%s', (_l, input, problems) => {
    const r = checkAnswers(Q, input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.fromEntries(Object.entries(r.problems).map(([k, v]) => [k, v.key]))).toEqual(problems);
  });
  it('leaves out optional questions not answered, and ignores unknown ids', () => {
    const r = checkAnswers(Q, { sat: 1, intent: 'いいえ', comp: { roles: 1, sites: 2 }, extra: 'x' });
    expect(r.ok && r.answers).toEqual({ sat: 1, intent: 'いいえ', comp: { roles: 1, sites: 2 } });
  });
  it('reads a submitted form into the same structure', () => {
    const form = { 'q-sat': '4', 'q-intent': 'はい', 'q-parts': ['講義'], 'q-comments': '', 'q-comp-roles': '2', 'q-comp-sites': '3', _csrf: 'x' };
    expect(answersFromForm(Q, form)).toEqual({ sat: '4', intent: 'はい', parts: ['講義'], comp: { roles: '2', sites: '3' } });
  });
});

describe('checking questions (templates)', () => {
  it.each<[string, SurveyQuestion[], string[]]>([
    ['fine', Q, []],
    ['empty', [], ['no questions']],
    ['bad id', [{ id: 'Bad-Id', type: 'text', label: 'x', required: false }], ['Bad-Id: id']],
    ['duplicate', [Q[0], Q[0]], ['sat: duplicate']],
    ['single with one option', [{ id: 'a', type: 'single', label: 'x', required: true, options: ['only'] }], ['a: options']],
    ['matrix without rows', [{ id: 'm', type: 'matrix', label: 'x', required: true, rows: [] }], ['m: rows']],
    ['scale with its own five words', [{ ...Q[0], anchors: [...SATISFACTION_ANCHORS] }], []],
    ['scale with four words', [{ ...Q[0], anchors: SATISFACTION_ANCHORS.slice(1) }], ['sat: scale']],
    ['scale with a blank word', [{ ...Q[0], anchors: [...SATISFACTION_ANCHORS.slice(1), { label: ' ' }] }], ['sat: scale']],
    ['words on a text question', [{ ...Q[3], anchors: [...SATISFACTION_ANCHORS] }], ['comments: scale']],
  ])('%s', (_l, qs, problems) => expect(checkQuestions(qs)).toEqual(problems));
});

describe('scales: one order, every point worded, the value is what the words mean', () => {
  it.each<[string, Pick<SurveyQuestion, 'anchors'>, 'ja' | 'en', string[]]>([
    ['agreement (default), Japanese', {}, 'ja', ['5：そう思う', '4：ややそう思う', '3：どちらともいえない', '2：あまりそう思わない', '1：そう思わない']],
    ['agreement (default), English', {}, 'en', ['5: agree', '4: somewhat agree', '3: neither', '2: somewhat disagree', '1: disagree']],
    ['satisfaction', { anchors: [...SATISFACTION_ANCHORS] }, 'ja', ['5：満足', '4：やや満足', '3：どちらともいえない', '2：やや不満', '1：不満']],
    ['own words without English fall back to Japanese', { anchors: ['a', 'b', 'c', 'd', 'e'].map((label) => ({ label })) }, 'en', ['5: a', '4: b', '3: c', '2: d', '1: e']],
    ['a broken word list is the agreement scale', { anchors: [{ label: 'x' }] }, 'ja', ['5：そう思う', '4：ややそう思う', '3：どちらともいえない', '2：あまりそう思わない', '1：そう思わない']],
  ])('%s', (_l, q, lang, texts) => {
    const points = scalePoints(q, lang);
    expect(points.map((p) => p.text)).toEqual(texts);
    // Highest first, and the value of each point is the number its words carry.
    expect(points.map((p) => p.value)).toEqual([5, 4, 3, 2, 1]);
  });
  it('says the range in one line, highest first', () => {
    expect(scaleRange({})).toBe('5：そう思う〜1：そう思わない');
    expect(scaleRange({ anchors: [...SATISFACTION_ANCHORS] }, 'en')).toBe('5: satisfied … 1: dissatisfied');
  });
  it('no built-in question carries a legend of its own that could run against its options', () => {
    for (const t of DEFAULT_TEMPLATES)
      for (const q of t.questions) {
        expect(q.label).not.toMatch(/[1-5][：:]/);
        expect(q.labelEn ?? '').not.toMatch(/[1-5] ?[=:]/);
      }
    expect(checkQuestions(DEFAULT_TEMPLATES.flatMap((t) => t.questions.map((q) => ({ ...q, id: `${t.code.replace(/-/g, '_')}_${q.id}` }))))).toEqual([]);
  });
});

describe('summaries', () => {
  it('counts, means and lists per question type', () => {
    const s = summarise(Q, [
      { sat: 5, intent: 'はい', parts: ['講義', '見学'], comments: 'a', comp: { roles: 2, sites: 4 } },
      { sat: 4, intent: 'はい', comp: { roles: 4 } },
      { sat: 4, intent: 'いいえ', parts: ['見学'] },
    ]);
    expect(s.map((x) => x.summary)).toEqual([
      { kind: 'scale', n: 3, counts: [0, 0, 0, 2, 1], mean: 4.33 },
      { kind: 'choice', n: 3, options: [{ label: 'はい', count: 2 }, { label: 'いいえ', count: 1 }] },
      { kind: 'choice', n: 2, options: [{ label: '講義', count: 1 }, { label: '見学', count: 2 }, { label: '意見交換', count: 0 }] },
      { kind: 'text', n: 1, texts: ['a'] },
      {
        kind: 'matrix',
        n: 2,
        rows: [
          { id: 'roles', label: '役割', kind: 'scale', n: 2, counts: [0, 1, 0, 1, 0], mean: 3 },
          { id: 'sites', label: '現場', kind: 'scale', n: 1, counts: [0, 0, 0, 1, 0], mean: 4 },
        ],
      },
    ]);
  });
  it('has no mean when nobody answered', () => expect(summarise([Q[0]], [])[0].summary).toEqual({ kind: 'scale', n: 0, counts: [0, 0, 0, 0, 0], mean: null }));
  it.each([
    [0, 0, null],
    [0, 10, 0],
    [2, 3, 66.7],
    [1, 3, 33.3],
    [2, 7, 28.6],
    [29, 30, 96.7],
    [30, 30, 100],
  ])('%i of %i answered: %s %', (a, b, rate) => expect(responseRate(a, b)).toBe(rate));
});

describe('pre/post change', () => {
  it('pairs per person and item, with means, distribution and direction', () => {
    const r = pairedChange(
      [
        { personId: 1, group: 'A', item: 'roles', pre: 2, post: 4 },
        { personId: 2, group: 'A', item: 'roles', pre: 3, post: 3 },
        { personId: 3, group: 'A', item: 'roles', pre: 5, post: 4 },
        { personId: 1, group: 'A', item: 'sites', pre: 1, post: 5 },
      ],
      ['roles', 'sites', 'consensus'],
    );
    expect(r[0]).toEqual({ group: 'A', item: 'roles', n: 3, meanPre: 3.33, meanPost: 3.67, meanChange: 0.33, distribution: [0, 0, 0, 1, 1, 0, 1, 0, 0], improved: 1, same: 1, declined: 1 });
    expect(r[1]).toMatchObject({ item: 'sites', n: 1, meanChange: 4, distribution: [0, 0, 0, 0, 0, 0, 0, 0, 1] });
    expect(r[2]).toMatchObject({ item: 'consensus', n: 0, meanPre: null, meanChange: null });
  });
});

describe('open window', () => {
  const s = { opens_at: new Date('2026-12-01T00:00:00Z'), closes_at: new Date('2026-12-15T00:00:00Z') };
  it.each([
    ['2026-11-30T23:59:59Z', false],
    ['2026-12-01T00:00:00Z', true],
    ['2026-12-14T23:59:59Z', true],
    ['2026-12-15T00:00:00Z', false],
  ])('at %s: %s', (at, open) => expect(isOpen(s, new Date(at))).toBe(open));
});
