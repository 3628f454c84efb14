/**
 * What one row of a people import does to the person it matches: the values the person will hold, and
 * which of them change. A row that changes nothing is not written (no audit entry, no 更新日時): an
 * April import of the whole HR list then records the few hundred people who moved, not thousands of
 * 「更新」 that changed nothing.
 */

/** A person as a people import reads and writes them. */
export interface ImportedPerson {
  name: string;
  kana: string;
  email: string;
  staffNumber: string | null;
  jobTitle: string | null;
  unitId: number | null;
  affiliation: string;
  /** The roles held afterwards; null: the file gives none, and a registered person keeps theirs. */
  roles: readonly string[] | null;
}

/** The fields a people import may change, named as the person form names them (`field.*`). */
export const IMPORTED_FIELDS = ['name', 'kana', 'email', 'staffNumber', 'jobTitle', 'unit', 'affiliation', 'roles'] as const;
export type ImportedField = (typeof IMPORTED_FIELDS)[number];

/** A row as read from the file: a column the file does not have is left out (undefined). */
export interface ImportRowValues {
  name: string;
  kana: string;
  email: string;
  staffNumber?: string | null;
  jobTitle?: string | null;
  unitId?: number | null;
  affiliation: string;
  roles: readonly string[] | null;
}

/**
 * The person a row leaves: the file's values, and where the file has no such column, what is
 * registered (a new person: none). Roles without any in the file: a registered person keeps theirs,
 * a new one is 職員.
 */
export function importedPerson(row: ImportRowValues, registered: ImportedPerson | null): ImportedPerson {
  const kept = <T>(v: T | undefined, now: T | null | undefined): T | null => (v === undefined ? (now ?? null) : v);
  return {
    name: row.name,
    kana: row.kana,
    email: row.email,
    staffNumber: kept(row.staffNumber, registered?.staffNumber),
    jobTitle: kept(row.jobTitle, registered?.jobTitle),
    unitId: kept(row.unitId, registered?.unitId),
    affiliation: row.affiliation,
    roles: row.roles ? [...new Set(row.roles)].sort() : registered ? null : ['staff'],
  };
}

const sameRoles = (a: readonly string[], b: readonly string[]) => {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((r, i) => r === y[i]);
};

/**
 * Which fields of a registered person the import changes, in the form's order. Text is compared as
 * written (a changed letter case of an email is a change: the address shown and mailed changes);
 * roles as a set, and not at all when the file gives none.
 */
export function importChanges(registered: ImportedPerson, after: ImportedPerson): ImportedField[] {
  const changed: Record<ImportedField, boolean> = {
    name: registered.name !== after.name,
    kana: registered.kana !== after.kana,
    email: registered.email !== after.email,
    staffNumber: registered.staffNumber !== after.staffNumber,
    jobTitle: registered.jobTitle !== after.jobTitle,
    unit: registered.unitId !== after.unitId,
    affiliation: registered.affiliation !== after.affiliation,
    roles: after.roles !== null && !sameRoles(registered.roles ?? [], after.roles),
  };
  return IMPORTED_FIELDS.filter((f) => changed[f]);
}
