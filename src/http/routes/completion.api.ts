import { z } from 'zod';
import { toId } from '../forms.js';
import { ATTENDANCE_STATUSES } from '../../domain/completion.js';
import { formatCode } from '../../domain/certificate-code.js';
import { clientIp } from '../client-ip.js';
import { certificatesForPerson, completionRuleSchema, markAttendance, updateCompletionRule, verifyCertificate } from '../../services/completion.service.js';
import { ServiceError } from '../../services/context.js';
import { coordinatorDirectory } from '../../services/coordinator.service.js';
import { apiError } from '../api-errors.js';
import { type ApiOp, query } from '../api.js';

const certificateOut = z.object({
  number: z.string(),
  code: z.string().describe('the verification code, as printed'),
  name: z.string(),
  programme: z.string(),
  completedOn: z.string(),
  validUntil: z.string().nullable(),
  status: z.enum(['valid', 'expired', 'revoked']),
});

export function registerCompletionApi(op: ApiOp) {
  op(
    {
      method: 'PUT',
      path: '/api/v1/sessions/:id/attendance',
      summary: 'Mark attendance for a session in bulk',
      access: ['admin'],
      body: z.array(z.object({ personId: z.number().int(), status: z.enum(ATTENDANCE_STATUSES) })),
      response: z.object({ changed: z.number().int() }),
    },
    async (c) => {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return apiError(c, 400, 'bad_request', c.get('t')('error.badRequest'));
      }
      if (!Array.isArray(body)) return apiError(c, 400, 'bad_request', c.get('t')('error.badRequest'));
      const r = await markAttendance(c.get('ctx'), c.get('user'), toId(c.req.param('id')), body, 'api');
      return c.json(r);
    },
  );
  op(
    {
      method: 'PUT',
      path: '/api/v1/offerings/:id/completion-rule',
      summary:
        "Change an offering's completion rule and recompute everyone confirmed. A change that would withdraw completions or revoke certificates is refused with 409 confirmation_required and the counts (certificatesRevoked, completionsLost), unless confirm is true.",
      access: ['admin'],
      body: completionRuleSchema.extend({ confirm: z.boolean().optional() }).strict(),
      response: z.object({ rule: completionRuleSchema, certificatesRevoked: z.number().int(), completionsLost: z.number().int() }),
    },
    async (c) => {
      const t = c.get('t');
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return apiError(c, 400, 'bad_request', t('error.badRequest'));
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) return apiError(c, 400, 'bad_request', t('error.badRequest'));
      const { confirm, ...rule } = body as Record<string, unknown>;
      try {
        return c.json(await updateCompletionRule(c.get('ctx'), c.get('user'), toId(c.req.param('id')), { rule, confirm: confirm === true }));
      } catch (e) {
        if (e instanceof ServiceError && e.code === 'confirmation_required') {
          const certificatesRevoked = Number(e.params.certificates);
          const completionsLost = Number(e.params.completions);
          return c.json({ error: { code: e.code, message: t(e.messageKey, e.params), fields: {}, certificatesRevoked, completionsLost } }, 409);
        }
        throw e;
      }
    },
  );
  op(
    { method: 'GET', path: '/api/v1/people/:id/certificates', summary: "A person's certificates (their own, or anyone's for an admin)", access: 'user', response: z.object({ items: z.array(z.object({ number: z.string(), title: z.string(), completedOn: z.string(), validUntil: z.string().nullable(), revoked: z.boolean(), verificationUrl: z.string().describe('the public page that verifies it (by its verification code)') })) }) },
    async (c) => {
      const id = toId(c.req.param('id'));
      const u = c.get('user')!;
      if (u.id !== id && !u.roles.includes('admin')) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
      const rows = await certificatesForPerson(c.get('ctx'), id);
      const base = c.get('ctx').config.baseUrl;
      return c.json({
        items: rows.map((r) => ({
          number: r.number,
          title: r.title,
          programme: r.programme_name,
          completedOn: r.completed_on,
          validUntil: r.valid_until,
          revoked: !!r.revoked_at,
          verificationUrl: `${base}/verify/${formatCode(r.verification_code)}`,
        })),
      });
    },
  );
  op(
    { method: 'GET', path: '/api/v1/certificates/:code', summary: 'Verify a certificate by its verification code (public: number, name, programme, date, validity only; misses are limited per address)', access: 'public', response: certificateOut },
    async (c) => {
      try {
        const v = await verifyCertificate(c.get('ctx'), (c.req.param('code') ?? '').slice(0, 60), { ip: clientIp(c) });
        if (!v) return apiError(c, 404, 'not_found', c.get('t')('verify.notFound'));
        return c.json(v);
      } catch (e) {
        if (e instanceof ServiceError && e.status === 429) return apiError(c, 429, 'throttled', c.get('t')(e.messageKey, e.params));
        throw e;
      }
    },
  );
  op({ method: 'GET', path: '/api/v1/coordinators', summary: 'The coordinator directory (staff only)', access: ['staff', 'approver', 'coordinator'], query: z.object({ q: query.text('search words'), area: query.id('municipality unit id') }) }, async (c) => {
    const admin = c.get('user')!.roles.includes('admin');
    const rows = await coordinatorDirectory(c.get('ctx'), {
      q: c.req.query('q')?.slice(0, 100),
      areaId: (toId(c.req.query('area')) || undefined),
      statuses: admin ? ['active', 'expiring', 'expired'] : ['active', 'expiring'],
    });
    return c.json({ items: rows.map(({ email, ...r }) => ({ ...r, email })) });
  });
}
