/** The SakimoriError `fn` throws, for tests that check code, message and where; any other outcome fails. */
import { SakimoriError } from '../../errors.js';

export function errorOf(fn: () => unknown, what = 'the call'): SakimoriError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SakimoriError) return e;
    throw e;
  }
  throw new Error(`${what} did not throw`);
}
