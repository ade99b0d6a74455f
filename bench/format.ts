/** How the bench writes its figures. */

export function percent(share: number, digits = 0): string {
  return `${(share * 100).toFixed(digits)} %`;
}

export function milliseconds(value: number): string {
  return `${value.toFixed(1)} ms`;
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(0)} MB`;
}
