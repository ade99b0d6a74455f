import { fileURLToPath } from 'node:url';

/**
 * The built-in templates ship at the package root (`templates/`). This module runs from
 * `src/render/` under tsx/vitest and from `dist/render/` once built: both sit two levels below
 * the root, so one relative URL serves both.
 */
export function templatesDirFrom(moduleUrl: string): string {
  return fileURLToPath(new URL('../../templates', moduleUrl));
}

export function builtinTemplatesDir(): string {
  return templatesDirFrom(import.meta.url);
}
