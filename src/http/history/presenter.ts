import { formatFiscalYear } from '../../domain/calendar.js';
import type { Translate } from '../../i18n/index.js';
import type { ExportColumn } from '../../lib/table-export.js';
import type { HistoryRow } from '../../services/history.service.js';

/** 研修履歴 as export rows (CSV/xlsx): one row a training, imported records marked. */
export const historyColumns = (t: Translate): ExportColumn<HistoryRow>[] => [
  { header: t('field.fiscalYear'), value: (r) => formatFiscalYear(r.fiscalYear, 'ja') },
  { header: t('field.name'), value: (r) => r.name },
  { header: t('field.kana'), value: (r) => r.kana },
  { header: t('field.unit'), value: (r) => r.unitName },
  { header: t('field.programme'), value: (r) => r.programme },
  { header: t('field.title'), value: (r) => r.title },
  { header: t('field.completed'), value: (r) => (r.completed ? t('completion.completed') : t('completion.notCompleted')) },
  { header: t('certificate.number'), value: (r) => r.certificateNumber },
  { header: t('field.note'), value: (r) => (r.imported ? t('history.imported') : '') },
];

/** The status of one training in the history: completed, not completed (imported), or the application's. */
export const historyStatus = (t: Translate, r: HistoryRow) => (r.completed ? t('completion.completed') : r.imported ? t('completion.notCompleted') : t(`status.${r.status as 'confirmed'}`));
