import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/**
 * Microsoft's identity side of a Teams bot, on 127.0.0.1, for `teams.endpoints`:
 * - Entra's token endpoint, which grants the bot an access token for the Bot Framework by OAuth
 *   client credentials, and refuses a wrong app, secret or tenant as Entra does
 *   (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow);
 * - the Bot Framework's OpenID metadata and signing keys, with which Teams signs the JWT of
 *   every activity it sends the bot: `iss` https://api.botframework.com, `aud` the app id, a
 *   `serviceurl` claim, and keys endorsed for the `msteams` channel
 *   (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication).
 */
export interface FakeEntra {
  /** For `teams.endpoints`. */
  endpoints: { login: string; openIdMetadata: string; tokenIssuer: string };
  /** The bot registration this Entra knows. */
  bot: { appId: string; appPassword: string; tenantId: string };
  /** Whether this Entra issued `token` (what the strict connector checks). */
  issued(token: string | undefined): boolean;
  /** Token requests received, as `{tenant, clientId}`. */
  tokenRequests: Array<{ tenant: string; clientId: string | null }>;
  /** The `Authorization` header Teams would send with `activity`. */
  signActivity(activity: { serviceUrl: string }, options?: { audience?: string }): Promise<string>;
  close(): Promise<void>;
}

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
/** The scope a bot asks for: the Bot Framework connector's. */
const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com/.default';

export async function startFakeEntra(options: { multiTenant?: boolean } = {}): Promise<FakeEntra> {
  const bot = {
    appId: '00000000-1111-4222-8333-444444444444',
    appPassword: `pw~${randomBytes(16).toString('hex')}`,
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  };
  // A multi-tenant registration gets its tokens from the `botframework.com` tenant too.
  const tenants = options.multiTenant ? [bot.tenantId, 'botframework.com'] : [bot.tenantId];
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, use: 'sig', endorsements: ['msteams'] } as JWK;
  const issued = new Set<string>();
  const tokenRequests: FakeEntra['tokenRequests'] = [];
  let base = '';

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'GET' && url.pathname === '/v1/.well-known/openidconfiguration') {
      return send(res, 200, {
        issuer: BOT_FRAMEWORK_ISSUER,
        jwks_uri: `${base}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (req.method === 'GET' && url.pathname === '/v1/.well-known/keys')
      return send(res, 200, { keys: [jwk] });
    const token = url.pathname.match(/^\/([^/]+)\/oauth2\/v2\.0\/token$/);
    if (req.method !== 'POST' || !token) return send(res, 404, { error: 'not_found' });
    const form = new URLSearchParams(await text(req));
    const tenant = decodeURIComponent(token[1] ?? '');
    tokenRequests.push({ tenant, clientId: form.get('client_id') });
    // Entra's answers to a bad request: AADSTS700016 for an app the tenant doesn't have (what a
    // single-tenant bot asking the multi-tenant authority gets), AADSTS7000215 for a wrong secret.
    if (!tenants.includes(tenant) || form.get('client_id') !== bot.appId) {
      return send(res, 400, { error: 'unauthorized_client', error_codes: [700016] });
    }
    if (form.get('client_secret') !== bot.appPassword) {
      return send(res, 401, { error: 'invalid_client', error_codes: [7000215] });
    }
    if (form.get('grant_type') !== 'client_credentials' || form.get('scope') !== BOT_FRAMEWORK_SCOPE) {
      return send(res, 400, { error: 'invalid_request', error_codes: [90014] });
    }
    const accessToken = `fake-entra.${randomBytes(24).toString('base64url')}`;
    issued.add(accessToken);
    return send(res, 200, {
      token_type: 'Bearer',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: accessToken,
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoints: {
      login: base,
      openIdMetadata: `${base}/v1/.well-known/openidconfiguration`,
      tokenIssuer: BOT_FRAMEWORK_ISSUER,
    },
    bot,
    issued: (token) => token !== undefined && issued.has(token),
    tokenRequests,
    async signActivity(activity, options = {}) {
      const jwt = await new SignJWT({ serviceurl: activity.serviceUrl })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(BOT_FRAMEWORK_ISSUER)
        .setAudience(options.audience ?? bot.appId)
        .setIssuedAt()
        .setNotBefore('0s')
        .setExpirationTime('1h')
        .sign(privateKey);
      return `Bearer ${jwt}`;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
