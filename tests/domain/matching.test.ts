import { describe, expect, it } from 'vitest';
import { compareSides, GAP_THRESHOLD, sideMean } from '../../src/domain/evaluation.js';
import {
  canDo,
  type ConsultationAction,
  type ConsultationStatus,
  type CoordinatorCandidate,
  matchedFields,
  type MatchRequest,
  type PartnerCandidate,
  practiceSince,
  rankCoordinators,
  rankPartners,
} from '../../src/domain/matching.js';

const TODAY = '2026-11-24';
const OTSU = 1;
const KUSATSU = 2;
const req = (o: Partial<MatchRequest> = {}): MatchRequest => ({ kind: 'bridge', fields: ['子育て'], areaUnitIds: [OTSU], today: TODAY, ...o });
const coord = (personId: number, o: Partial<CoordinatorCandidate> = {}): CoordinatorCandidate => ({
  personId,
  name: `C${personId}`,
  kana: 'ア',
  fields: [],
  areaUnitIds: [],
  openCases: 0,
  pastCasesOfKind: 0,
  validUntil: '2028-03-31',
  revoked: false,
  ...o,
});
const points = (parts: { key: string; points: number }[]) => Object.fromEntries(parts.map((p) => [p.key, p.points]));

describe('rankCoordinators: each part of the score', () => {
  const cases: [string, MatchRequest, Partial<CoordinatorCandidate>, Record<string, number>, boolean][] = [
    // label, request, candidate, expected parts, eligible
    ['all requested fields, area, no load, no past cases, valid', req(), { fields: ['子育て', '福祉'], areaUnitIds: [OTSU] }, { fields: 40, areas: 20, load: 20, experience: 0, certification: 10 }, true],
    ['half the requested fields', req({ fields: ['子育て', '環境'] }), { fields: ['子育て'] }, { fields: 20, areas: 0 }, true],
    ['fields compared after NFKC (full-width ｶﾅ)', req({ fields: ['ﾎﾞｳｻｲ'] }), { fields: ['ボウサイ'] }, { fields: 40 }, true],
    ['no field requested: no points for fields', req({ fields: [] }), { fields: ['子育て'] }, { fields: 0 }, true],
    ['another 市町 only', req(), { areaUnitIds: [KUSATSU] }, { areas: 0 }, true],
    ['one of several requested areas', req({ areaUnitIds: [KUSATSU, OTSU] }), { areaUnitIds: [OTSU] }, { areas: 20 }, true],
    ['two open cases take 10 off the load part', req(), { openCases: 2 }, { load: 10 }, true],
    ['five open cases: no load points, never negative', req(), { openCases: 5 }, { load: 0 }, true],
    ['three past cases of the kind', req(), { pastCasesOfKind: 3 }, { experience: 6 }, true],
    ['experience is capped at its maximum', req(), { pastCasesOfKind: 12 }, { experience: 10 }, true],
    ['no end date: valid', req(), { validUntil: null }, { certification: 10 }, true],
    ['expiring within 90 days: half', req(), { validUntil: '2027-01-31' }, { certification: 5 }, true],
    ['valid through today', req(), { validUntil: TODAY }, { certification: 5 }, true],
    ['expired yesterday: ineligible', req(), { validUntil: '2026-11-23' }, { certification: 0 }, false],
    ['revoked: ineligible', req(), { revoked: true }, { certification: 0 }, false],
  ];
  it.each(cases)('%s', (_label, r, c, expected, eligible) => {
    const [s] = rankCoordinators(r, [coord(1, c)]);
    expect(points(s.parts)).toMatchObject(expected);
    expect(s.score).toBe(s.parts.reduce((n, p) => n + p.points, 0));
    expect(s.eligible).toBe(eligible);
  });

  it('says why: the matched fields and areas by name, and the counts', () => {
    const [s] = rankCoordinators(req({ fields: ['子育て', '福祉'] }), [coord(1, { fields: ['福祉', '子育て'], areaUnitIds: [OTSU], openCases: 1, pastCasesOfKind: 2 })], (id) => (id === OTSU ? '大津市' : '?'));
    expect(s.parts).toEqual([
      { key: 'fields', points: 40, max: 40, matched: ['子育て', '福祉'] },
      { key: 'areas', points: 20, max: 20, matched: ['大津市'] },
      { key: 'load', points: 15, max: 20, count: 1 },
      { key: 'experience', points: 4, max: 10, count: 2 },
      { key: 'certification', points: 10, max: 10 },
    ]);
  });
});

