/**
 * Seats, waitlist and lottery: pure rules, no I/O. The services call these inside a
 * transaction that holds the offering's row lock, so the counts they pass are exact.
 */
import { createHash } from 'node:crypto';

export const SEAT_GROUPS = ['prefecture', 'municipality', 'partner'] as const;
export type SeatGroup = (typeof SEAT_GROUPS)[number];

export const APPLICATION_STATUSES = ['applied', 'endorsed', 'returned', 'confirmed', 'waitlisted', 'not_selected', 'cancelled'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const SELECTION_METHODS = ['first_come', 'review', 'lottery'] as const;
export type SelectionMethod = (typeof SELECTION_METHODS)[number];

/** Statuses that still hold or wait for a place (a person may have only one such application per offering). */
export const LIVE_STATUSES: readonly ApplicationStatus[] = ['applied', 'endorsed', 'confirmed', 'waitlisted'];

const TRANSITIONS: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  applied: ['endorsed', 'returned', 'confirmed', 'waitlisted', 'not_selected', 'cancelled'],
  endorsed: ['confirmed', 'waitlisted', 'not_selected', 'cancelled'],
  returned: ['applied', 'cancelled'],
  confirmed: ['cancelled', 'waitlisted', 'not_selected'],
  waitlisted: ['confirmed', 'not_selected', 'cancelled'],
  not_selected: ['confirmed', 'waitlisted'],
  cancelled: [],
};

