import type { CardVersion } from '../messages.js';

/** What a Teams card is rendered at when its destination does not ask for less: the bot's. */
export const NEWEST_CARD_VERSION: CardVersion = '1.5';

/** Whether a host that displays cards up to `target` also displays what version `wanted` brought. */
export function cardVersionAtLeast(target: string, wanted: string): boolean {
  const [targetMajor = 0, targetMinor = 0] = target.split('.').map(Number);
  const [wantedMajor = 0, wantedMinor = 0] = wanted.split('.').map(Number);
  return targetMajor !== wantedMajor ? targetMajor > wantedMajor : targetMinor >= wantedMinor;
}
