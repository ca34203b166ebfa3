import { formatTime } from '../core/time.js';

/** How a C program ended: its exit status and, for a failure, one line saying what and where. */
export interface AppExit {
  status: number;
  /** A Unity test that ended with TEST_IGNORE. */
  ignored?: boolean;
  /** Set when the program failed (trap, abort, ESP_ERROR_CHECK, a failed test assertion). */
  message?: string;
}

/**
 * Thrown by host functions to stop the program (abort, ESP_ERROR_CHECK, exit, a failed Unity assertion):
 * the exception unwinds the wasm stack, and the task runner turns it into the program's exit.
 */
export class AppStop extends Error {
  constructor(
    readonly exit: AppExit,
    readonly kind: 'exit' | 'abort' | 'test-fail' | 'test-ignore',
  ) {
    super(exit.message ?? `exit(${exit.status})`);
    this.name = 'AppStop';
  }
}

/**
 * The innermost C functions on a trap's stack ("memcpy <- app_main"), from the names section that
 * `soc-fabric cc` keeps: V8 writes wasm frames as "at NAME (wasm://wasm/...:wasm-function[N]:0x...)".
 */
export function wasmFunctionsOf(e: unknown, max = 3): string[] {
  const stack = e instanceof Error && typeof e.stack === 'string' ? e.stack : '';
  const names: string[] = [];
  for (const line of stack.split('\n')) {
    const m = /^\s*at (\S+) \(wasm:\/\//.exec(line) ?? /^\s*at (\S+) \(.*wasm-function\[/.exec(line);
    if (!m) continue;
    const name = m[1]!.replace(/^.*\./, '');
    if (name.startsWith('__sf_') || name === 'abort' || name === '_esp_error_check_failed') continue;
    names.push(name);
    if (names.length === max) break;
  }
  return names;
}

/** The one-line description of a failure at simulated time `now`. */
export function describeFailure(e: unknown, now: number, task: string | undefined): AppExit {
  const at = `at ${formatTime(now)}${task ? ` in task ${task}` : ''}`;
  if (e instanceof AppStop) {
    if (e.kind === 'exit' || e.kind === 'test-ignore') return e.exit;
    const fns = wasmFunctionsOf(e);
    const where = fns.length ? ` (called from ${fns.join(' <- ')})` : '';
    return { status: e.exit.status, message: `${e.exit.message} ${at}${e.kind === 'abort' ? where : ''}` };
  }
  if (e instanceof WebAssembly.RuntimeError) {
    const fns = wasmFunctionsOf(e);
    return {
      status: 134,
      message: `trap: ${e.message} in ${fns.length ? fns.join(' <- ') : 'an unnamed function'} ${at}`,
    };
  }
  const msg = e instanceof Error ? e.message : String(e);
  const fns = wasmFunctionsOf(e);
  return { status: 1, message: `${msg.split('\n')[0]}${fns.length ? ` (in ${fns.join(' <- ')})` : ''} ${at}` };
}
