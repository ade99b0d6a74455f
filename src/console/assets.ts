import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';

/**
 * The files the console's pages load: htmx, markdown-it and Microsoft's Adaptive Cards renderer from their
 * npm packages, and our stylesheet and card script from console-ui/. Read and gzipped once, at
 * start; each URL carries a hash of its content, so a browser may keep it for good.
 */
export interface Asset {
  type: string;
  body: Buffer;
  gzipped: Buffer;
  hash: string;
}

const resolve = createRequire(import.meta.url).resolve;
/** console-ui/ at the package root: two folders up from src/console and from dist/console alike. */
const UI_DIR = new URL('../../console-ui/', import.meta.url);

const SOURCES: Record<string, { path: string | URL; type: string }> = {
  'htmx.min.js': { path: resolve('htmx.org/dist/htmx.min.js'), type: 'text/javascript' },
  // Teams shows card text as markdown; the Adaptive Cards renderer uses window.markdownit when present.
  'markdown-it.min.js': { path: resolve('markdown-it/browser'), type: 'text/javascript' },
  'adaptivecards.min.js': {
    path: resolve('adaptivecards/dist/adaptivecards.min.js'),
    type: 'text/javascript',
  },
  'cards.js': { path: new URL('cards.js', UI_DIR), type: 'text/javascript' },
  'console.css': { path: new URL('console.css', UI_DIR), type: 'text/css' },
};

export type AssetName = keyof typeof SOURCES;

let loaded: Map<string, Asset> | undefined;

export function assets(): Map<string, Asset> {
  loaded ??= new Map(
    Object.entries(SOURCES).map(([name, source]) => {
      const body = readFileSync(source.path);
      const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
      return [
        name,
        { type: `${source.type}; charset=utf-8`, body, gzipped: gzipSync(body, { level: 9 }), hash },
      ];
    }),
  );
  return loaded;
}

export function assetUrl(prefix: string, name: AssetName): string {
  return `${prefix}/assets/${assets().get(name)?.hash}/${name}`;
}
