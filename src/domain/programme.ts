/**
 * Programmes (研修事業) and their lineage: pure rules, no I/O. A programme's lineage is itself and all
 * its predecessors, transitively (協働推進セミナー ← NPO・協働研修), so that history reads as one line
 * across renames: whoever was trained in any of them has been trained "in this".
 */

export interface ProgrammeLink {
  id: number;
  predecessor_id: number | null;
}

export interface ProgrammeYears {
  first_fiscal_year: number | null;
  last_fiscal_year: number | null;
}

/** The programme and all its predecessors, nearest first. Stops at a cycle (which the service refuses to write). */
export function lineageOf(programmes: readonly ProgrammeLink[], id: number): number[] {
  const byId = new Map(programmes.map((p) => [p.id, p]));
  const out: number[] = [];
  let cur: number | null = id;
  while (cur !== null && byId.has(cur) && !out.includes(cur)) {
    out.push(cur);
    cur = byId.get(cur)!.predecessor_id;
  }
  return out;
}

/** Would making `predecessorId` the predecessor of `id` close a loop (the programme would precede itself)? */
export function wouldCycle(programmes: readonly ProgrammeLink[], id: number, predecessorId: number | null): boolean {
  if (predecessorId === null) return false;
  if (predecessorId === id) return true;
  return lineageOf(programmes, predecessorId).includes(id);
}

/** Has the programme ended by the given fiscal year (its last year is before it)? */
export function hasEnded(p: ProgrammeYears, currentFiscalYear: number): boolean {
  return p.last_fiscal_year !== null && p.last_fiscal_year < currentFiscalYear;
}

export type OfferingYearProblem = 'error.programmeEnded' | 'error.fiscalYearOutsideProgramme';

/**
 * Can a new offering of this programme be made for fiscal year `fy`, in `currentFiscalYear`? Not once
 * the programme has ended, and not for a year outside the programme's years.
 */
export function offeringYearProblem(p: ProgrammeYears, fy: number, currentFiscalYear: number): { field: 'programmeId' | 'fiscalYear'; key: OfferingYearProblem } | null {
  if (hasEnded(p, currentFiscalYear)) return { field: 'programmeId', key: 'error.programmeEnded' };
  if ((p.first_fiscal_year !== null && fy < p.first_fiscal_year) || (p.last_fiscal_year !== null && fy > p.last_fiscal_year))
    return { field: 'fiscalYear', key: 'error.fiscalYearOutsideProgramme' };
  return null;
}

/** Programmes that can still receive offerings (not ended), in the given order. */
export function openProgrammes<T extends ProgrammeYears>(programmes: readonly T[], currentFiscalYear: number): T[] {
  return programmes.filter((p) => !hasEnded(p, currentFiscalYear));
}
