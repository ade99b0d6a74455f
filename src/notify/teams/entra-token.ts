import type { Clock } from '../../clock.js';
import { fetchWithDeadline } from '../../http/fetch-with-deadline.js';
import { DeliveryError } from '../notifier.js';

/**
 * The bot's access token for the Bot Framework connector: OAuth client credentials from
 * Microsoft Entra, for the bot's tenant (a single-tenant bot) or `botframework.com` (a
 * multi-tenant one), kept until shortly before it expires. One request at a time: a burst of
 * sends shares the one in flight.
 * https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication
 */
export interface EntraTokenSource {
  token(): Promise<string>;
}

export interface EntraTokenOptions {
  /** The tenant's authority: `{teams.endpoints.login}/{tenant}`, e.g. `https://login.microsoftonline.com/<id>`. */
  authorityUrl: string;
  appId: string;
  appPassword: string;
  clock: Clock;
  timeoutMs?: number;
}

/** What the Bot Framework connector accepts tokens for. */
const SCOPE = 'https://api.botframework.com/.default';
/** Renewed this long before it expires, so that no send carries a token about to lapse. */
const RENEW_BEFORE_MS = 5 * 60_000;
const DEFAULT_TIMEOUT_MS = 10_000;

export function createEntraTokenSource(options: EntraTokenOptions): EntraTokenSource {
  const { clock } = options;
  const endpoint = `${options.authorityUrl}/oauth2/v2.0/token`;
  let held: { value: string; renewAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  const fetchToken = async (): Promise<string> => {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: options.appId,
      client_secret: options.appPassword,
      scope: SCOPE,
    }).toString();
    const answer = await fetchWithDeadline(
      endpoint,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body },
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ).catch((error: unknown) => {
      throw new DeliveryError('no answer from Microsoft Entra for the bot token', {
        code: 'CN_TEAMS_UNREACHABLE',
        retryable: true,
        cause: error,
      });
    });
    const granted = (await answer.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (answer.ok && typeof granted?.access_token === 'string') {
      const lifetimeMs = Number(granted.expires_in ?? 3600) * 1000;
      held = { value: granted.access_token, renewAt: clock.now() + lifetimeMs - RENEW_BEFORE_MS };
      return granted.access_token;
    }
    throw refusal(answer.status, granted);
  };

  return {
    async token() {
      if (held && clock.now() < held.renewAt) return held.value;
      inFlight ??= fetchToken().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}

/**
 * Entra's answer names the problem (`AADSTS700016`: no such app in this tenant; `AADSTS7000215`:
 * wrong secret): the code is kept, its description (which may echo the app id) is not. 4xx
 * repeats until the config changes; 5xx is Entra's own trouble.
 */
function refusal(status: number, answer: Record<string, unknown> | undefined): DeliveryError {
  const codes = Array.isArray(answer?.error_codes) ? answer.error_codes : [];
  const aadsts = codes.filter((code) => Number.isInteger(code)).map((code) => `AADSTS${code}`);
  const error =
    typeof answer?.error === 'string' && /^\w{1,64}$/.test(answer.error) ? answer.error : undefined;
  const said = [error, ...aadsts].filter(Boolean).join(' ');
  const retryable = status >= 500 || status === 429;
  return new DeliveryError(`Microsoft Entra answered HTTP ${status}${said ? ` (${said})` : ''}`, {
    code: retryable ? 'CN_TEAMS_UNAVAILABLE' : 'CN_TEAMS_TOKEN_REFUSED',
    retryable,
  });
}
