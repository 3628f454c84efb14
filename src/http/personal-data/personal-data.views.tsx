import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { XlsxSheet } from '../../lib/xlsx.js';
import { CheckboxGroup, CsrfField, DataTable, ErrorSummary, TextArea } from '../views/components.js';

/** The tables on the page: each with a caption, column headers and an empty-state line. */
export function PersonalDataView({ t, tables }: { t: Translate; tables: XlsxSheet[] }) {
  return (
    <>
      {tables.map((s, i) => (
        <section aria-labelledby={`mydata-${i}`}>
          <h2 id={`mydata-${i}`}>{s.name}</h2>
          {s.rows.length ? (
            <DataTable
              t={t}
              caption={s.name}
              captionHidden
              rows={s.rows}
              // The profile is a list of items: each row is headed by its item.
              columns={s.columns.map((col, j) => ({ key: col.key, label: col.header, rowHeader: j === 0 && i === 0, cell: (r: XlsxSheet['rows'][number]) => String(r[col.key] ?? '') }))}
            />
          ) : (
            <p>{t('mydata.none')}</p>
          )}
        </section>
      ))}
    </>
  );
}

/** My data: what Kyodo holds about me, to see and download (JSON, xlsx). */
export function MyDataView({ t, tables }: { t: Translate; tables: XlsxSheet[] }) {
  return (
    <>
      <p>{t('mydata.lead')}</p>
      <p class="actions">
        <a class="button" href="/account/data.json" download>
          {t('mydata.downloadJson')}
        </a>{' '}
        <a class="button button--secondary" href="/account/data.xlsx" download>
          {t('mydata.downloadXlsx')}
        </a>
      </p>
      <div class="notice" role="note">
        <p>{t('mydata.anonymousNote')}</p>
        <p>{t('mydata.retention')}</p>
      </div>
      <PersonalDataView t={t} tables={tables} />
    </>
  );
}

/** Anonymising a person who has left (decision 0014): what it does, then a reason and a confirmation. */
export function AnonymiseView(p: {
  t: Translate;
  csrf: string;
  person: { id: number; name: string; email: string };
  anonymised: boolean;
  values: Record<string, unknown>;
  errors: FieldErrors | null;
}) {
  const { t, person, values, errors } = p;
  return (
    <>
      <p>{t('anonymise.lead')}</p>
      <p>
        <strong>{t('anonymise.person', { name: person.name, email: person.email })}</strong>
      </p>
      {p.anonymised ? (
        <p>{t('anonymise.status')}</p>
      ) : (
        <>
          <h2>{t('anonymise.whatTitle')}</h2>
          <ul>
            <li>{t('anonymise.what1')}</li>
            <li>{t('anonymise.what2')}</li>
            <li>{t('anonymise.what3')}</li>
          </ul>
          <p>{t('anonymise.keep')}</p>
          <p>{t('anonymise.auditNote')}</p>
          <ErrorSummary t={t} errors={errors} />
          <form method="post" action={`/admin/people/${person.id}/anonymise`} novalidate>
            <CsrfField token={p.csrf} />
            <TextArea t={t} name="reason" label={t('field.reason')} value={String(values.reason ?? '')} errors={errors} required maxlength={500} rows={3} />
            <CheckboxGroup t={t} name="confirm" label={t('field.confirm')} values={values.confirm ? ['on'] : []} errors={errors} options={[{ value: 'on', label: t('anonymise.confirmLabel') }]} />
            <button type="submit" class="button button--danger">
              {t('anonymise.submit')}
            </button>
          </form>
        </>
      )}
    </>
  );
}
