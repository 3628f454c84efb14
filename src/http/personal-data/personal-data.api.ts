import { anonymisePerson, exportPersonalData } from '../../services/personal-data.service.js';
import type { ApiOp } from '../api.js';
import { anonymiseBody, anonymiseResult, personalDataExportSchema } from './schema.js';

/** The personal-data export of the current user, and anonymising a person who has left. */
export function registerPersonalDataApi(op: ApiOp) {
  op(
    {
      method: 'GET',
      path: '/api/v1/me/export',
      summary: 'Everything Kyodo holds about the current user (profile, applications, attendance, completions, certificates, history, named survey answers, consultations, tokens, sessions). Anonymous survey answers carry no identity and are not included.',
      access: 'user',
      response: personalDataExportSchema,
    },
    async (c) => c.json(await exportPersonalData(c.get('ctx'), c.get('user')!.id)),
  );

  op(
    {
      method: 'POST',
      path: '/api/v1/people/:id/anonymise',
      summary: 'Anonymise a person who has left: name, kana, email and staff number replaced, login disabled, sessions and tokens revoked; aggregate figures unchanged. Cannot be undone.',
      access: ['admin'],
      body: anonymiseBody,
      response: anonymiseResult,
    },
    async (c, { body, params }) => c.json(await anonymisePerson(c.get('ctx'), c.get('user')!, params.id, body)),
  );
}
