import type { Config } from '../config/schema.js';
import { rendererFor } from '../render/create-renderer.js';
import type { Renderer } from '../render/renderer.js';

/** A renderer, or the template error printed and exit 1. */
export function rendererOrExit(config: Config): Renderer {
  try {
    return rendererFor(config);
  } catch (error) {
    process.stderr.write(`Invalid templates: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
