import type { MessageKey } from './ja.js';
import { enCommon } from './en/common.js';
import { enErrors } from './en/errors.js';
import { enImports } from './en/imports.js';
import { enFields } from './en/fields.js';
import { enPeople } from './en/people.js';
import { enUnits } from './en/units.js';
import { enAccount } from './en/account.js';
import { enHome } from './en/home.js';
import { enAudit } from './en/audit.js';
import { enProgrammes } from './en/programmes.js';
import { enMail } from './en/mail.js';
import { enOfferings } from './en/offerings.js';
import { enApplications } from './en/applications.js';
import { enCompletion } from './en/completion.js';
import { enCoordinators } from './en/coordinators.js';
import { enPartners } from './en/partners.js';
import { enPlan } from './en/plan.js';
import { enReports } from './en/reports.js';
import { enSurveys } from './en/surveys.js';
import { enConsultations } from './en/consultations.js';
import { enProjects } from './en/projects.js';
import { enPersonalData } from './en/personal-data.js';
import { enAccessibility } from './en/accessibility.js';
import { enPaper } from './en/paper.js';
import { enSecondFactor } from './en/second-factor.js';
import { enSso } from './en/sso.js';
import { enCredential } from './en/credential.js';

/** English catalogue, one file per noun under en/, with exactly the keys of the Japanese one. */
export const en: Record<MessageKey, string> = {
  ...enCommon,
  ...enErrors,
  ...enImports,
  ...enFields,
  ...enPeople,
  ...enUnits,
  ...enAccount,
  ...enHome,
  ...enAudit,
  ...enProgrammes,
  ...enMail,
  ...enOfferings,
  ...enApplications,
  ...enCompletion,
  ...enCoordinators,
  ...enPartners,
  ...enPlan,
  ...enReports,
  ...enSurveys,
  ...enConsultations,
  ...enProjects,
  ...enPersonalData,
  ...enAccessibility,
  ...enPaper,
  ...enSecondFactor,
  ...enSso,
  ...enCredential,
};
