import { Core } from '../core/tokens.js';
import { type Kernel } from '../core/kernel/kernel.js';
import { type Simulation } from '../core/simulation.js';
import type { AppMemory } from './app-memory.js';
import { AppStop } from './app-error.js';

/** What `soc-fabric cc` makes a program export (besides its own functions). */
export interface AppExports {
  __indirect_function_table: WebAssembly.Table;
  __stack_pointer: WebAssembly.Global;
  __heap_base: WebAssembly.Global;
  _initialize?: () => void;
  app_main?: () => void;
  __sf_tick_rate_hz: () => number;
  asyncify_start_unwind: (data: number) => void;
  asyncify_stop_unwind: () => void;
  asyncify_start_rewind: (data: number) => void;
  asyncify_stop_rewind: () => void;
  asyncify_get_state: () => number;
}

// asyncify_get_state(): 0 normal, 1 unwinding, 2 rewinding
const UNWINDING = 1;
const REWINDING = 2;

/** Bytes of a task's Asyncify buffer: the locals of every frame between the task's entry and its blocking call. */
export const ASYNCIFY_BYTES = 8192;
/** Smallest C stack a task gets: wasm frames are larger than Xtensa/RISC-V ones for the same code. */
export const MIN_TASK_STACK = 16384;
/** The stack ISR callbacks run on when no task is running. */
export const ISR_STACK = 16384;

/** A FreeRTOS task of the program: its own C stack and Asyncify buffer. */
export class AppTask {
  /** Where the C stack pointer was when the task last blocked. */
  sp: number;
  /** The blocking call's result, handed back when the task rewinds into it. */
  resume = 0;
  pending: Promise<number> | undefined;
  /** The call it is blocked in, for messages. */
  blockedIn: string | undefined;
  state: 'ready' | 'running' | 'blocked' | 'done' = 'ready';
  /** The FreeRTOS notification value (ulTaskNotifyTake / xTaskNotifyGive). */
  notifyValue = 0;
  notifyWaiter: ((v: number) => void) | undefined;
  done: Promise<void> = Promise.resolve();
  /** Ended by vTaskDelete(NULL): blocked for good, and not counted as live. */
  deleted = false;

  constructor(
    readonly handle: number,
    readonly name: string,
    readonly priority: number,
    readonly stackTop: number,
    readonly asyncifyData: number,
  ) {
    this.sp = stackTop;
  }
}

/**
 * Runs the program's tasks as simulation tasks, one wasm instance for all of them. A blocking call (a host
 * function made with `blocking`) unwinds the task's wasm stack with binaryen's Asyncify into the task's own
 * buffer and returns to the simulation task, which awaits the call's promise in simulated time and then
 * rewinds into the call, which now returns the promise's value. Each task has its own C stack: the runner
 * sets `__stack_pointer` whenever it enters wasm for a task. Callbacks (ISRs) run on the current stack when
 * called from inside a host function, else on a stack of their own; they must not block.
 */
export class TaskRunner {
  readonly kernel: Kernel;
  current: AppTask | undefined;
  readonly tasks: AppTask[] = [];
  private depth = 0;
  private isr = 0;
  private isrStackTop = 0;
  private readonly fns = new Map<number, (...a: number[]) => number | undefined>();
  /** Set once the program has stopped: nothing enters wasm any more. */
  stopped = false;
  /** Hears that a task ended (returned, or deleted itself). */
  onTaskEnd: (() => void) | undefined;

  constructor(
    readonly sim: Simulation,
    readonly exports: AppExports,
    private readonly mem: AppMemory,
    private readonly onStop: (e: unknown, task: AppTask | undefined) => void,
  ) {
    this.kernel = sim.get(Core.Kernel);
  }

  /** Sets the stack ISR callbacks use when no task is running. */
  setIsrStack(top: number): void {
    this.isrStackTop = top;
  }

  /** Whether code is running in ISR context (a callback) now. */
  get inIsr(): boolean {
    return this.isr > 0;
  }

