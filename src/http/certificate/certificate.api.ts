import { z } from 'zod';
import { mayViewCertificate } from '../../domain/policies/certificate.js';
import { certificatesForPerson, verifyCertificate } from '../../services/completion.service.js';
import { ServiceError } from '../../services/context.js';
import { apiError } from '../api-errors.js';
import type { ApiOp } from '../api.js';
import { clientIp } from '../client-ip.js';
import { certificateJson } from './presenter.js';
import { certificateList, verifiedCertificate } from './schema.js';

/** A person's certificates, and the public verification by code. */
export function registerCertificateApi(op: ApiOp) {
  op(
    { method: 'GET', path: '/api/v1/people/:id/certificates', summary: "A person's certificates (their own, or anyone's for an admin)", access: 'user', response: certificateList },
    async (c, { params }) => {
      // Someone else's list does not exist for the reader (404), as on the pages.
      if (!mayViewCertificate(c.get('user'), { person_id: params.id })) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
      const rows = await certificatesForPerson(c.get('ctx'), params.id);
      const base = c.get('ctx').config.baseUrl;
      return c.json({ items: rows.map((r) => certificateJson(r, base)) });
    },
  );
  op(
    { method: 'GET', path: '/api/v1/certificates/:code', summary: 'Verify a certificate by its verification code (public: number, name, programme, date, validity only; misses are limited per address)', access: 'public', params: z.object({ code: z.string().describe('the verification code, as printed (case, spaces and full-width forms are ignored)') }), response: verifiedCertificate },
    async (c, { params }) => {
      try {
        const v = await verifyCertificate(c.get('ctx'), params.code.slice(0, 60), { ip: clientIp(c) });
        if (!v) return apiError(c, 404, 'not_found', c.get('t')('verify.notFound'));
        return c.json(v);
      } catch (e) {
        if (e instanceof ServiceError && e.status === 429) return apiError(c, 429, 'throttled', c.get('t')(e.messageKey, e.params));
        throw e;
      }
    },
  );
}
