import type { Problem } from './problem.js';

/** The environment, passed in: this module never reads `process.env` itself. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * `$${` (an escaped, literal `${`), `${NAME}` or `${NAME:-default}`, or any other `${`, which
 * is a malformed reference.
 */
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{/g;

// A template literal with escapes, since this text shows the config's own `${` syntax.
const MALFORMED_REFERENCE = `contains a malformed "\${" reference; write \${NAME} or \${NAME:-default}, or $\${ for a literal "\${"`;

/**
 * Replaces environment references in every string value of an already parsed YAML tree.
 * Working on the tree, not the text, means a value from the environment is only ever a
 * string: quotes, colons or newlines in it cannot change the document's structure.
 * Substituted text is not scanned again, so a value may itself contain `${`.
 */
export function interpolateEnv(tree: unknown, env: Environment): { value: unknown; problems: Problem[] } {
  const problems: Problem[] = [];
  const value = substitute(tree, [], env, problems);
  return { value, problems };
}

function substitute(node: unknown, path: PropertyKey[], env: Environment, problems: Problem[]): unknown {
  if (typeof node === 'string') return substituteString(node, path, env, problems);
  if (Array.isArray(node)) return node.map((item, i) => substitute(item, [...path, i], env, problems));
  if (typeof node === 'object' && node !== null) {
    return Object.fromEntries(
      Object.entries(node).map(([key, item]) => [key, substitute(item, [...path, key], env, problems)]),
    );
  }
  return node;
}

function substituteString(text: string, path: PropertyKey[], env: Environment, problems: Problem[]): string {
  return text.replace(REFERENCE, (reference, name: string | undefined, fallback: string | undefined) => {
    if (reference === '$${') return '${';
    if (name === undefined) {
      problems.push({
        path,
        message: MALFORMED_REFERENCE,
      });
      return reference;
    }
    const value = env[name];
    // `:-` falls back on an empty variable too, as in the shell: a blank line in .env means "unset".
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    problems.push({
      path,
      message: `environment variable ${name} is ${value === undefined ? 'not set' : 'empty'}`,
    });
    return reference;
  });
}
