import type { jaTrust } from './ja-trust.js';

/** English messages for trust (spread into en.ts): the same keys as ja-trust.ts. */
export const enTrust: Record<keyof typeof jaTrust, string> = {
  'plan.newPlan': 'Add an implementation plan',
  'plan.addPlan': 'Add the plan',
  'field.firstFiscalYear': 'First fiscal year of the plan',
  'field.lastFiscalYear': 'Last fiscal year of the plan',
  'plan.yearHint': 'e.g. 平成23年度, 令和8年度, 2026',
  'error.planPeriodOrder': '{field} must be the same as or later than the first fiscal year.',
  'error.planPeriodLength': 'A plan period may cover at most {max} fiscal years.',
  'report.nominationsCsvSjis': 'Units to approach (CSV, Shift_JIS)',
  'error.confirmRequired': 'Tick {field} to confirm the deletion.',
  'error.measureRepeatedElsewhere': 'This measure is also listed (【再掲】) under other items. Unlist it there first, in the measure editor.',
  'error.itemHasMeasures': 'This item has {count} measure(s). Delete them first.',
  'plan.editMeasure': 'Edit measure',
  'plan.moveUp': 'Move up',
  'plan.moveDown': 'Move down',
  'plan.order': 'Order',
  'plan.removeMeasure': 'Take the measure off this item',
  'plan.removeHome': 'This deletes the measure with its schedule grid and yearly results.',
  'plan.removeRepeated': 'This unlists the measure here (【再掲】). The measure and its other listings stay.',
  'plan.confirmRemove': 'I confirm the deletion',
  'plan.deleteItem': 'Delete item',
  'plan.deleteItemHint': 'Deletes the item and its yearly results. Delete its measures first.',
  'plan.editPlan': 'Edit plan',
  'plan.removed': 'Deleted.',
};
