import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE, ESP_ERR_NOT_SUPPORTED } from '../core/errors.js';
import { type Simulation } from '../core/simulation.js';
import { AppMemory, homeRegion } from './app-memory.js';
import { describeFailure, type AppExit } from './app-error.js';
import { Handles } from './handles.js';
import type { HostContext } from './host/context.js';
import { envFunctions, hostFunctionNames } from './host/index.js';
import { wasiFunctions } from './host/system.js';
import { AppTask, ASYNCIFY_BYTES, ISR_STACK, TaskRunner, type AppExports } from './tasks.js';
import { BUILT_FOR } from './built-for.js';

/** How a loaded program reports and ends. */
export interface LoadAppOptions {
  /** Each line the program prints, with the simulated time it was printed at (default: kept in `output`). */
  onOutput?: (text: string, timePs: number) => void;
  /** Dispose the simulation when the program ends (its tasks all ended, exit, abort, trap). Default true. */
  stopSimulationOnExit?: boolean;
}

/** A Unity TEST_CASE the program registered. */
export interface AppTest {
  name: string;
  desc: string;
  file: string;
  line: number;
}

const MAIN_TASK_PRIORITY = 1; // ESP_TASK_MAIN_PRIO

/** What `soc-fabric cc` makes every program export. */
const REQUIRED_EXPORTS = [
  '__indirect_function_table',
  '__stack_pointer',
  '__heap_base',
  '__sf_tick_rate_hz',
  'asyncify_start_unwind',
  'asyncify_stop_unwind',
  'asyncify_start_rewind',
  'asyncify_stop_rewind',
  'asyncify_get_state',
];

/** Simulations a program was loaded into: one program per simulation. */
const LOADED = new WeakSet<Simulation>();

/**
 * A C program (built by `soc-fabric cc`) loaded into a simulation: its memory is the target's RAM, its tasks
 * are simulation tasks. `start()` runs app_main; `startTest(i)` runs one Unity TEST_CASE instead.
 */
export class CApp {
  /** Lines printed so far when no `onOutput` was given. */
  readonly output: { time: number; text: string }[] = [];
  /** Set when the program has ended. */
  exit: AppExit | undefined;
  /** Settles with the exit when the program ends. */
  readonly exited: Promise<AppExit>;
  private resolveExit!: (e: AppExit) => void;
  private started = false;
  private endWithMain = false;
  private main: AppTask | undefined;

  /** @internal use loadApp */
  constructor(
    readonly sim: Simulation,
    private readonly ctx: HostContext,
    private readonly runner: TaskRunner,
    private readonly exports: AppExports,
    private readonly mainStackTop: number,
    private readonly opts: LoadAppOptions,
  ) {
    this.exited = new Promise((r) => {
      this.resolveExit = r;
    });
  }

  /** The Unity TEST_CASEs the program registered, in registration order. */
  get tests(): readonly AppTest[] {
    return this.ctx.tests.map(({ name, desc, file, line }) => ({ name, desc, file, line }));
  }

  /** Runs app_main as the main task (priority 1, as ESP-IDF's) from this instant. */
  start(): void {
    const main = this.exports.app_main;
    if (typeof main !== 'function') {
      throw new EspError(
        ESP_ERR_NOT_SUPPORTED,
        'the program has no app_main (a Unity test program? run it with soc-fabric test)',
      );
    }
    this.startMain('main', () => main());
  }

  /** Runs Unity test `index` as the main task; the program ends when the test function returns. */
  startTest(index: number): void {
    const t = this.ctx.tests[index];
    if (!t)
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `startTest: the program has ${this.ctx.tests.length} tests, no test #${index}`,
      );
    this.endWithMain = true;
    const fn = this.exports.__indirect_function_table.get(t.fn) as () => void;
    this.startMain('main', () => fn());
  }

  /** The simulated address a C pointer (a wasm offset, as printed with %p) stands for. */
  address(pointer: number): number {
    return this.ctx.mem.toSim(pointer);
  }

  /** Tasks still alive, with the call each is blocked in. */
  liveTasks(): { name: string; blockedIn: string | undefined }[] {
    return this.runner.live().map((t) => ({ name: t.name, blockedIn: t.blockedIn }));
  }

  private startMain(name: string, entry: () => void): void {
    if (this.started)
      throw new EspError(ESP_ERR_NOT_SUPPORTED, 'the program was already started: load it again to run it again');
    this.started = true;
    const data = this.ctx.mem.toWasm(this.sim.memory.alloc(ASYNCIFY_BYTES, { caps: ['internal'], align: 16 }));
    const handle = this.ctx.handles.add('task', undefined);
    const task = new AppTask(handle, name, MAIN_TASK_PRIORITY, this.mainStackTop, data);
    (this.ctx.handles.peek(handle) as { value: unknown }).value = task;
    this.main = task;
    this.runner.start(task, entry);
  }

  /** @internal A task ended: the program ends with its main task (tests) or with its last task. */
  taskEnded(): void {
    if (this.exit || this.runner.stopped) return;
    if ((this.endWithMain && this.main?.state === 'done') || this.runner.live().length === 0)
      this.finish({ status: 0 });
  }

  /** @internal */
  finish(exit: AppExit): void {
    if (this.exit) return;
    this.exit = exit;
    this.runner.stopped = true;
    if (exit.message) this.ctx.print(exit.message);
    this.resolveExit(exit);
    if (this.opts.stopSimulationOnExit ?? true) void this.sim.dispose();
  }
}

