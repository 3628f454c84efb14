import { VC_JWT_MEDIA_TYPE } from '../../domain/credential.js';
import { achievementDocument, certificateCredential, coordinatorCredential, issuerDocument, revocationStatusList } from '../../services/credential.service.js';
import { publishedKey, publishedKeySet } from '../../services/issuer-key.service.js';
import type { Router } from '../router.js';
import { credentialFile } from './presenter.js';

/** Public documents may be cached a while; the status list only briefly, so that a revocation shows soon. */
const PUBLIC_CACHE = { 'Cache-Control': 'public, max-age=3600', 'Access-Control-Allow-Origin': '*' };
const STATUS_CACHE = { 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' };

/**
 * Verifiable certificates (decision 0026): the public, stable documents a verifier fetches (issuer
 * profile, keys, revocation status list, achievements), and the holder's downloads of their credentials.
 */
export function registerCredentialPages(r: Router) {
  r.get('/credentials/issuer', 'public', (c) => c.json(issuerDocument(c.get('ctx')), 200, PUBLIC_CACHE));
  r.get('/credentials/keys', 'public', async (c) => c.json(await publishedKeySet(c.get('ctx')), 200, PUBLIC_CACHE));
  r.get('/credentials/keys/:kid', 'public', async (c) => {
    const jwk = await publishedKey(c.get('ctx'), (c.req.param('kid') ?? '').slice(0, 64));
    return jwk ? c.json(jwk, 200, PUBLIC_CACHE) : c.json({ error: 'not_found' }, 404);
  });
  r.get('/credentials/status/revocation', 'public', async (c) => {
    const { jwt } = await revocationStatusList(c.get('ctx'));
    return c.body(jwt, 200, { ...STATUS_CACHE, 'Content-Type': VC_JWT_MEDIA_TYPE });
  });
  r.get('/credentials/achievements/:key', 'public', async (c) => {
    const doc = await achievementDocument(c.get('ctx'), (c.req.param('key') ?? '').slice(0, 40));
    return doc ? c.json(doc, 200, PUBLIC_CACHE) : c.json({ error: 'not_found' }, 404);
  });

  // --- Downloads: the holder's (and the training office's) ------------------------------------------
  r.get('/certificates/:number/credential', 'user', async (c) => {
    const f = credentialFile(await certificateCredential(c.get('ctx'), c.get('user')!, (c.req.param('number') ?? '').slice(0, 40)));
    return c.body(f.body, 200, f.headers);
  });
  r.get('/my/coordinator-credential', ['coordinator'], async (c) => {
    const user = c.get('user')!;
    const f = credentialFile(await coordinatorCredential(c.get('ctx'), user, user.id));
    return c.body(f.body, 200, f.headers);
  });
}
