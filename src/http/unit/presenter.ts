import type { z } from 'zod';
import type { Translate } from '../../i18n/index.js';
import type { UnitNode } from '../../services/unit.service.js';
import type { unitOut } from './schema.js';

/** A unit as the API answers. */
export const toUnitJson = (u: UnitNode): z.output<typeof unitOut> => ({
  id: u.id,
  kind: u.kind,
  parentId: u.parent_id,
  name: u.name,
  kana: u.kana,
  code: u.code,
  active: u.active,
  peopleCount: u.people_count,
});

/** The units list's CSV/xlsx columns; `parents` names each parent unit by id. */
export const unitExportColumns = (t: Translate, parents: Map<number, string>) => [
  { header: '種別', value: (u: UnitNode) => t(`unitKind.${u.kind}`) },
  { header: '組織名', value: (u: UnitNode) => u.name },
  { header: 'フリガナ', value: (u: UnitNode) => u.kana },
  { header: '上位組織', value: (u: UnitNode) => (u.parent_id ? (parents.get(u.parent_id) ?? '') : '') },
  { header: '団体コード', value: (u: UnitNode) => u.code },
  { header: t('units.people'), value: (u: UnitNode) => u.people_count },
  { header: t('field.active'), value: (u: UnitNode) => t(u.active ? 'common.active' : 'common.inactive') },
];