/**
 * Loads a program built by `soc-fabric cc` into `sim` (before anything else allocates memory): instantiates it
 * with the target's RAM as its memory, runs its constructors, and returns it ready to `start()`.
 */
export async function loadApp(
  sim: Simulation,
  wasm: Uint8Array | WebAssembly.Module,
  opts: LoadAppOptions = {},
): Promise<CApp> {
  // Everything that can refuse the program is checked before the simulation's memory is touched.
  if (!(wasm instanceof WebAssembly.Module) && !(wasm instanceof Uint8Array)) {
    throw new EspError(
      ESP_ERR_INVALID_ARG,
      'loadApp: the program must be the bytes of a .wasm file (Uint8Array) or a WebAssembly.Module',
    );
  }
  if (LOADED.has(sim))
    throw new EspError(
      ESP_ERR_INVALID_STATE,
      'loadApp: this simulation already runs a program; create another simulation',
    );
  let module: WebAssembly.Module;
  try {
    module = wasm instanceof WebAssembly.Module ? wasm : await WebAssembly.compile(wasm);
  } catch (e) {
    throw new EspError(
      ESP_ERR_INVALID_ARG,
      `loadApp: not a WebAssembly module: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const exported = WebAssembly.Module.exports(module).map((e) => e.name);
  for (const name of REQUIRED_EXPORTS) {
    if (!exported.includes(name))
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `loadApp: the program does not export ${name}: build it with soc-fabric cc`,
      );
  }
  const builtFor = exported.find((n) => n.startsWith(BUILT_FOR))?.slice(BUILT_FOR.length);
  if (builtFor !== undefined && builtFor !== sim.target.name) {
    throw new EspError(
      ESP_ERR_INVALID_ARG,
      `loadApp: the program was built for ${builtFor} (soc-fabric cc --target ${builtFor}), not for ${sim.target.name}`,
    );
  }
  const imports = WebAssembly.Module.imports(module);
  const hostNames = new Set(hostFunctionNames());
  const missing = imports
    .filter((i) => i.kind === 'function' && i.module === 'env' && !hostNames.has(i.name))
    .map((i) => i.name);
  if (missing.length) {
    throw new EspError(
      ESP_ERR_NOT_SUPPORTED,
      `loadApp: the program calls ${missing.join(', ')}, which soc-fabric does not implement (build it with soc-fabric cc)`,
    );
  }
  const home = homeRegion(sim);
  if (home.allocator.allocated > 0) {
    throw new EspError(
      ESP_ERR_INVALID_STATE,
      `loadApp: ${home.name} already has allocations; load the program before allocating memory`,
    );
  }
  LOADED.add(sim);
  const mem = new AppMemory(sim);
  // eslint-disable-next-line prefer-const -- `print` (above the instance) reads it before the CApp exists
  let app: CApp | undefined;
  const handles = new Handles();
  const ctx: HostContext = {
    sim,
    mem,
    handles,
    runner: undefined as unknown as TaskRunner,
    tickPs: 0,
    tests: [],
    print: (text) => {
      if (opts.onOutput) opts.onOutput(text, sim.now);
      else app?.output.push({ time: sim.now, text });
    },
  };
  let scratchAddr = 0;
  const env = envFunctions(ctx, () => scratchAddr);
  const wasi = wasiFunctions(
    ctx,
    imports.filter((i) => i.module === 'wasi_snapshot_preview1').map((i) => i.name),
  );
  const instance = await WebAssembly.instantiate(module, {
    env: { ...env, memory: mem.memory },
    wasi_snapshot_preview1: wasi,
  });
  const ex = instance.exports as unknown as AppExports;
  const heapBase = ex.__heap_base.value as number;
  const mainStackTop = ex.__stack_pointer.value as number;
  mem.reserveStatic((heapBase + 15) & ~15);
  const isr = sim.memory.alloc(ISR_STACK + 64, { caps: ['internal'], align: 16 });
  scratchAddr = mem.toWasm(isr);
  const runner = new TaskRunner(sim, ex, mem, (e, task) => app?.finish(describeFailure(e, sim.now, task?.name)));
  runner.setIsrStack(mem.toWasm(isr) + 64 + ISR_STACK);
  ctx.runner = runner;
  ctx.tickPs = Math.round(1e12 / ex.__sf_tick_rate_hz());
  app = new CApp(sim, ctx, runner, ex, mainStackTop, opts);
  const created = app;
  runner.onTaskEnd = () => created.taskEnded();
  if (ex._initialize) runner.callPlain(() => ex._initialize!());
  return app;
}
