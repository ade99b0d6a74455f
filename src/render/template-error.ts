import { CodedError } from '../errors.js';

/** A template that cannot compile or render: names the file and, when known, the line. */
export class TemplateError extends CodedError {
  readonly file: string;
  readonly line: number | undefined;

  constructor(file: string, detail: string, options: { line?: number; cause?: unknown } = {}) {
    super(
      'CN_TEMPLATE_INVALID',
      `${file}${options.line === undefined ? '' : `:${options.line}`}: ${detail}`,
      {
        cause: options.cause,
      },
    );
    this.name = 'TemplateError';
    this.file = file;
    this.line = options.line;
  }
}
