import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { listTemplates } from '../../services/survey.service.js';
import { TEMPLATE_PURPOSES } from '../../domain/values.js';
import type { FormBody } from '../forms.js';
import { CsrfField, DataTable, ErrorSummary, SelectField, TextArea, TextField } from '../views/components.js';

type TemplateRow = Awaited<ReturnType<typeof listTemplates>>[number];
const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');

/** A new template starts from these questions, in the text form. */
export const STARTER_QUESTIONS = 'scale5:satisfaction*: 満足度を教えてください。 | scale=満足/やや満足/どちらともいえない/やや不満/不満\nscale5:useful*: 内容は業務に役立ちますか。\ntext:comments: ご意見をお書きください。';

export function TemplateList({ t, rows }: { t: Translate; rows: TemplateRow[] }) {
  return (
    <>
      <p class="actions">
        <a class="button" href="/admin/survey-templates/new">
          {t('survey.newTemplate')}
        </a>
      </p>
      <DataTable
        t={t}
        caption={t('survey.templates')}
        rows={rows}
        columns={[
          {
            key: 'name',
            label: t('field.name'),
            cell: (x) => (
              <>
                <a href={`/admin/survey-templates/${x.id}`}>{x.name}</a>
                {x.builtin ? `（${t('survey.builtin')}）` : ''}
              </>
            ),
          },
          { key: 'purpose', label: t('survey.purpose'), cell: (x) => t(`surveyPurpose.${x.purpose}`) },
          { key: 'respondents', label: t('survey.respondents'), cell: (x) => t(x.anonymous ? 'survey.anonymous' : 'survey.named') },
          { key: 'questions', label: t('survey.questionCount'), numeric: true, cell: (x) => x.questions.length },
        ]}
      />
    </>
  );
}

/** A template's form: its questions in the text form (one per line). */
export function TemplateForm({ t, csrf, action, values, errors }: { t: Translate; csrf: string; action: string; values: FormBody; errors: FieldErrors | null }) {
  return (
    <>
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action={action} novalidate>
        <CsrfField token={csrf} />
        <TextField t={t} name="name" label={t('field.name')} value={str(values.name)} errors={errors} required maxlength={200} />
        <SelectField t={t} name="purpose" label={t('survey.purpose')} value={str(values.purpose)} errors={errors} required options={TEMPLATE_PURPOSES.map((p) => ({ value: p, label: t(`surveyPurpose.${p}`) }))} />
        <div class="field">
          <label>
            <input type="checkbox" name="anonymous" value="on" checked={values.anonymous === 'on'} /> {t('survey.anonymousLabel')}
          </label>
        </div>
        <TextArea t={t} name="questions" label={t('survey.questions')} hint={t('survey.questionsHint')} value={str(values.questions)} errors={errors} required rows={14} />
        <button type="submit" class="button">
          {t('common.save')}
        </button>
      </form>
    </>
  );
}
