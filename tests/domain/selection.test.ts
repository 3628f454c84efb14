import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  priorityTier,
  addConfirmed,
  canTransition,
  type Capacity,
  type ConfirmedCounts,
  checkCapacity,
  decideArrivals,
  drawLottery,
  hasSeat,
  nextToPromote,
  promoteAll,
  seatGroupOf,
  shuffle,
} from '../../src/domain/selection.js';

const cap = (capacity: number, seats: Capacity['seats'] = {}): Capacity => ({ capacity, seats });

describe('seats', () => {
  it.each([
    ['room overall', cap(3), { total: 2 }, 'prefecture', true],
    ['full overall', cap(3), { total: 3 }, 'prefecture', false],
    ['group full', cap(10, { partner: 2 }), { total: 4, partner: 2 }, 'partner', false],
    ['other group still free', cap(10, { partner: 2 }), { total: 4, partner: 2 }, 'prefecture', true],
    ['group free but overall full', cap(4, { partner: 2 }), { total: 4, partner: 1 }, 'partner', false],
    ['group without seats limited only overall', cap(5, { partner: 1 }), { total: 4, municipality: 4 }, 'municipality', true],
  ] as const)('%s', (_l, c, counts, group, expected) => {
    expect(hasSeat(c, counts, group)).toBe(expected);
  });

  it.each([
    [cap(0), { capacity: 'error.capacity' }],
    [cap(10, { prefecture: 6, partner: 5 }), { seats: 'error.seatsExceedCapacity' }],
    [cap(10, { prefecture: 6, partner: 4 }), {}],
  ])('checks capacity %j', (c, problems) => expect(checkCapacity(c)).toEqual(problems));

  it.each([
    ['agency', 'prefecture'],
    ['municipality', 'municipality'],
    ['partner', 'partner'],
  ] as const)('%s counts against %s seats', (a, g) => expect(seatGroupOf(a)).toBe(g));
});

describe('first-come arrivals decided together', () => {
  const pref = { group: 'prefecture', whenFull: 'refuse' } as const;
  const partner = { group: 'partner', whenFull: 'refuse' } as const;
  const onBehalf = { group: 'prefecture', whenFull: 'not_selected' } as const;
  it.each([
    ['seats left for all', cap(3), { total: 0 }, true, 1, [pref, pref], ['confirmed', 'confirmed']],
    ['the last seat goes to the first, the rest wait in arrival order', cap(3), { total: 2 }, true, 5, [pref, pref, pref], ['confirmed', 'waitlisted:5', 'waitlisted:6']],
    ['no waitlist: refused, or not selected when applied on behalf', cap(1), { total: 1 }, false, 1, [pref, onBehalf], ['full', 'not_selected']],
    ['a full group waits while another group is still confirmed', cap(10, { partner: 1 }), { total: 1, partner: 1 }, true, 1, [partner, pref, partner], ['waitlisted:1', 'confirmed', 'waitlisted:2']],
    ['a refusal takes no seat from the one behind it', cap(10, { partner: 0 }), { total: 0 }, false, 1, [partner, pref], ['full', 'confirmed']],
  ] as const)('%s', (_l, c, counts, waitlist, next, arrivals, expected) => {
    const got = decideArrivals(c, counts, { waitlist, nextWaitlistOrder: next }, arrivals).map((d) => (d.status === 'waitlisted' ? `waitlisted:${d.waitlistOrder}` : d.status));
    expect(got).toEqual(expected);
  });

  it('property: the same as deciding one after another, and never over capacity or group seats', () => {
    const group = fc.constantFrom('prefecture', 'municipality', 'partner');
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.record({ partner: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }) }),
        fc.integer({ min: 0, max: 4 }),
        fc.boolean(),
        fc.array(group, { maxLength: 20 }),
        (capacity, seats, already, waitlist, groups) => {
          const c = cap(capacity, seats.partner === undefined ? {} : { partner: seats.partner });
          const start = { total: Math.min(already, capacity) };
          const arrivals = groups.map((g) => ({ group: g, whenFull: 'refuse' as const }));
          const together = decideArrivals(c, start, { waitlist, nextWaitlistOrder: 1 }, arrivals);
          // One at a time, carrying the counts and the waitlist forward.
          let counts: ConfirmedCounts = start;
          let next = 1;
          const alone = arrivals.map((a) => {
            const [d] = decideArrivals(c, counts, { waitlist, nextWaitlistOrder: next }, [a]);
            if (d.status === 'confirmed') counts = addConfirmed(counts, a.group);
            if (d.status === 'waitlisted') next++;
            return d;
          });
          expect(together).toEqual(alone);
          expect(counts.total).toBeLessThanOrEqual(capacity);
          if (seats.partner !== undefined) expect(counts.partner ?? 0).toBeLessThanOrEqual(seats.partner);
        },
      ),
    );
  });
});

