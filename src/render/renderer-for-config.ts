import type { Config } from '../config/schema.js';
import { createRenderer } from './create-renderer.js';
import type { Renderer } from './renderer.js';
import { builtinTemplatesDir } from './templates-dir.js';

/** The renderer a config asks for: built-in templates, overridden file by file by `templates.dir`. */
export function rendererFor(config: Config): Renderer {
  return createRenderer({
    builtinDir: builtinTemplatesDir(),
    userDir: config.templates.dir,
    timezone: config.templates.timezone,
    appUrl: config.credo.appUrl,
  });
}
