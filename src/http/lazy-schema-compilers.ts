import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = Required<
  NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>
>;

// Fastify's own compilers, resolved from Fastify's folder: they are its dependencies, not ours.
const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));

/** `make()` the first time, the same value after. */
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

const validator = once((): CompilersFactory['buildValidator'] => fromFastify('@fastify/ajv-compiler')());
const serializer = once((): CompilersFactory['buildSerializer'] =>
  fromFastify('@fastify/fast-json-stringify-compiler')(),
);

/**
 * Fastify's schema compilers (Ajv, fast-json-stringify), loaded when a route first declares a
 * schema rather than when Fastify starts. No route of ours declares one: Fastify would load
 * about 300 files for nothing, 90 to 160 ms and 1 MB of heap at every start, measured.
 */
export const lazySchemaCompilers: CompilersFactory = {
  buildValidator: (...args) => validator()(...args),
  buildSerializer: (...args) => serializer()(...args),
};