describe('status transitions', () => {
  it.each([
    ['applied', 'endorsed', true],
    ['applied', 'confirmed', true],
    ['endorsed', 'applied', false],
    ['confirmed', 'cancelled', true],
    ['waitlisted', 'confirmed', true],
    ['cancelled', 'confirmed', false],
    ['returned', 'applied', true],
  ] as const)('%s → %s: %s', (from, to, ok) => expect(canTransition(from, to)).toBe(ok));
});

describe('waitlist promotion', () => {
  it('promotes in order, skipping people whose group is full', () => {
    const c = cap(4, { partner: 1 });
    const counts = { total: 2, partner: 1, prefecture: 1 };
    const waiting = [
      { id: 10, group: 'partner' as const, order: 1 },
      { id: 11, group: 'prefecture' as const, order: 2 },
      { id: 12, group: 'municipality' as const, order: 3 },
    ];
    expect(nextToPromote(c, counts, waiting)?.id).toBe(11);
    expect(promoteAll(c, counts, waiting)).toEqual([11, 12]);
    expect(promoteAll(c, { total: 4 }, waiting)).toEqual([]);
  });
});

describe('lottery', () => {
  const people = Array.from({ length: 30 }, (_, i) => ({ id: i + 1, group: (i % 3 === 0 ? 'partner' : 'prefecture') as 'partner' | 'prefecture', tier: 1 }));

  it('is reproducible from its seed and independent of input order', () => {
    const a = drawLottery(people, cap(10), { total: 0 }, 'seed-1');
    const b = drawLottery([...people].reverse(), cap(10), { total: 0 }, 'seed-1');
    expect(a).toEqual(b);
    expect(drawLottery(people, cap(10), { total: 0 }, 'seed-2').confirmed).not.toEqual(a.confirmed);
  });

  it('fills seats exactly, respecting groups and places already confirmed', () => {
    const r = drawLottery(people, cap(10, { partner: 3 }), { total: 2, partner: 1 }, 'x');
    expect(r.confirmed).toHaveLength(8);
    expect(r.confirmed.filter((id) => (id - 1) % 3 === 0)).toHaveLength(2);
    expect(r.rest).toHaveLength(22);
    expect(r.ranking.map((x) => x.rank)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('gives priority tiers precedence', () => {
    const cands = people.map((p) => ({ ...p, tier: p.id <= 5 ? 0 : 1 }));
    const r = drawLottery(cands, cap(5), { total: 0 }, 'prio');
    expect([...r.confirmed].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
  });

  it('is uniform: each of 4 people is first about a quarter of the time over 4,000 seeds', () => {
    const firsts = new Map<number, number>();
    for (let s = 0; s < 4000; s++) {
      const first = shuffle([1, 2, 3, 4], `u${s}`)[0];
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    // Chi-square with 3 degrees of freedom; 16.27 is the 0.1% critical value.
    const chi = [...firsts.values()].reduce((acc, n) => acc + (n - 1000) ** 2 / 1000, 0);
    expect(firsts.size).toBe(4);
    expect(chi).toBeLessThan(16.27);
  });

  it('property: never confirms more than capacity or group seats', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('prefecture', 'municipality', 'partner'), { maxLength: 60 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 10 }),
        fc.string(),
        (groups, capacity, partnerSeats, seed) => {
          const c = cap(capacity, { partner: Math.min(partnerSeats, capacity) });
          const cands = groups.map((g, i) => ({ id: i + 1, group: g as 'prefecture', tier: i % 2 }));
          const r = drawLottery(cands, c, { total: 0 }, seed);
          let counts = { total: 0 } as ReturnType<typeof addConfirmed>;
          for (const id of r.confirmed) counts = addConfirmed(counts, cands[id - 1].group);
          expect(counts.total).toBeLessThanOrEqual(capacity);
          expect(counts.partner ?? 0).toBeLessThanOrEqual(c.seats.partner!);
          expect(r.confirmed.length + r.rest.length).toBe(cands.length);
        },
      ),
    );
  });
});

describe('priorityTier (asked of the programme lineage)', () => {
  it.each([
    [[], true, true, 0],
    [['first_time'], false, false, 0],
    [['first_time'], true, false, 1],
    [['first_time'], false, true, 0],
    [['unit_untrained'], false, true, 1],
    [['first_time', 'unit_untrained'], true, true, 2],
    [['first_time', 'unit_untrained'], false, true, 1],
  ] as const)('rules %j, trained before %s, unit trained before %s → tier %s', (rules, trainedBefore, unitTrainedBefore, want) => {
    expect(priorityTier(rules, { trainedBefore, unitTrainedBefore })).toBe(want);
  });
});
