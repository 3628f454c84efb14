import type { Partner } from '../../db/schema.js';
import type { Translate } from '../../i18n/index.js';
import type { ExportColumn } from '../../lib/table-export.js';
import type { getPartner, hostRoster } from '../../services/partner.service.js';

type PartnerDetail = NonNullable<Awaited<ReturnType<typeof getPartner>>>;
type RosterRow = Awaited<ReturnType<typeof hostRoster>>['participants'][number];

/** A partner organisation in the API. */
export const partnerJson = (p: Partner) => ({ id: p.id, name: p.name, kana: p.kana, type: p.type, fields: p.fields, areaUnitIds: p.area_unit_ids, description: p.description });

/** One partner with its sites, offers and hosted field sessions, in the API. */
export const partnerDetailJson = (d: PartnerDetail) => ({
  id: d.partner.id,
  name: d.partner.name,
  type: d.partner.type,
  sites: d.sites.map((s) => ({ id: s.id, name: s.name, address: s.address, capacity: s.capacity, whatToSee: s.what_to_see, accessibility: s.accessibility })),
  offers: d.offers.map((o) => ({ id: o.id, theme: o.theme, status: o.status, siteId: o.site_id, capacity: o.capacity, candidateStarts: o.candidate_starts, sessionId: o.session_id })),
  fieldSessions: d.hosted.map((s) => ({ id: s.id, offeringId: s.offering_id, title: s.title, startsAt: s.starts_at, endsAt: s.ends_at, confirmed: Number(s.confirmed_count ?? 0) })),
});

/** The partner directory as a CSV/xlsx download (the headings are those the import reads). */
export const partnerExportColumns = (t: Translate, areaName: Map<number, string>): ExportColumn<Partner>[] => [
  { header: '団体名', value: (p) => p.name },
  { header: 'フリガナ', value: (p) => p.kana },
  { header: '種別', value: (p) => t(`partnerType.${p.type}`) },
  { header: '分野', value: (p) => p.fields.join('、') },
  { header: '活動地域', value: (p) => p.area_unit_ids.map((id) => areaName.get(id) ?? '').join('、') },
  { header: '担当者', value: (p) => p.contact_name },
  { header: 'メールアドレス', value: (p) => p.contact_email },
  { header: '電話番号', value: (p) => p.contact_phone },
  { header: '説明', value: (p) => p.description },
];

/** A host's roster download: name and unit only. */
export const rosterExportColumns = (t: Translate): ExportColumn<RosterRow>[] => [
  { header: t('field.name'), value: (p) => p.name },
  { header: t('field.unit'), value: (p) => p.unit },
];
