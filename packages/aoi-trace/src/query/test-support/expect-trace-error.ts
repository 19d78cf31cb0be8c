import { expect } from 'vitest';
import { TraceError, TraceErrorCode } from '../../errors.js';

/** Asserts that `fn` throws an INVALID_ARGUMENT TraceError whose message matches. Returns the error. */
export function expectInvalidArgument(fn: () => unknown, message: RegExp): TraceError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(TraceError);
  const error = caught as TraceError;
  expect(error.code).toBe(TraceErrorCode.InvalidArgument);
  expect(error.message).toMatch(message);
  return error;
}
