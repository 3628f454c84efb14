import { formatFiscalYear } from '../../domain/calendar.js';
import type { Translate } from '../../i18n/index.js';
import type { HistoryRow } from '../../services/history.service.js';
import { type Column, DataTable, Downloads } from '../views/components.js';
import { historyStatus } from './presenter.js';

function HistoryTable({ t, lang, rows, showPerson }: { t: Translate; lang: 'ja' | 'en'; rows: HistoryRow[]; showPerson: boolean }) {
  if (!rows.length) return <p>{t('history.none')}</p>;
  const columns: Column<HistoryRow>[] = [
    { key: 'fiscalYear', label: t('field.fiscalYear'), cell: (r) => formatFiscalYear(r.fiscalYear, lang, 'wareki') },
    ...(showPerson ? [{ key: 'name', label: t('field.name'), cell: (r: HistoryRow) => r.name }] : []),
    { key: 'programme', label: t('field.programme'), cell: (r) => r.programme ?? '' },
    {
      key: 'title',
      label: t('field.title'),
      cell: (r) => (
        <>
          {r.title}
          {r.imported ? <span class="small">{t('history.imported')}</span> : null}
        </>
      ),
    },
    { key: 'status', label: t('common.status'), cell: (r) => historyStatus(t, r) },
    { key: 'certificates', label: t('history.certificates'), cell: (r) => (r.certificateNumber ? <a href={`/certificates/${r.certificateNumber}`}>{r.certificateNumber}</a> : '') },
  ];
  return <DataTable t={t} caption={t('history.title')} columns={columns} rows={rows} />;
}

/** 研修履歴: one person's (or one unit's members') trainings over the years, with downloads. */
export function HistoryView({ t, lang, rows, base, showPerson }: { t: Translate; lang: 'ja' | 'en'; rows: HistoryRow[]; base: string; showPerson: boolean }) {
  return (
    <>
      <HistoryTable t={t} lang={lang} rows={rows} showPerson={showPerson} />
      <Downloads t={t} base={base} />
    </>
  );
}
