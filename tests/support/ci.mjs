// When a JavaScript test may skip (the Rust side of the same rule is tests/support/ci.rs).
//
// Tests that need what only a full run provides (the Cognito emulator, Chromium, the built package, the servers
// scripts/e2e.sh starts) skip without it, with a message, so a plain `node --test` still runs anywhere. Under CI
// (CI=true) such a skip would report a pass for tests that never ran, so there the test fails instead, saying what
// is missing. (Tests that skip because ../shared is absent do not use this: they skip everywhere, CI included.)
import { test } from 'node:test';

/** Whether a value of the CI variable means a CI run: `true` (any case) or `1`. */
export function isCI(value) {
  return /^(true|1)$/i.test(String(value ?? '').trim());
}

export const underCI = isCI(process.env.CI);

/** The failure under CI for a test that cannot run because of `reason`. */
export function ciError(reason) {
  return new Error(`${reason}; under CI (CI=${process.env.CI}) a test must not skip for a missing prerequisite`);
}

/**
 * Inside a test `t` that cannot run because of `reason`: skips it, or under CI throws (the test fails).
 * Use as `if (!info) return skipUnlessCI(t, reason);`.
 */
export function skipUnlessCI(t, reason) {
  if (underCI) throw ciError(reason);
  t.skip(reason);
}

/**
 * For node:test's `{ skip }` option of a whole suite: `reason` (why it cannot run here) or a falsy value (it can).
 * Returns the value to pass as `skip`. Outside CI a reason is logged as a skip; under CI the suite is still skipped
 * (its tests cannot run) and a failing test that names the reason is added in its place.
 */
export function skipSuiteUnlessCI(reason) {
  if (!reason) return false;
  if (underCI) {
    test(`cannot run: ${reason}`, () => {
      throw ciError(reason);
    });
  } else {
    console.log(`# SKIP: ${reason}`);
  }
  return reason;
}
