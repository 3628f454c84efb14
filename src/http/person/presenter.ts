import type { z } from 'zod';
import type { PersonListRow } from '../../db/repositories/person.repository.js';
import type { Translate } from '../../i18n/index.js';
import type { personOut } from './schema.js';

/** A person as the API answers. */
export const toPersonJson = (p: PersonListRow): z.output<typeof personOut> => ({
  id: p.id,
  name: p.name,
  kana: p.kana,
  email: p.email,
  staffNumber: p.staff_number,
  jobTitle: p.title,
  unitId: p.unit_id,
  unitName: p.unit_name,
  affiliation: p.affiliation,
  roles: p.roles,
  active: p.active,
});

/**
 * The people list's CSV/xlsx columns. 所属 is written as the people import reads it back as that very
 * unit: `unitRefs` from `unitReferences(ctx)` (import.service), its path 「総務部／総務課」 (or its code
 * where even the path is shared), so that two 総務課 in two 部局 stay apart.
 */
export const personExportColumns = (t: Translate, unitRefs: ReadonlyMap<number, string>) => [
  { header: t('field.name'), value: (p: PersonListRow) => p.name },
  { header: t('field.kana'), value: (p: PersonListRow) => p.kana },
  { header: t('field.email'), value: (p: PersonListRow) => p.email },
  { header: t('field.staffNumber'), value: (p: PersonListRow) => p.staff_number },
  { header: t('field.jobTitle'), value: (p: PersonListRow) => p.title },
  { header: t('field.unit'), value: (p: PersonListRow) => (p.unit_id === null ? null : (unitRefs.get(p.unit_id) ?? p.unit_name)) },
  { header: t('field.affiliation'), value: (p: PersonListRow) => t(`affiliation.${p.affiliation}`) },
  { header: t('field.roles'), value: (p: PersonListRow) => p.roles.map((r) => t(`role.${r}`)).join('、') },
  { header: t('field.active'), value: (p: PersonListRow) => t(p.active ? 'common.active' : 'common.inactive') },
];
