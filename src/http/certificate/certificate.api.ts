import { z } from 'zod';
import { mayViewCertificate } from '../../domain/policies/certificate.js';
import { certificatesForPerson, revokeCertificate, verifyCertificate } from '../../services/completion.service.js';
import { ServiceError } from '../../services/context.js';
import { apiError } from '../api-errors.js';
import type { ApiOp } from '../api.js';
import { clientIp } from '../client-ip.js';
import { certificateJson } from './presenter.js';
import { certificateList, revokeBody, verifiedCertificate } from './schema.js';
import { certificateCredential } from '../../services/credential.service.js';
import { credentialJson } from '../credential/presenter.js';
import { certificateNumberParams, credentialItem } from '../credential/schema.js';

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
  op(
    { method: 'GET', path: '/api/v1/certificates/:number/credential', summary: 'The certificate as an Open Badges 3.0 credential, signed as a VC-JWT (its holder, or an admin)', access: 'user', params: certificateNumberParams, response: credentialItem },
    async (c, { params }) => c.json(credentialJson(await certificateCredential(c.get('ctx'), c.get('user'), params.number))),
  );
  op(
    {
      method: 'POST',
      path: '/api/v1/certificates/:number/revoke',
      summary: 'Revoke a certificate by its number (KYODO-<fy>-<seq>), with the reason; verification then reads it as revoked',
      access: ['admin'],
      params: z.object({ number: z.string().max(40).describe('the certificate number, e.g. KYODO-2026-0001') }),
      body: revokeBody,
      response: z.object({ number: z.string(), revoked: z.literal(true) }),
    },
    async (c, { params, body }) => {
      await revokeCertificate(c.get('ctx'), c.get('user'), params.number, body);
      return c.json({ number: params.number, revoked: true as const });
    },
  );
}
