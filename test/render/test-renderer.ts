import { createRenderer, type RendererOptions } from '../../src/render/create-renderer.js';
import type { Renderer } from '../../src/render/renderer.js';
import { builtinTemplatesDir } from '../../src/render/templates-dir.js';

/** The Credo AI app that links in rendered messages point into. */
export const APP_URL = 'https://app.credo.ai/acme';

/** `mentions.maxPerEvent` when the config leaves it out. */
export const DEFAULT_MAX_MENTIONS = 50;

/**
 * The renderer as tests use it: the built-in templates, times in UTC, links into APP_URL,
 * the default cap of people per event.
 * `options` change any of that (a user's `userDir`, another `timezone`).
 */
export function testRenderer(options: Partial<RendererOptions> = {}): Renderer {
  return createRenderer({
    builtinDir: builtinTemplatesDir(),
    timezone: 'UTC',
    appUrl: APP_URL,
    maxMentionsPerEvent: DEFAULT_MAX_MENTIONS,
    ...options,
  });
}