describe('rankCoordinators: order', () => {
  const cases: [string, CoordinatorCandidate[], number[]][] = [
    ['higher score first', [coord(1, { fields: [] }), coord(2, { fields: ['子育て'] })], [2, 1]],
    ['fewer open cases win a tie on expertise', [coord(1, { fields: ['子育て'], openCases: 3 }), coord(2, { fields: ['子育て'], openCases: 0 })], [2, 1]],
    ['past cases of the kind break a tie', [coord(1, { fields: ['子育て'] }), coord(2, { fields: ['子育て'], pastCasesOfKind: 1 })], [2, 1]],
    ['an ineligible coordinator comes last whatever the score', [coord(1, { fields: ['子育て'], areaUnitIds: [OTSU], validUntil: '2020-03-31' }), coord(2)], [2, 1]],
    ['equal scores: 50音順 by フリガナ', [coord(1, { kana: 'ワタナベ' }), coord(2, { kana: 'あべ' }), coord(3, { kana: 'カトウ' })], [2, 3, 1]],
    ['equal scores and kana: by id', [coord(9, { kana: 'サトウ' }), coord(4, { kana: 'サトウ' })], [4, 9]],
  ];
  it.each(cases)('%s', (_label, candidates, order) => {
    expect(rankCoordinators(req(), candidates).map((s) => s.candidate.personId)).toEqual(order);
  });
});

describe('rankPartners', () => {
  const partner = (partnerId: number, o: Partial<PartnerCandidate> = {}): PartnerCandidate => ({ partnerId, name: `P${partnerId}`, kana: 'ア', fields: [], areaUnitIds: [], fieldTrainingsHosted: 0, projects: 0, ...o });
  const cases: [string, Partial<PartnerCandidate>, Record<string, number>][] = [
    ['field and area', { fields: ['子育て'], areaUnitIds: [OTSU] }, { fields: 50, areas: 20, fieldTrainings: 0, projects: 0 }],
    ['one field training hosted', { fieldTrainingsHosted: 1 }, { fieldTrainings: 5 }],
    ['many field trainings: capped', { fieldTrainingsHosted: 9 }, { fieldTrainings: 15 }],
    ['two past projects', { projects: 2 }, { projects: 10 }],
    ['negative counts are treated as none', { projects: -3, fieldTrainingsHosted: -1 }, { projects: 0, fieldTrainings: 0 }],
  ];
  it.each(cases)('%s', (_label, p, expected) => {
    expect(points(rankPartners(req(), [partner(1, p)])[0].parts)).toMatchObject(expected);
  });
  it('orders by score, then 50音順', () => {
    const ranked = rankPartners(req(), [partner(1, { kana: 'サトヤマ' }), partner(2, { kana: 'アオゾラ' }), partner(3, { fields: ['子育て'] })]);
    expect(ranked.map((s) => s.candidate.partnerId)).toEqual([3, 2, 1]);
  });
});

describe('matchedFields', () => {
  it.each([
    [['子育て', '福祉'], ['福祉'], ['福祉']],
    [['子育て', '子育て'], ['子育て'], ['子育て']],
    [[' 環境 '], ['環境'], ['環境']],
    [[''], [''], []],
  ])('%j against %j → %j', (requested, offered, expected) => {
    expect(matchedFields(requested, offered)).toEqual(expected);
  });
});

