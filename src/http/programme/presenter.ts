import type { PROGRAMME_KINDS } from '../../domain/values.js';

/** A programme as the API gives it. */
export function programmeJson(p: { id: number; name: string; name_en: string; kind: (typeof PROGRAMME_KINDS)[number]; owning_unit_id: number | null; predecessor_id: number | null; first_fiscal_year: number | null; last_fiscal_year: number | null }) {
  return {
    id: p.id,
    name: p.name,
    nameEn: p.name_en,
    kind: p.kind,
    owningUnitId: p.owning_unit_id,
    predecessorId: p.predecessor_id,
    firstFiscalYear: p.first_fiscal_year,
    lastFiscalYear: p.last_fiscal_year,
  };
}
