import { jaCommon } from './ja/common.js';
import { jaErrors } from './ja/errors.js';
import { jaImports } from './ja/imports.js';
import { jaFields } from './ja/fields.js';
import { jaPeople } from './ja/people.js';
import { jaUnits } from './ja/units.js';
import { jaAccount } from './ja/account.js';
import { jaHome } from './ja/home.js';
import { jaAudit } from './ja/audit.js';
import { jaProgrammes } from './ja/programmes.js';
import { jaMail } from './ja/mail.js';
import { jaOfferings } from './ja/offerings.js';
import { jaApplications } from './ja/applications.js';
import { jaCompletion } from './ja/completion.js';
import { jaCoordinators } from './ja/coordinators.js';
import { jaPartners } from './ja/partners.js';
import { jaPlan } from './ja/plan.js';
import { jaReports } from './ja/reports.js';
import { jaSurveys } from './ja/surveys.js';
import { jaConsultations } from './ja/consultations.js';
import { jaProjects } from './ja/projects.js';
import { jaPersonalData } from './ja/personal-data.js';
import { jaAccessibility } from './ja/accessibility.js';
import { jaPaper } from './ja/paper.js';
import { jaSecondFactor } from './ja/second-factor.js';
import { jaSso } from './ja/sso.js';
import { jaCredential } from './ja/credential.js';

/**
 * Japanese catalogue (公用文), one file per noun under ja/. The source of truth for message keys: the
 * English catalogue must have the same keys (the type says so). A key starts with its noun.
 */
export const ja = {
  ...jaCommon,
  ...jaErrors,
  ...jaImports,
  ...jaFields,
  ...jaPeople,
  ...jaUnits,
  ...jaAccount,
  ...jaHome,
  ...jaAudit,
  ...jaProgrammes,
  ...jaMail,
  ...jaOfferings,
  ...jaApplications,
  ...jaCompletion,
  ...jaCoordinators,
  ...jaPartners,
  ...jaPlan,
  ...jaReports,
  ...jaSurveys,
  ...jaConsultations,
  ...jaProjects,
  ...jaPersonalData,
  ...jaAccessibility,
  ...jaPaper,
  ...jaSecondFactor,
  ...jaSso,
  ...jaCredential,
} as const;

export type MessageKey = keyof typeof ja;
