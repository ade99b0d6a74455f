import { createRenderer, type RendererOptions } from '../../src/render/create-renderer.js';
import type { Renderer } from '../../src/render/renderer.js';
import { builtinTemplatesDir } from '../../src/render/templates-dir.js';

/** The Credo AI app that links in rendered messages point into. */
export const APP_URL = 'https://app.credo.ai/acme';

/**
 * The renderer as tests use it: the built-in templates, times in UTC, links into APP_URL.
 * `options` change any of that (a user's `userDir`, another `timezone`).
 */
export function testRenderer(options: Partial<RendererOptions> = {}): Renderer {
  return createRenderer({ builtinDir: builtinTemplatesDir(), timezone: 'UTC', appUrl: APP_URL, ...options });
}
