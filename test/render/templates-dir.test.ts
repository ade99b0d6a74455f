import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinTemplatesDir, templatesDirFrom } from '../../src/render/templates-dir.js';

describe('builtinTemplatesDir', () => {
  it('finds the templates shipped at the package root', () => {
    expect(existsSync(join(builtinTemplatesDir(), 'slack', 'default.hbs'))).toBe(true);
  });

  it('finds the same folder from the built dist/render/ as from src/render/', () => {
    expect(templatesDirFrom('file:///opt/credo-notify/dist/render/templates-dir.js')).toBe(
      '/opt/credo-notify/templates',
    );
    expect(templatesDirFrom('file:///opt/credo-notify/src/render/templates-dir.ts')).toBe(
      '/opt/credo-notify/templates',
    );
  });
});
