import { EspError, ESP_ERR_INVALID_ARG } from './errors.js';
import type { Kernel } from './kernel/kernel.js';
import type { MemoryMap } from './memory/memory.js';
import type { CpuDefinition } from './target/target.js';
import { cyclesToPs } from './time.js';
import type { EventBus } from './bus/event-bus.js';

/** The CPU as far as DMA-or-CPU experiments need it: copies and busy work that take simulated time. */
export interface Cpu {
  readonly freqHz: number;
  /** Copies `n` bytes; resolves when the copy is done. One core: calls queue behind each other. */
  memcpy(dst: number, src: number, n: number): Promise<void>;
  /** Keeps the core busy for `cycles` cycles (work done in parallel with DMA, say). */
  work(cycles: number): Promise<void>;
  /**
   * Like `work`, but calls `done` (in a kernel event) instead of settling a promise: for drivers whose
   * interrupt-like phases chain on the CPU without waking the run loop for each.
   */
  workThen(cycles: number, done: () => void): void;
  /** The time `memcpy(dst, src, n)` would take, in ps, without doing it. */
  memcpyCost(dst: number, src: number, n: number): number;
  /** Interrupt latency, in CPU cycles: from the request to the handler's first instruction (CpuDefinition.interruptLatencyCycles). */
  readonly interruptLatencyCycles: number;
  /**
   * A driver's interrupt handler: the core takes the interrupt (`interruptLatencyCycles`), runs `cycles` of
   * handler, then calls `done` (in a kernel event). Queued behind whatever the core is doing, as `workThen`.
   * Publishes `cpu`/`isr-done` with `{ cycles, latencyCycles, startedAt }`. Task-level driver code (the
   * part of a C call before it returns) is `work` / `workThen`.
   */
  isr(cycles: number, done: () => void): void;
}

/**
 * One CPU core. A copy costs a fixed call overhead plus, per byte, the source region's read cost and the
 * destination region's write cost, plus a turnaround penalty when both sit on the same external bus (PSRAM
 * to PSRAM). The bytes move at the instant the copy completes.
 */
export class CpuModel implements Cpu {
  readonly freqHz: number;
  readonly interruptLatencyCycles: number;
  private busyUntil = 0;
  private readonly callPs: number;
  private readonly sharedBusPenalty: number;

  constructor(
    def: CpuDefinition,
    private readonly memory: MemoryMap,
    private readonly kernel: Kernel,
    private readonly bus: EventBus,
  ) {
    this.freqHz = def.freqHz;
    this.callPs = cyclesToPs(def.memcpyCallCycles ?? 20, def.freqHz);
    this.sharedBusPenalty = def.sharedBusPenaltyPsPerByte ?? 0;
    this.interruptLatencyCycles = def.interruptLatencyCycles ?? 0;
  }

  memcpyCost(dst: number, src: number, n: number): number {
    const s = this.memory.readableRegion(src, n, 'cpu.memcpy source');
    const d = this.memory.writableRegion(dst, n, 'cpu.memcpy destination');
    const perByte =
      s.cpu.readPsPerByte +
      d.cpu.writePsPerByte +
      (s.bus === d.bus && s.bus !== 'internal' ? this.sharedBusPenalty : 0);
    return this.callPs + Math.round(n * perByte);
  }

  memcpy(dst: number, src: number, n: number): Promise<void> {
    if (!Number.isSafeInteger(n) || n < 0)
      throw new EspError(ESP_ERR_INVALID_ARG, `cpu.memcpy: n must be a non-negative integer, got ${n}`);
    const cost = this.memcpyCost(dst, src, n);
    // a buffer an in-flight transfer holds is refused now, not when the copy lands
    this.memory.leases.check(src, n, 'cpu.memcpy source', undefined, 'read');
    this.memory.leases.check(dst, n, 'cpu.memcpy destination');
    return this.occupy(cost, 'memcpy', { dst, src, n }, () => this.memory.copy(dst, src, n));
  }

  work(cycles: number): Promise<void> {
    return this.occupy(this.workCost(cycles), 'work', { cycles }, () => undefined);
  }

  workThen(cycles: number, done: () => void): void {
    if (typeof done !== 'function') throw new EspError(ESP_ERR_INVALID_ARG, 'cpu.workThen: done must be a function');
    this.reserve(this.workCost(cycles), 'work', { cycles }, () => undefined, done);
  }

  isr(cycles: number, done: () => void): void {
    const cost = this.workCost(cycles) + cyclesToPs(this.interruptLatencyCycles, this.freqHz);
    this.reserve(cost, 'isr', { cycles, latencyCycles: this.interruptLatencyCycles }, () => undefined, done);
  }

  private workCost(cycles: number): number {
    if (typeof cycles !== 'number' || !Number.isFinite(cycles) || cycles < 0) {
      throw new EspError(ESP_ERR_INVALID_ARG, `cpu.work: cycles must be a non-negative number, got ${String(cycles)}`);
    }
    return cyclesToPs(cycles, this.freqHz);
  }

  private occupy(cost: number, what: string, data: Record<string, number>, effect: () => void): Promise<void> {
    const d = this.kernel.deferred<void>();
    this.reserve(
      cost,
      what,
      data,
      effect,
      () => d.resolve(),
      (e) => d.reject(e),
    );
    return d.promise;
  }

  /**
   * Books the core for `cost` ps after whatever it is already doing; at the end runs `effect`, publishes
   * `cpu`/`WHAT-done`, then calls `then`.
   */
  private reserve(
    cost: number,
    what: string,
    data: Record<string, number>,
    effect: () => void,
    then: () => void,
    fail?: (e: unknown) => void,
  ): void {
    const start = Math.max(this.kernel.now, this.busyUntil);
    const end = start + cost;
    if (!Number.isSafeInteger(end)) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `cpu.${what}: it would end at ${end} ps, past the last exact picosecond (2^53 ps, about 2.5 hours)`,
      );
    }
    // scheduled first: a refused booking (past the kernel's horizon, a disposed simulation) leaves the core free
    this.kernel.schedule(
      end - this.kernel.now,
      () => {
        // an effect refused when it lands (its buffer leased meanwhile) rejects the caller's promise: no hang
        if (fail) {
          try {
            effect();
          } catch (e) {
            fail(e);
            return;
          }
        } else effect();
        this.bus.publish('cpu', `${what}-done`, { ...data, startedAt: start });
        then();
      },
      'cpu',
    );
    this.busyUntil = end;
  }
}