describe('canDo: what may happen in each status', () => {
  const table: [ConsultationStatus, ConsultationAction[], ConsultationAction[]][] = [
    ['new', ['assign', 'close', 'withdraw'], ['accept', 'decline', 'log']],
    ['assigned', ['assign', 'accept', 'decline', 'close', 'withdraw'], ['log']],
    ['in_progress', ['assign', 'accept', 'decline', 'log', 'close', 'withdraw'], []],
    ['closed', [], ['assign', 'accept', 'decline', 'log', 'close', 'withdraw']],
    ['withdrawn', [], ['assign', 'accept', 'decline', 'log', 'close', 'withdraw']],
  ];
  it.each(table)('%s', (status, yes, no) => {
    for (const a of yes) expect(canDo(status, a), `${status} ${a}`).toBe(true);
    for (const a of no) expect(canDo(status, a), `${status} ${a}`).toBe(false);
  });
});

describe('practiceSince: the record shown for renewal', () => {
  const cases: [string, Parameters<typeof practiceSince>[0], string | null, { cases: number; minutes: number }][] = [
    ['closed cases since renewal count, with their time', [{ closedOn: '2026-05-01', status: 'closed', minutes: 90 }, { closedOn: '2026-06-01', status: 'closed', minutes: 30 }], '2026-04-01', { cases: 2, minutes: 120 }],
    ['cases before the renewal do not count', [{ closedOn: '2026-03-31', status: 'closed', minutes: 90 }], '2026-04-01', { cases: 0, minutes: 0 }],
    ['the renewal day itself counts', [{ closedOn: '2026-04-01', status: 'closed', minutes: 10 }], '2026-04-01', { cases: 1, minutes: 10 }],
    ['withdrawn cases do not count', [{ closedOn: '2026-05-01', status: 'withdrawn', minutes: 60 }], '2026-04-01', { cases: 0, minutes: 0 }],
    ['no certification date: everything counts', [{ closedOn: '2020-01-01', status: 'closed', minutes: 5 }], null, { cases: 1, minutes: 5 }],
  ];
  it.each(cases)('%s', (_label, history, since, expected) => {
    expect(practiceSince(history, since)).toEqual(expected);
  });
});

describe('compareSides: both sides side by side, gaps highlighted', () => {
  const criteria = [{ id: 1 }, { id: 2 }, { id: 3 }];
  const s = (...xs: (number | null)[]) => Object.fromEntries(xs.map((x, i) => [i + 1, x === null ? undefined : { score: x, comment: '' }]));
  const cases: [string, ReturnType<typeof s> | null, ReturnType<typeof s> | null, (number | null)[], boolean[]][] = [
    ['the same view: no gap', s(4, 4, 4), s(4, 4, 4), [0, 0, 0], [false, false, false]],
    [`a gap of ${GAP_THRESHOLD} either way is highlighted`, s(5, 2, 4), s(3, 4, 3), [-2, 2, -1], [true, true, false]],
    ['one side not scored yet: no gap', null, s(1, 5, 3), [null, null, null], [false, false, false]],
    ['a criterion one side skipped', s(4, null, 4), s(1, 3, 4), [-3, null, 0], [true, false, false]],
  ];
  it.each(cases)('%s', (_label, unit, partner, gaps, highlights) => {
    const rows = compareSides(criteria, unit, [{ partnerId: 7, scores: partner }]);
    expect(rows.map((r) => r.partners[0].gap)).toEqual(gaps);
    expect(rows.map((r) => r.highlight)).toEqual(highlights);
  });
  it('with several partners, the largest gap is the row’s', () => {
    const [row] = compareSides([{ id: 1 }], s(3), [
      { partnerId: 1, scores: s(4) },
      { partnerId: 2, scores: s(1) },
    ]);
    expect(row.maxGap).toBe(-2);
    expect(row.partners.map((p) => p.highlight)).toEqual([false, true]);
  });
  it.each([
    [s(4, 5, 3), 4],
    [s(4, null, 5), 4.5],
    [s(1, 2, 2), 1.67],
    [null, null],
  ])('sideMean %j → %s', (scores, mean) => {
    expect(sideMean(criteria, scores)).toBe(mean);
  });
});
