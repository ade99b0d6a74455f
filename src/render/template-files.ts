import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Platform } from '../messages.js';

export interface TemplateSource {
  name: string;
  file: string;
  source: string;
}

export interface PlatformSources {
  templates: Map<string, TemplateSource>;
  partials: Map<string, TemplateSource>;
}

/**
 * The templates of one platform: `<dir>/<platform>/<name>.hbs` and
 * `<dir>/<platform>/partials/<name>.hbs`, the built-in ones first, then the user's, which
 * replace built-in ones of the same name file by file.
 */
export function readPlatformSources(
  platform: Platform,
  dirs: { builtinDir: string; userDir?: string },
): PlatformSources {
  const roots = [dirs.builtinDir, dirs.userDir].filter((dir) => dir !== undefined);
  for (const root of roots) {
    if (!existsSync(root)) throw new Error(`templates directory not found: ${root}`);
  }
  return {
    templates: readOverlaid(roots.map((root) => join(root, platform))),
    partials: readOverlaid(roots.map((root) => join(root, platform, 'partials'))),
  };
}

function readOverlaid(dirs: string[]): Map<string, TemplateSource> {
  const byName = new Map<string, TemplateSource>();
  for (const dir of dirs) {
    for (const template of readHbsFiles(dir)) byName.set(template.name, template);
  }
  return byName;
}

function readHbsFiles(dir: string): TemplateSource[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.hbs'))
    .map((entry) => {
      const file = join(dir, entry.name);
      return { name: entry.name.slice(0, -'.hbs'.length), file, source: readFileSync(file, 'utf8') };
    });
}
