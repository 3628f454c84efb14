import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { OidcConfig } from '../../src/config/index.js';

/**
 * A real OpenID Connect provider (panva's oidc-provider) on loopback, standing in for the prefecture's
 * Entra ID or Keycloak in the single sign-on tests. Its login and consent pages are replaced by one
 * handler that signs in whoever `loginAs` names and grants what was asked: the tests play the browser.
 */
export const KYODO_CLIENT = { id: 'kyodo', secret: 'kyodo-secret-for-tests-only-0123456789' };
export const OTHER_CLIENT = { id: 'other-app', secret: 'other-secret-for-tests-only-0123456789', redirect: 'http://other.test/cb' };

export type Account = Record<string, unknown>;

export class TestProvider {
  /** The account (its key in `accounts`) that the next login interaction signs in. */
  loginAs = '';
  /** Claims of each account, by account id (= sub). */
  readonly accounts = new Map<string, Account>();
  /** How often the provider's end_session was confirmed (the provider's session ended). */
  signOuts = 0;
  /** When set, the next token response carries this id_token instead of the one minted for it. */
  swapIdToken: string | null = null;

  private constructor(
    readonly issuer: string,
    readonly provider: Provider,
    private readonly server: Server,
  ) {}

  static async start(kyodoBaseUrl: string, opts: { idTokenSeconds?: number } = {}): Promise<TestProvider> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let self!: TestProvider;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: KYODO_CLIENT.id,
          client_secret: KYODO_CLIENT.secret,
          redirect_uris: [`${kyodoBaseUrl}/login/sso/callback`],
          post_logout_redirect_uris: [`${kyodoBaseUrl}/login?notice=logout.done`],
          token_endpoint_auth_method: 'client_secret_basic',
        },
        { client_id: OTHER_CLIENT.id, client_secret: OTHER_CLIENT.secret, redirect_uris: [OTHER_CLIENT.redirect], token_endpoint_auth_method: 'client_secret_basic' },
      ],
      claims: {
        openid: ['sub'],
        email: ['email', 'email_verified'],
        profile: ['name', 'family_name', 'given_name', 'family_name#ja-Kana-JP', 'given_name#ja-Kana-JP'],
        kyodo: ['employeeId', 'groups'],
      },
      scopes: ['openid', 'email', 'profile', 'kyodo'],
      // Claims asked for by scope go into the id_token too, as Entra ID's optional claims do.
      conformIdTokenClaims: false,
      findAccount: async (_ctx, id) => {
        const claims = self.accounts.get(id);
        if (!claims) return undefined;
        return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
      },
      cookies: { keys: [randomBytes(16).toString('hex')] },
      ttl: { IdToken: opts.idTokenSeconds ?? 3600, AccessToken: 3600, Session: 3600, Interaction: 600, Grant: 3600, AuthorizationCode: 60 },
      features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    });
    provider.on('end_session.success', () => self.signOuts++);
    provider.use(async (ctx, next) => {
      await next();
      if (ctx.path === '/token' && self.swapIdToken && ctx.status === 200) {
        ctx.body = { ...(ctx.body as object), id_token: self.swapIdToken };
        self.swapIdToken = null;
      }
    });
    const callback = provider.callback();
    server.on('request', async (req, res) => {
      if (!req.url?.startsWith('/interaction/')) return callback(req, res);
      try {
        const details = await provider.interactionDetails(req, res);
        if (details.prompt.name === 'login') {
          await provider.interactionFinished(req, res, { login: { accountId: self.loginAs } }, { mergeWithLastSubmission: false });
          return;
        }
        const grant = details.grantId
          ? (await provider.Grant.find(details.grantId))!
          : new provider.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id as string });
        const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        const grantId = await grant.save();
        await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      } catch (e) {
        res.statusCode = 500;
        res.end(String(e));
      }
    });
    self = new TestProvider(issuer, provider, server);
    return self;
  }

  /** Kyodo's single sign-on configuration for this provider. */
  config(over: Partial<OidcConfig> = {}): OidcConfig {
    return {
      issuer: this.issuer,
      clientId: KYODO_CLIENT.id,
      clientSecret: KYODO_CLIENT.secret,
      scopes: ['openid', 'email', 'profile', 'kyodo'],
      staffNumberClaim: 'employeeId',
      emailClaim: 'email',
      createPeople: false,
      groupsClaim: null,
      roleGroups: [],
      ...over,
    };
  }

  /**
   * An id_token minted by this provider for another client (aud = other-app), carrying the nonce
   * given: what a token substitution would present to Kyodo.
   */
  async idTokenForOtherClient(browser: ProviderBrowser, nonce: string): Promise<string> {
    const verifier = randomBytes(32).toString('base64url');
    const auth = new URL(`${this.issuer}/auth`);
    auth.search = new URLSearchParams({
      client_id: OTHER_CLIENT.id,
      response_type: 'code',
      redirect_uri: OTHER_CLIENT.redirect,
      scope: 'openid email',
      state: 'other-state',
      nonce,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    const back = new URL(await browser.follow(auth.href, OTHER_CLIENT.redirect));
    const res = await fetch(`${this.issuer}/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${OTHER_CLIENT.id}:${OTHER_CLIENT.secret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: back.searchParams.get('code')!, redirect_uri: OTHER_CLIENT.redirect, code_verifier: verifier }),
    });
    const body = (await res.json()) as { id_token?: string };
    if (!body.id_token) throw new Error(`no id_token for the other client: ${JSON.stringify(body)}`);
    return body.id_token;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The browser's side at the provider: its own cookies, redirects followed by hand. */
export class ProviderBrowser {
  readonly cookies = new Map<string, string>();
  /** Every URL visited at the provider, in order. */
  readonly visited: string[] = [];

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    this.visited.push(url);
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      if (!value || attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a) || /max-age=0\b/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** Follows redirects from `url` until one leaves for `until` (a URL prefix); returns that URL. */
  async follow(url: string, until: string): Promise<string> {
    let current = url;
    for (let i = 0; i < 20; i++) {
      if (current.startsWith(until)) return current;
      const res = await this.request(current);
      const location = res.headers.get('location');
      if (!location) throw new Error(`no redirect from ${current}: ${res.status} ${(await res.text()).slice(0, 300)}`);
      current = new URL(location, current).href;
    }
    throw new Error('too many redirects');
  }

  /** Opens the provider's end_session page and confirms the sign-out (its form, as the user would); returns where it sends the browser. */
  async confirmSignOut(endSessionUrl: string): Promise<string> {
    const page = await this.request(endSessionUrl);
    const html = await page.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
    if (!action || !xsrf) throw new Error(`no sign-out form: ${page.status} ${html.slice(0, 300)}`);
    const res = await this.request(new URL(action, endSessionUrl).href, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf, logout: 'yes' }),
    });
    const location = res.headers.get('location');
    if (!location) throw new Error(`sign-out not confirmed: ${res.status}`);
    return new URL(location, endSessionUrl).href;
  }
}
