import type { EvaluationCriterion } from '../../db/schema.js';

/** An evaluation criterion in the API. */
export const criterionJson = (x: EvaluationCriterion) => ({ id: x.id, code: x.code, label: x.label, labelEn: x.label_en, active: x.active });
