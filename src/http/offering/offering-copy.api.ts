import { copyOffering } from '../../services/offering-copy.service.js';
import type { ApiOp } from '../api.js';
import { offeringCopyJson } from './presenter.js';
import { offeringCopyBody, offeringCopyOut } from './schema.js';

/** Copying an offering into another fiscal year (issue 16 §2.1). */
export function registerOfferingCopyApi(op: ApiOp) {
  op(
    {
      method: 'POST',
      path: '/api/v1/offerings/:id/copy',
      summary:
        'Copy an offering into another fiscal year: sessions on the same weekday in that year (a session that would fall on a weekend or a national holiday moves to the next working day), with its questions, seats per group, completion rule and survey settings (the pre/post self-assessments and other surveys of the whole offering, dated into the new year, unopened; those confirmed when a survey opens are invited then); the copy starts unpublished, with no applications and no field-training host',
      access: ['admin'],
      body: offeringCopyBody,
      status: 201,
      response: offeringCopyOut,
    },
    async (c, { body, params }) => {
      const r = await copyOffering(c.get('ctx'), c.get('user'), params.id, body);
      return c.json(offeringCopyJson(r), 201);
    },
  );
}
