import { Core } from '../core/tokens.js';
import { createSimulation, type CreateSimulationOptions } from '../create-simulation.js';
import { formatTime } from '../core/time.js';
import { loadApp, type AppTest } from './app.js';

/** One Unity test's outcome. */
export interface UnityResult extends AppTest {
  passed: boolean;
  /** Ended by TEST_IGNORE (counted neither passed nor failed). */
  ignored: boolean;
  /** Why it failed (a failed assertion with its file and line, a trap, a test that never finished). */
  message?: string;
  /** Simulated time the test took. */
  simulatedPs: number;
  /** The lines it printed, with their simulated times. */
  output: { time: number; text: string }[];
}

/** How runUnityTests runs a program's tests: on which target, with what seed, for how long at most. */
export interface UnityOptions {
  target: CreateSimulationOptions['target'];
  config?: CreateSimulationOptions['config'];
  seed?: number;
  /** Simulated time a test may take before it counts as hung (default 10 s). */
  limitPs?: number;
  /** Only tests whose name contains this. */
  filter?: string;
  /** Hears each result as it is known. */
  onResult?: (r: UnityResult) => void;
}

/**
 * Runs the program's Unity TEST_CASEs, each in a fresh simulation of the target (a failed assertion ends its
 * test at once, and nothing one test leaves behind reaches the next).
 */
export async function runUnityTests(wasm: Uint8Array | WebAssembly.Module, opts: UnityOptions): Promise<UnityResult[]> {
  const module = wasm instanceof WebAssembly.Module ? wasm : await WebAssembly.compile(wasm);
  const limit = opts.limitPs ?? 10e12;
  const probe = await createSimulation({ target: opts.target, config: opts.config, seed: opts.seed });
  const tests = (await loadApp(probe, module)).tests;
  await probe.dispose();
  const results: UnityResult[] = [];
  for (let i = 0; i < tests.length; i++) {
    const t = tests[i]!;
    if (opts.filter !== undefined && !t.name.includes(opts.filter)) continue;
    const sim = await createSimulation({ target: opts.target, config: opts.config, seed: opts.seed });
    const app = await loadApp(sim, module);
    app.startTest(i);
    await sim.run({ until: limit });
    let message = app.exit?.message;
    const ignored = app.exit?.ignored === true;
    let passed = app.exit !== undefined && app.exit.status === 0 && !ignored;
    if (!app.exit) {
      const blocked = app
        .liveTasks()
        .map((l) => `${l.name} in ${l.blockedIn ?? 'running'}`)
        .join(', ');
      message =
        sim.get(Core.Kernel).pending > 0
          ? `did not finish within ${formatTime(limit)} of simulated time (tasks: ${blocked})`
          : `did not finish: nothing left to run (tasks blocked: ${blocked})`;
      passed = false;
    }
    const simulatedPs = sim.now;
    await sim.dispose();
    const r: UnityResult = {
      ...t,
      passed,
      ignored,
      message,
      simulatedPs,
      output: app.output.filter((o) => o.text !== message),
    };
    results.push(r);
    opts.onResult?.(r);
  }
  return results;
}

/** A result as Unity prints it: `file:line:name:PASS`, or `...:FAIL: why`. */
export function unityLine(r: UnityResult): string {
  const outcome = r.ignored
    ? `IGNORE${r.message ? `: ${r.message}` : ''}`
    : r.passed
      ? 'PASS'
      : `FAIL: ${r.message ?? ''}`;
  return `${r.file}:${r.line}:${r.name}:${outcome}`;
}

/** Unity's summary line: `N passed, N failed` (and `, N ignored` when some were). */
export function unitySummary(results: readonly UnityResult[]): string {
  const passed = results.filter((r) => r.passed).length;
  const ignored = results.filter((r) => r.ignored).length;
  const failed = results.length - passed - ignored;
  return `${passed} passed, ${failed} failed${ignored ? `, ${ignored} ignored` : ''}`;
}
