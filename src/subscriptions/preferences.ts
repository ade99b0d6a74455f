import type { KeyValueState } from '../store/store.js';
import type { QuietHours } from '../time-of-day.js';
import type { ChangedBy } from './subscription-book.js';

/** What one person asked for with `me ...`. */
export interface Preferences {
  dm: 'on' | 'off';
  quiet?: QuietHours;
}

export interface StoredPreferences extends Preferences {
  platform: 'slack' | 'teams';
  chatUserId: string;
  email?: string;
  by: ChangedBy;
  at: number;
}

/** Whom a direct message is about to reach: their chat id there, and their email when known. */
export interface Recipient {
  platform: 'slack' | 'teams';
  chatUserId: string;
  email?: string;
}

/**
 * People's preferences in the store's key-value state, without expiry: by chat id on the
 * platform they said it on, and by email, so that `me dm off` in Teams also silences their
 * Slack DMs (a person's email is the one thing both platforms share).
 */
export interface PreferenceBook {
  put(preferences: StoredPreferences): Promise<void>;
  /**
   * What this person asked for, as their direct messages keep to it and `me` shows it: their
   * latest word, on this platform or (by email) another, so `me dm on` in Teams undoes an earlier `me dm off` in Slack, and quiet
   * hours said in Slack hold for their Teams DMs too.
   */
  latestOf(recipient: Recipient): Promise<Preferences | undefined>;
}

export const PREFERENCES_NAMESPACE = 'chat-preferences';

const byId = (platform: string, chatUserId: string) => JSON.stringify(['id', platform, chatUserId]);
const byEmail = (email: string) => JSON.stringify(['email', email.toLowerCase()]);

export function createPreferenceBook(store: KeyValueState, now: () => number): PreferenceBook {
  const read = async (key: string) => {
    const value = await store.kvGet(PREFERENCES_NAMESPACE, key, now());
    return value ? (JSON.parse(value) as StoredPreferences) : undefined;
  };
  return {
    async put(preferences) {
      const value = JSON.stringify(preferences);
      await store.kvSet(
        PREFERENCES_NAMESPACE,
        byId(preferences.platform, preferences.chatUserId),
        value,
        null,
      );
      if (preferences.email)
        await store.kvSet(PREFERENCES_NAMESPACE, byEmail(preferences.email), value, null);
    },
    async latestOf({ platform, chatUserId, email }) {
      const found = [await read(byId(platform, chatUserId)), email ? await read(byEmail(email)) : undefined];
      const latest = found.reduce((a, b) => ((b?.at ?? -1) > (a?.at ?? -1) ? b : a), undefined);
      return latest && { dm: latest.dm, ...(latest.quiet && { quiet: latest.quiet }) };
    },
  };
}
