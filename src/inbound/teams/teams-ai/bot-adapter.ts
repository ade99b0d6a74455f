import { TeamsAdapter } from '@microsoft/teams-ai';
import type { EntraTokenSource } from '../../../notify/teams/entra-token.js';

/**
 * How the bot proves who it is, and checks who calls it. `anonymous`: no app id, for local
 * trials only (the SDK then accepts any caller; start-teams-bot.ts fences that to loopback).
 */
export type BotAuthentication =
  | { mode: 'anonymous' }
  | {
      mode: 'authenticated';
      appId: string;
      /** Entra's token endpoint base for the bot's tenant: `{login}/{tenant}`. */
      loginUrl: string;
      /** Where the signing keys of Teams' JWTs are published. */
      openIdMetadataUrl: string;
      /** The `iss` of those JWTs. */
      tokenIssuer: string;
      /** The bot's own access tokens, for every call to the connector. */
      tokens: EntraTokenSource;
    };

type CredentialsFactory = NonNullable<ConstructorParameters<typeof TeamsAdapter>[1]>;

/** The audience of the bot's tokens, and the issuer the connector trusts. */
const BOT_FRAMEWORK = 'https://api.botframework.com';

/**
 * The SDK's adapter with every endpoint given explicitly, so that none defaults to a host
 * tests cannot reach, and with our own token source instead of the SDK's MSAL client: that one
 * insists on https authorities and keeps time by the wall clock.
 */
export function createBotAdapter(auth: BotAuthentication): TeamsAdapter {
  if (auth.mode === 'anonymous') return new TeamsAdapter({});
  const credentials: CredentialsFactory = {
    isValidAppId: async (appId) => appId === auth.appId,
    isAuthenticationDisabled: async () => false,
    createCredentials: async () => ({
      async signRequest(request) {
        request.headers.set('authorization', `Bearer ${await auth.tokens.token()}`);
        return request;
      },
    }),
  };
  return new TeamsAdapter(
    {
      MicrosoftAppId: auth.appId,
      ToChannelFromBotLoginUrl: auth.loginUrl,
      ToChannelFromBotOAuthScope: BOT_FRAMEWORK,
      ToBotFromChannelTokenIssuer: auth.tokenIssuer,
      ToBotFromChannelOpenIdMetadataUrl: auth.openIdMetadataUrl,
      // Emulator tokens are refused: their keys are looked up here and never match Teams'.
      ToBotFromEmulatorOpenIdMetadataUrl: auth.openIdMetadataUrl,
      OAuthUrl: BOT_FRAMEWORK,
      CallerId: 'urn:botframework:azure',
      ValidateAuthority: true,
    },
    credentials,
  );
}
