import { LineCounter, parseDocument } from 'yaml';

/**
 * Parses one YAML document. Syntax errors come back as `file:line:column: message`, a form
 * editors and terminals turn into links; the offending text is not echoed, as it may hold a
 * secret.
 */
export function parseYaml(text: string, source: string): { value: unknown; problems: string[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const problems = document.errors.map((error) => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return `${source}:${line}:${col}: YAML syntax error: ${error.message}`;
  });
  return { value: problems.length > 0 ? undefined : document.toJS(), problems };
}
