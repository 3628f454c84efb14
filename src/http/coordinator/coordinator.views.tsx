import { formatWareki } from '../../domain/calendar.js';
import type { CoordinatorStatus } from '../../domain/completion.js';
import { COORDINATOR_STATUSES } from '../../domain/policies/coordinator.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { CoordinatorEntry } from '../../services/coordinator.service.js';
import { CheckboxGroup, CsrfField, ErrorSummary, SelectField, TextArea, TextField } from '../views/components.js';

type Option = { id: number; name: string };

/** The directory of coordinators (協働コーディネーター名簿): search, area and (admins) status filters, and a card each. */
export function DirectoryView(p: { t: Translate; lang: 'ja' | 'en'; entries: CoordinatorEntry[]; units: Option[]; q?: string; areaId?: number; status?: CoordinatorStatus; admin: boolean }) {
  const { t, lang } = p;
  return (
    <>
      <form method="get" action="/coordinators" class="filters" role="search">
        <TextField t={t} plain name="q" type="search" label={t('coordinators.search')} value={p.q} />
        <SelectField t={t} plain name="area" label={t('coordinators.area')} value={p.areaId} blank="—" options={p.units.map((u) => ({ value: u.id, label: u.name }))} />
        {p.admin ? <SelectField t={t} plain name="status" label={t('common.status')} value={p.status} blank="—" options={COORDINATOR_STATUSES.map((s) => ({ value: s, label: t(`coordinators.status.${s}`) }))} /> : null}
        <button type="submit" class="button">{t('common.search')}</button>
      </form>
      {p.entries.length ? (
        <ul class="card-list">
          {p.entries.map((e) => (
            <li class="card coordinator">
              <h2>{e.name}</h2>
              <p class="kana">{e.kana}</p>
              <p>{e.unitName ?? ''}</p>
              <dl class="meta">
                <dt>{t('coordinators.field')}</dt>
                <dd>{e.fields.join('、') || '—'}</dd>
                <dt>{t('coordinators.area')}</dt>
                <dd>{e.areas.map((a) => a.name).join('、') || '—'}</dd>
                <dt>{t('coordinators.availability')}</dt>
                <dd>{e.availability || '—'}</dd>
                <dt>{t('coordinators.validUntil')}</dt>
                <dd>
                  {e.validUntil ? formatWareki(e.validUntil, lang) : '—'}（{t(`coordinators.status.${e.status}`)}）
                </dd>
              </dl>
              {e.introduction ? <p>{e.introduction}</p> : null}
              <p>
                <a href={`mailto:${e.email}`}>{e.email}</a>
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('coordinators.none')}</p>
      )}
    </>
  );
}

export interface ProfileValues {
  fields: string;
  areas: string[];
  availability: string;
  introduction: string;
}

/** The coordinator's own profile in the directory: fields, areas, availability, introduction. */
export function ProfileView({ t, csrf, v, units, errors }: { t: Translate; csrf: string; v: ProfileValues; units: Option[]; errors: FieldErrors | null }) {
  return (
    <>
      <ErrorSummary t={t} errors={errors} />
      <p class="actions"><a class="button button--secondary" href="/my/coordinator-credential" type="application/vc+jwt" download>{t('credential.coordinatorDownload')}</a></p>
      <p class="small block-gap">{t('credential.hint')}</p>
      <form method="post" action="/my/coordinator-profile" novalidate>
        <CsrfField token={csrf} />
        <TextField t={t} name="fields" label={t('field.fields')} hint={t('coordinators.fieldsHint')} value={v.fields} errors={errors} />
        <CheckboxGroup t={t} name="areas" label={t('field.areas')} values={v.areas} errors={errors} options={units.map((u) => ({ value: String(u.id), label: u.name }))} />
        <TextField t={t} name="availability" label={t('field.availability')} value={v.availability} errors={errors} maxlength={500} />
        <TextArea t={t} name="introduction" label={t('field.introduction')} value={v.introduction} errors={errors} maxlength={2000} />
        <button type="submit" class="button">{t('coordinators.profileSave')}</button>
      </form>
    </>
  );
}
