/** An error of any package of this repository (README, "Errors"), whatever its class. */
export interface BrandedError extends Error {
  readonly code: string;
  readonly fault: 'user' | 'system';
}

/** True for an error carrying the repository's brand (`Symbol.for`, so two installed copies agree). */
export function isBrandedError(error: unknown): error is BrandedError {
  return error instanceof Error && (error as unknown as Record<symbol, unknown>)[Symbol.for('@lanes/error')] === true;
}
