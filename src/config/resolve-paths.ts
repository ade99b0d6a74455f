import { isAbsolute, resolve } from 'node:path';
import type { Config } from './schema.js';

const SQLITE_SCHEME = 'sqlite:';
const IN_MEMORY = ':memory:';

/**
 * Relative paths in a config file mean "next to this file", not "wherever the process was
 * started": under systemd or with `--config /etc/credo-notify/credo-notify.yaml` the working
 * directory is rarely the config's folder. Every path leaves here absolute, so messages about
 * it name the exact file that was tried.
 */
export function resolveConfigPaths(config: Config, baseDir: string): Config {
  const dir = config.templates.dir;
  return {
    ...config,
    store: { ...config.store, url: resolveSqliteUrl(config.store.url, baseDir) },
    templates: { ...config.templates, dir: dir === undefined ? undefined : resolve(baseDir, dir) },
  };
}

function resolveSqliteUrl(url: string, baseDir: string): string {
  if (!url.startsWith(SQLITE_SCHEME)) return url;
  const path = url.slice(SQLITE_SCHEME.length);
  if (path === '' || path === IN_MEMORY || isAbsolute(path)) return url;
  return `${SQLITE_SCHEME}${resolve(baseDir, path)}`;
}
