import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it when missing). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Where browser tests leave their screenshots; git-ignored. */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-output/console/', import.meta.url));

/** Headless Chromium as a CI machine can run it: no sandbox, no GPU, no calls home. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}
