/**
 * A job's last error as stored: `CN_SOME_CODE: what happened` once the error carries its code
 * (src/errors.ts), otherwise the platform's words alone.
 */
export interface ErrorText {
  code?: string;
  message: string;
}

export function splitErrorCode(lastError: string): ErrorText {
  const coded = lastError.match(/^(CN_[A-Z0-9_]+)\b[:\s-]*([\s\S]*)$/);
  if (!coded?.[1]) return { message: lastError };
  return { code: coded[1], message: coded[2] ?? '' };
}
