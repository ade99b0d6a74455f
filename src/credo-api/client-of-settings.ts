import type { Config } from '../config/schema.js';
import { type CredoApiClient, createCredoApiClient } from './client.js';

type ApiSettings = NonNullable<Config['credo']['api']>;

/**
 * The Credo AI API client of the settings in force, made again only when a reload changes them
 * (a client keeps its access token). Undefined while the config has no `credo.api`.
 */
export function clientOfSettings(settings: () => ApiSettings | undefined): () => CredoApiClient | undefined {
  let made: { settings: ApiSettings; client: CredoApiClient } | undefined;
  return () => {
    const now = settings();
    if (!now) return undefined;
    if (made?.settings !== now) made = { settings: now, client: createCredoApiClient(now) };
    return made.client;
  };
}
