/**
 * Helpers the tests that build a simulation share: a test task run to completion, byte patterns, and checks
 * that a call is refused with the C API's error.
 */
import { expect } from 'chai';
import { EspError } from '../../core/errors.js';
import type { Simulation } from '../../core/simulation.js';

/** Runs `body` as a task and the simulation to idle; rethrows the task's failure. */
export async function runTask(sim: Simulation, body: () => Promise<void>, name = 'test'): Promise<void> {
  const t = sim.spawn(name, body);
  await sim.run();
  await t.done;
}

/**
 * `n` bytes that differ from seed to seed (an odd step per seed) and do not repeat every 256 bytes, so a copy
 * from the wrong place or of the wrong length shows.
 */
export function pattern(n: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 13 + seed * 101 + (i >> 8)) & 0xff);
}

/** The EspError `fn` throws (a failure when it throws nothing or something else). */
export function espError(fn: () => unknown): EspError {
  try {
    fn();
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(EspError);
    return e as EspError;
  }
  return expect.fail('expected an EspError');
}

/** The code of the EspError `fn` throws. */
export function espCode(fn: () => unknown): number {
  return espError(fn).code;
}

/** Asserts that `fn` throws an EspError with `code` (and a message matching `match`, if given). */
export function expectEsp(fn: () => unknown, code: number, match?: RegExp): void {
  const e = espError(fn);
  expect(e.code, e.message).to.equal(code);
  if (match) expect(e.message).to.match(match);
}

/** Asserts that `p` rejects with an instance of `cls` whose message matches `match`; returns the error. */
export async function rejects(p: Promise<unknown>, cls: new (...a: never[]) => Error, match: RegExp): Promise<Error> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(cls);
    expect((e as Error).message).to.match(match);
    return e as Error;
  }
  return expect.fail('expected a rejection');
}
