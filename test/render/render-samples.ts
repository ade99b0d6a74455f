import type { RenderInput } from '../../src/render/renderer.js';
import { loadSampleEvents, SAMPLE_RECEIVED_AT } from '../../src/render/sample-events.js';

export { loadSampleEvents as loadSamples, SAMPLE_RECEIVED_AT as RECEIVED_AT };

export function sample(name: string): RenderInput {
  const found = loadSampleEvents().find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no fixture named ${name}`);
  return structuredClone(found.input);
}
