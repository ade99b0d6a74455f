import Handlebars from 'handlebars';
import { type Escape, withEscape } from './escape-hook.js';
import { TemplateError } from './template-error.js';
import type { PlatformSources, TemplateSource } from './template-files.js';

/** What a platform brings to the engine: how `{{value}}` is escaped and its markup helpers. */
export interface PlatformKit {
  escape: Escape;
  helpers: Handlebars.HelperDeclareSpec;
}

/**
 * One platform's templates, parsed and checked; each becomes code at its first `run`, which never
 * touches the disk.
 */
export interface CompiledTemplates {
  names(): string[];
  has(name: string): boolean;
  /** The file a template came from, for error messages. */
  file(name: string): string;
  /**
   * The template's output for `view`; a failure is a TemplateError naming the file. `data` is
   * what the platform adds beside the view as `@` variables (Teams: `@cardVersion`).
   */
  run(name: string, view: unknown, data?: Record<string, unknown>): string;
}

/**
 * Strict: a misspelt `{{useCase.nmae}}` fails in `check` rather than printing nothing. Helper
 * arguments stay lenient, so `{{#if data.anything}}` is always safe. preventIndent keeps a
 * partial's output exactly as written.
 */
const COMPILE_OPTIONS: CompileOptions = { strict: true, noEscape: false, preventIndent: true };

export function compileTemplates(sources: PlatformSources, kit: PlatformKit): CompiledTemplates {
  const handlebars = Handlebars.create();
  handlebars.registerHelper(kit.helpers);
  // Every file is parsed once, now: a broken one fails at start. Turning a template into code is
  // left to its first use (Handlebars' own default, from the same tree): at start it cost 77-92 ms
  // for Slack's templates alone, most of them for events a deployment may never see (issue 17).
  const partials = [...sources.partials.values()].map((partial) => ({
    template: partial,
    // A partial usually sits inside a JSON string, where the file's final newline would break it.
    tree: parse(handlebars, partial, partial.source.trimEnd()),
  }));
  const files = [...sources.templates.values()].map((template) => ({
    template,
    tree: parse(handlebars, template),
  }));
  for (const { template, tree } of partials) {
    handlebars.registerPartial(template.name, handlebars.compile(tree, COMPILE_OPTIONS));
  }
  for (const { template, tree } of [...partials, ...files]) checkReferences(handlebars, template, tree);
  const templates = new Map(
    files.map(({ template, tree }) => [
      template.name,
      { template, run: handlebars.compile(tree, COMPILE_OPTIONS) },
    ]),
  );

  function get(name: string) {
    const found = templates.get(name);
    if (!found) throw new Error(`no template named "${name}"; have: ${[...templates.keys()].join(', ')}`);
    return found;
  }

  return {
    names: () => [...templates.keys()].sort(),
    has: (name) => templates.has(name),
    file: (name) => get(name).template.file,
    run(name, view, data) {
      const { template, run } = get(name);
      try {
        return withEscape(kit.escape, () => run(view, { data }));
      } catch (error) {
        throw asTemplateError(template, error);
      }
    },
  };
}

/**
 * Unknown partials and helpers, and a partial given more than one argument, would only fail when
 * an event reaches them: name them now.
 */
function checkReferences(
  handlebars: typeof Handlebars,
  template: TemplateSource,
  tree: hbs.AST.Program,
): void {
  const problems: Array<{ line: number; detail: string }> = [];
  const helperCall = (node: {
    path: hbs.AST.Expression;
    params: unknown[];
    hash?: hbs.AST.Hash;
    loc: hbs.AST.SourceLocation;
  }) => {
    const name = simpleName(node.path);
    const isCall = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
    if (name && isCall && !(name in handlebars.helpers)) {
      problems.push({ line: node.loc.start.line, detail: `unknown helper "${name}"` });
    }
  };
  // Handlebars' compiler refuses these, at first use: `{{> card a b}}`, `{{#> card a b}}…{{/card}}`.
  const partialArguments = (node: { params: unknown[]; loc: hbs.AST.SourceLocation }) => {
    if (node.params.length > 1) {
      problems.push({ line: node.loc.start.line, detail: 'a partial takes at most one argument' });
    }
  };
  class ReferenceChecker extends Handlebars.Visitor {
    override MustacheStatement(node: hbs.AST.MustacheStatement): void {
      helperCall(node);
      super.MustacheStatement(node);
    }
    override BlockStatement(node: hbs.AST.BlockStatement): void {
      helperCall(node);
      super.BlockStatement(node);
    }
    override SubExpression(node: hbs.AST.SubExpression): void {
      helperCall(node);
      super.SubExpression(node);
    }
    override PartialStatement(node: hbs.AST.PartialStatement): void {
      const name = simpleName(node.name);
      if (name && !(name in handlebars.partials)) {
        problems.push({ line: node.loc.start.line, detail: `unknown partial "${name}"` });
      }
      partialArguments(node);
      super.PartialStatement(node);
    }
    // A partial block may name a partial that does not exist (its block is the fallback), but its
    // arguments are held to the same rule.
    override PartialBlockStatement(node: hbs.AST.PartialBlockStatement): void {
      partialArguments(node);
      super.PartialBlockStatement(node);
    }
  }
  new ReferenceChecker().accept(tree);
  const [first] = problems;
  if (first) throw new TemplateError(template.file, first.detail, { line: first.line });
}

/**
 * The tree as written: Handlebars strips whitespace around `~` and standalone tags when it
 * compiles it, and doing it here too would strip twice.
 */
function parse(
  handlebars: typeof Handlebars,
  template: TemplateSource,
  text = template.source,
): hbs.AST.Program {
  try {
    return handlebars.parseWithoutProcessing(text);
  } catch (error) {
    throw asTemplateError(template, error);
  }
}

function simpleName(node: hbs.AST.Expression): string | undefined {
  const path = node as hbs.AST.PathExpression;
  return path.type === 'PathExpression' && !path.data && path.depth === 0 && path.parts.length === 1
    ? path.original
    : undefined;
}

/** Handlebars reports the line as `lineNumber` (runtime) or in the text (parse errors). */
function asTemplateError(template: TemplateSource, error: unknown): TemplateError {
  if (error instanceof TemplateError) return error;
  // Strict mode says `"nmae" not defined in [object Object] - 1:13`: the context object and the
  // position add nothing a person can use, and the line is reported on its own.
  const message = withoutQuotedLine(error instanceof Error ? error.message : String(error))
    .replace(/ in \[object Object\]/g, '')
    .replace(/ - \d+:\d+$/, '');
  const lineNumber = (error as { lineNumber?: unknown } | null)?.lineNumber;
  const line =
    typeof lineNumber === 'number' ? lineNumber : Number(/on line (\d+)/.exec(message)?.[1]) || undefined;
  return new TemplateError(template.file, message, { line, cause: error });
}

/**
 * Parse errors quote the line with a caret under it, over three lines of the message: the file
 * and line are named already, and the message must stay one line, as `check` and a refused
 * `serve` print it.
 */
function withoutQuotedLine(message: string): string {
  const lines = message.split('\n');
  const caret = lines.findIndex((line) => /^-*\^$/.test(line));
  const kept = caret > 0 ? [...lines.slice(0, caret - 1), ...lines.slice(caret + 1)] : lines;
  return kept.join(' ');
}