  /** Starts `task`, running `entry` (a call into wasm) as a simulation task from this instant. */
  start(task: AppTask, entry: () => void): void {
    this.tasks.push(task);
    task.done = this.sim.spawn(`c:${task.name}`, async () => {
      let sp = task.stackTop;
      for (;;) {
        if (this.stopped) return;
        this.enter(task, sp);
        try {
          entry();
        } catch (e) {
          this.leave();
          task.state = 'done';
          this.stop(e, task);
          return;
        }
        this.leave();
        if (this.exports.asyncify_get_state() !== UNWINDING) {
          task.state = 'done';
          this.onTaskEnd?.();
          return;
        }
        this.exports.asyncify_stop_unwind();
        task.sp = sp = this.exports.__stack_pointer.value as number;
        task.state = 'blocked';
        const value = await task.pending!;
        task.pending = undefined;
        task.blockedIn = undefined;
        if (this.stopped) return;
        task.resume = value;
        this.exports.asyncify_start_rewind(task.asyncifyData);
      }
    }).done;
  }

  /**
   * A host function that may block: `impl` answers at once (a number) or with a promise of the answer, in
   * which case the calling task is suspended until it settles.
   */
  blocking<A extends number[]>(
    name: string,
    impl: (task: AppTask, ...args: A) => number | Promise<number>,
  ): (...args: A) => number {
    return (...args: A): number => {
      const ex = this.exports;
      const task = this.current;
      if (ex.asyncify_get_state() === REWINDING) {
        ex.asyncify_stop_rewind();
        return task!.resume;
      }
      if (!task || this.isr > 0) {
        throw new AppStop(
          { status: 1, message: `${name} called from ISR context (a callback), where it must not block` },
          'abort',
        );
      }
      const r = impl(task, ...args);
      if (typeof r === 'number') return r;
      task.pending = r;
      task.blockedIn = name;
      const data = task.asyncifyData;
      this.mem.setU32(data, data + 8);
      this.mem.setU32(data + 4, data + ASYNCIFY_BYTES);
      ex.asyncify_start_unwind(data);
      return 0;
    };
  }

  /**
   * Calls C function pointer `fn` in ISR context (a driver callback at its simulated instant); its result, or 0
   * when the program has stopped. A failure inside stops the program.
   */
  callIsr(fn: number, ...args: number[]): number {
    if (this.stopped) return 0;
    const f = this.fnAt(fn);
    if (f === undefined) {
      this.stop(
        new AppStop({ status: 1, message: `callback 0x${fn.toString(16)} is not a function of the program` }, 'abort'),
        this.current,
      );
      return 0;
    }
    const outer = this.depth === 0;
    // From the run loop no task is in wasm: the ISR gets its own stack (the next task entry sets its own again).
    // From inside a host function it runs on the caller's stack, below the caller's frames.
    if (outer) this.exports.__stack_pointer.value = this.isrStackTop;
    this.depth++;
    this.isr++;
    try {
      return (f(...args) ?? 0) | 0;
    } catch (e) {
      if (!outer) throw e; // inside a host function: the task running it stops with it
      this.stop(e, undefined);
      return 0;
    } finally {
      this.isr--;
      this.depth--;
    }
  }

  /** The function at table index `i` (looked up once: callbacks are called again and again). */
  private fnAt(i: number): ((...a: number[]) => number | undefined) | undefined {
    let f = this.fns.get(i);
    if (f === undefined) {
      const t = this.exports.__indirect_function_table;
      const g = i > 0 && i < t.length ? t.get(i) : null;
      if (typeof g !== 'function') return undefined;
      f = g as (...a: number[]) => number | undefined;
      this.fns.set(i, f);
    }
    return f;
  }

  /** Runs `fn` as plain (non-task) wasm code on the ISR stack: constructors, say. */
  callPlain(fn: () => void): void {
    const spBefore = this.exports.__stack_pointer.value as number;
    this.depth++;
    try {
      fn();
    } finally {
      this.depth--;
      this.exports.__stack_pointer.value = spBefore;
    }
  }

  /** Stops the program for good (trap, abort, exit): no task or callback runs again. */
  stop(e: unknown, task: AppTask | undefined): void {
    if (this.stopped) return;
    this.stopped = true;
    this.onStop(e, task);
  }

  /** Tasks that have not ended, with what they block in. */
  live(): AppTask[] {
    return this.tasks.filter((t) => t.state !== 'done' && !t.deleted);
  }

  private enter(task: AppTask, sp: number): void {
    this.current = task;
    task.state = 'running';
    this.depth++;
    this.exports.__stack_pointer.value = sp;
  }

  private leave(): void {
    this.depth--;
    this.current = undefined;
  }
}
