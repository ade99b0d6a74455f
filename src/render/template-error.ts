/** A template that cannot compile or render: names the file and, when known, the line. */
export class TemplateError extends Error {
  readonly file: string;
  readonly line: number | undefined;

  constructor(file: string, detail: string, options: { line?: number; cause?: unknown } = {}) {
    super(`${file}${options.line === undefined ? '' : `:${options.line}`}: ${detail}`, {
      cause: options.cause,
    });
    this.name = 'TemplateError';
    this.file = file;
    this.line = options.line;
  }
}
