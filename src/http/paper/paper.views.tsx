import { formatFiscalYear } from '../../domain/calendar.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { OfferingPaper } from '../../services/paper.service.js';
import type { FieldErrors } from '../../lib/validation.js';
import { CheckboxGroup, CsrfField, DataTable, ErrorSummary } from '../views/components.js';
import type { NoticeSheet, TableSheet } from './presenter.js';

/** The print pages of the office's paper (A4 by print CSS under `/* paper *\/` in app.css), and the offering's paper menu. */

/** How many notices a set has, and how many of them are not issued yet. */
export interface NoticeCount {
  count: number;
  unissued: number;
}
const countText = (t: Translate, n: NoticeCount) => (n.unissued ? t('paper.countUnissued', { count: n.count, unissued: n.unissued }) : t('paper.count', { count: n.count }));

/** The offering's paper: each document as a print page and as PDF, with the sign-in sheets per session. */
export function PaperMenu({ t, paper, person, unit }: { t: Translate; paper: OfferingPaper; person: NoticeCount; unit: NoticeCount }) {
  const id = paper.offering.id;
  const base = `/admin/offerings/${id}`;
  const row = (label: string, href: string, note: string | null = null) => (
    <li>
      {label}
      {note ? `（${note}）` : ''}：<a href={href}>{t('paper.print')}</a> ・ <a href={`${href}.pdf`} type="application/pdf">{t('paper.pdfOf', { what: label })}</a>
    </li>
  );
  return (
    <>
      <p>{t('paper.lead')}</p>
      <ul class="paper-menu">
        {row(t('paper.roster'), `${base}/roster`)}
        {row(t('paper.noticesPerson'), `${base}/notices`, countText(t, person))}
        {row(t('paper.noticesUnit'), `${base}/unit-notices`, countText(t, unit))}
        <li>
          {t('paper.certificates')}：<a href={`${base}/certificates`}>{t('paper.print')}</a>
        </li>
        {paper.sessions.map((s) => (
          <li>
            {t('paper.signInSheet')}（{s.title}）：<a href={`/admin/sessions/${s.id}/sign-in-sheet`}>{t('paper.print')}</a>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The 受講者名簿 to print: the offering's facts, then the table in フリガナ order. */
export function RosterPrint({ t, lang, paper, sheet, pdfHref }: { t: Translate; lang: Lang; paper: OfferingPaper; sheet: TableSheet; pdfHref: string }) {
  return (
    <section class="paper paper--roster">
      <p class="no-print">
        {t('paper.printHint')} <a href={pdfHref} type="application/pdf">{t('paper.pdfOf', { what: t('paper.roster') })}</a>
      </p>
      <p>
        {paper.programme.name} ／ {formatFiscalYear(paper.offering.fiscal_year, lang)}
      </p>
      <p class="small">{t('paper.rosterNote')}</p>
      <DataTable
        t={t}
        caption={sheet.caption}
        class="paper-table"
        rows={sheet.rows}
        columns={sheet.columns.map((label, i) => ({ key: String(i), label, numeric: i === 0, rowHeader: i === 2, cell: (r: string[]) => r[i] }))}
      />
    </section>
  );
}

/** The office's way to issue a set of notices: how many are not issued yet, and a confirmed POST. */
export interface IssueForm {
  action: string;
  csrf: string;
  unissued: number;
  /** Today's date as it will be printed. */
  today: string;
  errors: FieldErrors | null;
  /** What the last issue did (after its redirect), said above the sheets and never printed. */
  done: string | null;
}

/**
 * Above the sheets, not printed: notices not issued yet show blanks for their number and date, and
 * the office issues them here, on purpose, after ticking the confirmation (viewing numbers nothing).
 */
function IssueNotices({ t, issue, notices }: { t: Translate; issue: IssueForm; notices: number }) {
  const done = issue.done ? (
    <p class="notice no-print" role="status">
      {issue.done}
    </p>
  ) : null;
  if (!notices) return done;
  if (!issue.unissued)
    return (
      <>
        {done}
        <p class="no-print">{t('paper.allIssued')}</p>
      </>
    );
  return (
    <section class="no-print" aria-labelledby="issue-heading">
      {done}
      <h2 id="issue-heading">{t('paper.issueHeading')}</h2>
      <p class="notice" role="status">
        {t('paper.unissuedLead', { count: issue.unissued })}
      </p>
      <ErrorSummary t={t} errors={issue.errors} />
      <form method="post" action={issue.action} novalidate>
        <CsrfField token={issue.csrf} />
        <input type="hidden" name="count" value={String(issue.unissued)} />
        <CheckboxGroup t={t} name="confirm" label={t('field.confirm')} values={[]} errors={issue.errors} options={[{ value: 'on', label: t('paper.issueConfirmLabel', { count: issue.unissued, date: issue.today }) }]} />
        <button type="submit" class="button">
          {t('paper.issueSubmit', { count: issue.unissued })}
        </button>
      </form>
    </section>
  );
}

/** Notices to print, each on its own A4 sheet; for the office, the issue of those not issued yet. */
export function NoticesPrint({ t, notices, pdfHref, pdfLabel, issue = null }: { t: Translate; notices: readonly NoticeSheet[]; pdfHref: string; pdfLabel: string; issue?: IssueForm | null }) {
  return (
    <>
      {issue ? <IssueNotices t={t} issue={issue} notices={notices.length} /> : notices.some((n) => !n.issued) ? <p class="no-print">{t('paper.ownUnissued')}</p> : null}
      <p class="no-print">
        {t('paper.printHint')} <a href={pdfHref} type="application/pdf">{pdfLabel}</a>
      </p>
      {notices.length ? notices.map((n) => <NoticePrint t={t} n={n} />) : <p>{t('paper.emptyNotices')}</p>}
    </>
  );
}

function NoticePrint({ t, n }: { t: Translate; n: NoticeSheet }) {
  return (
    <article class={n.issued ? 'paper-sheet' : 'paper-sheet paper-sheet--unissued'}>
      <p class="paper-sheet__right">
        <span class="paper-sheet__number">{n.number}</span>
        <br />
        {n.date}
      </p>
      <p class="paper-sheet__addressee">{n.addressee}</p>
      <p class="paper-sheet__right">
        {n.senderName}
        <br />
        {n.senderOffice}
      </p>
      <h2 class="paper-sheet__subject">{n.subject}</h2>
      <p class="paper-sheet__lead">{n.lead}</p>
      <p class="paper-sheet__center">{t('paper.record')}</p>
      <dl class="paper-sheet__items">
        {n.items.map((item, i) => (
          <>
            <dt>
              {i + 1}　{item.label}
            </dt>
            <dd>
              {item.lines.map((line) => (
                <span class="paper-sheet__line">{line}</span>
              ))}
            </dd>
          </>
        ))}
      </dl>
      {n.participants ? (
        <DataTable
          t={t}
          caption={n.participants.caption}
          class="paper-table"
          rows={n.participants.rows}
          columns={n.participants.columns.map((label, i, all) => ({ key: String(i), label, numeric: i === 0, rowHeader: i === 2, cell: (r: string[]) => (i === all.length - 1 ? <span class="code-text">{r[i]}</span> : r[i]) }))}
        />
      ) : null}
      <p class="paper-sheet__right">{t('paper.end')}</p>
      <p class="paper-sheet__contact">{n.contact}</p>
    </article>
  );
}