export function canTransition(from: ApplicationStatus, to: ApplicationStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export interface Capacity {
  /** Overall seats. */
  capacity: number;
  /** Optional seats per audience group; a group without an entry is limited only by the overall capacity. */
  seats: Partial<Record<SeatGroup, number>>;
}

export type ConfirmedCounts = { total: number } & Partial<Record<SeatGroup, number>>;

/** The group a person's affiliation counts against (related agencies share the prefecture's seats). */
export function seatGroupOf(affiliation: 'prefecture' | 'municipality' | 'agency' | 'partner'): SeatGroup {
  return affiliation === 'agency' ? 'prefecture' : affiliation;
}

/** Is there a seat for one more person of this group? */
export function hasSeat(cap: Capacity, counts: ConfirmedCounts, group: SeatGroup): boolean {
  if (counts.total >= cap.capacity) return false;
  const groupSeats = cap.seats[group];
  return groupSeats === undefined || (counts[group] ?? 0) < groupSeats;
}

export function addConfirmed(counts: ConfirmedCounts, group: SeatGroup): ConfirmedCounts {
  return { ...counts, total: counts.total + 1, [group]: (counts[group] ?? 0) + 1 };
}

/** Checks a capacity definition; returns problems as field → message key. */
export function checkCapacity(cap: Capacity): Record<string, 'error.capacity' | 'error.seatsExceedCapacity'> {
  const problems: Record<string, 'error.capacity' | 'error.seatsExceedCapacity'> = {};
  if (!Number.isInteger(cap.capacity) || cap.capacity < 1) problems.capacity = 'error.capacity';
  const sum = Object.values(cap.seats).reduce((a, b) => a + (b ?? 0), 0);
  if (sum > cap.capacity) problems.seats = 'error.seatsExceedCapacity';
  return problems;
}

export interface WaitingEntry {
  id: number;
  group: SeatGroup;
  /** FIFO order, or lottery rank: lower goes first. */
  order: number;
}

/** The first waiting entry (in order) whose group has a seat, or null. */
export function nextToPromote(cap: Capacity, counts: ConfirmedCounts, waiting: readonly WaitingEntry[]): WaitingEntry | null {
  return [...waiting].sort((a, b) => a.order - b.order || a.id - b.id).find((w) => hasSeat(cap, counts, w.group)) ?? null;
}

/** Promotes as many waiting entries as seats allow, in order. */
export function promoteAll(cap: Capacity, counts: ConfirmedCounts, waiting: readonly WaitingEntry[]): number[] {
  const out: number[] = [];
  let c = counts;
  let rest = [...waiting];
  for (;;) {
    const next = nextToPromote(cap, c, rest);
    if (!next) return out;
    out.push(next.id);
    c = addConfirmed(c, next.group);
    rest = rest.filter((w) => w.id !== next.id);
  }
}

// ---------------------------------------------------------------------------------------------
// First come (先着): applications decided in the order they arrive

export interface Arrival {
  group: SeatGroup;
  /** What to do when there is neither a seat nor a waitlist: refuse the application, or record it as not selected (代理申込). */
  whenFull: 'refuse' | 'not_selected';
}

export type ArrivalDecision = { status: 'confirmed' } | { status: 'waitlisted'; waitlistOrder: number } | { status: 'not_selected' } | { status: 'full' };

/**
 * Decides first-come applications that arrive together, in arrival order, as if one after another:
 * each is confirmed while its group has a seat, else waitlisted behind everyone already waiting
 * (orders from `nextWaitlistOrder` on), else refused or not selected when the offering keeps no
 * waitlist. `full` means "refused": it takes no seat and no place in the waitlist.
 */
export function decideArrivals(
  cap: Capacity,
  counts: ConfirmedCounts,
  opts: { waitlist: boolean; nextWaitlistOrder: number },
  arrivals: readonly Arrival[],
): ArrivalDecision[] {
  let c = counts;
  let order = opts.nextWaitlistOrder;
  return arrivals.map((a) => {
    if (hasSeat(cap, c, a.group)) {
      c = addConfirmed(c, a.group);
      return { status: 'confirmed' };
    }
    if (opts.waitlist) return { status: 'waitlisted', waitlistOrder: order++ };
    return a.whenFull === 'refuse' ? { status: 'full' } : { status: 'not_selected' };
  });
}

// ---------------------------------------------------------------------------------------------
// Lottery

export interface LotteryCandidate {
  id: number;
  group: SeatGroup;
  /** 0 is the highest priority tier (e.g. first-time applicants); ties are broken at random. */
  tier: number;
}

export type PriorityRuleName = 'first_time' | 'unit_untrained';

/**
 * A candidate's priority tier (0 first): one step back for each rule the candidate does not meet.
 * `trainedBefore` and `unitTrainedBefore` are asked of the programme's whole lineage (the programme and
 * its predecessors) and the history imported from before Kyodo: whoever took NPO・協働研修 is not a first-timer
 * at 協働推進セミナー.
 */
export function priorityTier(rules: readonly PriorityRuleName[], c: { trainedBefore: boolean; unitTrainedBefore: boolean }): number {
  let tier = 0;
  if (rules.includes('first_time') && c.trainedBefore) tier++;
  if (rules.includes('unit_untrained') && c.unitTrainedBefore) tier++;
  return tier;
}

/**
 * A deterministic stream of uniform 32-bit numbers from a seed: SHA-256 in counter mode.
 * Anyone with the seed can recompute the draw (auditability).
 */
export function seededUint32(seed: string): () => number {
  let counter = 0;
  let buf = Buffer.alloc(0);
  let pos = 0;
  return () => {
    if (pos + 4 > buf.length) {
      buf = createHash('sha256').update(`${seed}:${counter++}`).digest();
      pos = 0;
    }
    const v = buf.readUInt32BE(pos);
    pos += 4;
    return v;
  };
}

/** Uniform integer in [0, n) without modulo bias (rejection sampling). */
function uniformBelow(next: () => number, n: number): number {
  const limit = Math.floor(0x1_0000_0000 / n) * n;
  for (;;) {
    const v = next();
    if (v < limit) return v % n;
  }
}

/** A uniform random permutation (Fisher–Yates) reproducible from the seed. */
export function shuffle<T>(items: readonly T[], seed: string): T[] {
  const a = [...items];
  const next = seededUint32(seed);
  for (let i = a.length - 1; i > 0; i--) {
    const j = uniformBelow(next, i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

export interface LotteryResult {
  /** Everyone in draw order: rank 1 is first. */
  ranking: { id: number; rank: number; tier: number }[];
  confirmed: number[];
  /** Not confirmed, in rank order (the waitlist, when the offering keeps one). */
  rest: number[];
}

/**
 * Draws: candidates are shuffled uniformly (sorted by id first, so the input order does not
 * matter), then stably ordered by priority tier; seats are filled in that order, respecting the
 * group seats and the places already confirmed.
 */
export function drawLottery(candidates: readonly LotteryCandidate[], cap: Capacity, alreadyConfirmed: ConfirmedCounts, seed: string): LotteryResult {
  const shuffled = shuffle([...candidates].sort((a, b) => a.id - b.id), seed);
  const ordered = shuffled.map((c, i) => ({ c, i })).sort((a, b) => a.c.tier - b.c.tier || a.i - b.i).map((x) => x.c);
  let counts = alreadyConfirmed;
  const confirmed: number[] = [];
  const rest: number[] = [];
  for (const c of ordered) {
    if (hasSeat(cap, counts, c.group)) {
      confirmed.push(c.id);
      counts = addConfirmed(counts, c.group);
    } else rest.push(c.id);
  }
  return { ranking: ordered.map((c, i) => ({ id: c.id, rank: i + 1, tier: c.tier })), confirmed, rest };
}

/** A fresh seed: 128 random bits as hex, shown and recorded with the draw. */
export function newSeed(randomHex: string): string {
  return randomHex.toLowerCase().replace(/[^0-9a-f]/g, '').slice(0, 32);
}
