import { readFileSync } from 'node:fs';

/**
 * The package's own files, found from this module: it runs from `src/` under vitest and from
 * `dist/` once built, both one level below the package root.
 */
export function packageFile(relative: string): URL {
  return new URL(`../${relative}`, import.meta.url);
}

/** The version in package.json: what `--version` prints and the Teams manifest carries. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version;
}
