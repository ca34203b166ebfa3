import { DmaError, EspError } from '../../core/errors.js';
import { type Simulation } from '../../core/simulation.js';
import type { AppMemory } from '../app-memory.js';
import type { Handles } from '../handles.js';
import type { AppTask, TaskRunner } from '../tasks.js';

/** What every group of host functions works with. */
export interface HostContext {
  readonly sim: Simulation;
  readonly mem: AppMemory;
  readonly handles: Handles;
  /** Set once the instance exists (host functions run only after that). */
  runner: TaskRunner;
  /** Simulated picoseconds per FreeRTOS tick. */
  tickPs: number;
  /** Prints one line of the program's output (or of the kit on its behalf). */
  print(text: string): void;
  /** Unity tests the program registered (in its constructors). */
  readonly tests: { name: string; desc: string; fn: number; file: string; line: number }[];
}

/** A group of host functions: name -> implementation. */
export type HostFunctions = Record<string, (...args: number[]) => number | void>;

/**
 * Wraps a driver call: ESP_OK when it returns, the EspError's code when the model refuses it. The refusal is
 * logged the way ESP-IDF's drivers log theirs ("E (12) soc-fabric: ESP_ERR_INVALID_ARG: ...").
 */
export function espCall<A extends number[]>(ctx: HostContext, body: (...args: A) => void): (...args: A) => number {
  return (...args: A): number => {
    try {
      body(...args);
      return 0;
    } catch (e) {
      if (e instanceof EspError) {
        logRefusal(ctx, e.message);
        return e.code;
      }
      throw e;
    }
  };
}

/** Like espCall for the Zephyr API: 0, or the DmaError's negative errno. */
export function zephyrCall<A extends number[]>(
  ctx: HostContext,
  body: (...args: A) => number | void,
): (...args: A) => number {
  return (...args: A): number => {
    try {
      return body(...args) ?? 0;
    } catch (e) {
      if (e instanceof DmaError) {
        logRefusal(ctx, e.message);
        return e.errno;
      }
      if (e instanceof EspError) {
        logRefusal(ctx, e.message);
        return -22;
      }
      throw e;
    }
  };
}

/**
 * A host function that may block the calling task (see TaskRunner.blocking); made once, on first use, because
 * the runner exists only after the instance does.
 */
export function blockingFn<A extends number[]>(
  ctx: HostContext,
  name: string,
  impl: (task: AppTask, ...args: A) => number | Promise<number>,
): (...args: A) => number {
  let f: ((...args: A) => number) | undefined;
  return (...args: A): number => (f ??= ctx.runner.blocking(name, impl))(...args);
}

export function logRefusal(ctx: HostContext, message: string): void {
  ctx.print(`E (${Math.floor(ctx.sim.now / 1e9)}) soc-fabric: ${message}`);
}
