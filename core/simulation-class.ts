import type { Container } from 'inversify';
import type { EventBus, SimEvent } from './bus/event-bus.js';
import type { FaultLog, SimFault } from './bus/faults.js';
import type { Cpu } from './cpu.js';
import {
  EspError,
  ESP_ERR_INVALID_ARG,
  ESP_ERR_INVALID_STATE,
  ESP_ERR_NOT_SUPPORTED,
  SimulationError,
} from './errors.js';
import { releaseContainer } from './plugin/container-release.js';
import type { Kernel, ScheduledEvent } from './kernel/kernel.js';
import type { Memory, MemoryMap } from './memory/memory.js';
import { Lifecycle, TraceSinks, type LifecycleContribution } from './plugin/lifecycle.js';
import { tokenName, type ServiceIdentifier } from './plugin/tokens.js';
import type { IdfInfo } from './idf.js';
import type { Random } from './random.js';
import type { TargetInfo } from './target/target-info.js';
import type { TargetCaps } from './target/target.js';
import { Checkers } from './diagnostics/checker.js';
import type { DiagnosticsService } from './diagnostics/diagnostics.js';
import type { Finding } from './diagnostics/finding.js';

const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

// The Simulation class lives apart from its assembly (simulation.ts) so that core/tokens.ts can name its type
// without an import cycle: simulation.ts binds the Core tokens, and the tokens name this class.

/** A running simulation of one target: the object firmware-like code and experiments drive. */
export class Simulation {
  readonly target: { readonly name: string; readonly caps: TargetCaps };
  readonly memory: Memory;
  readonly bus: EventBus;
  readonly cpu: Cpu;
  readonly random: Random;
  readonly seed: number;
  /** The ESP-IDF version modelled. */
  readonly idf: IdfInfo;
  private readonly kernel: Kernel;
  private readonly faultLog: FaultLog;
  private lifecycle: { plugin: string; l: LifecycleContribution }[] = [];
  /** Each plugin's Lifecycle contributions, bound under a token of its own so that a failure names the plugin. */
  private readonly pluginLifecycles: { plugin: string; token: ServiceIdentifier<LifecycleContribution> }[] = [];
  private disposed = false;
  /** Set when the simulation was created with `checks`. */
  private diag: DiagnosticsService | undefined;

  /** @internal use createSimulation */
  constructor(
    private readonly container: Container,
    parts: {
      kernel: Kernel;
      bus: EventBus;
      faults: FaultLog;
      memory: MemoryMap;
      cpu: Cpu;
      random: Random;
      target: TargetInfo;
    },
  ) {
    this.kernel = parts.kernel;
    this.bus = parts.bus;
    this.faultLog = parts.faults;
    this.memory = parts.memory;
    this.cpu = parts.cpu;
    this.random = parts.random;
    this.seed = parts.random.seed;
    this.idf = parts.target.idf!;
    this.target = { name: parts.target.name, caps: parts.target.caps };
  }

  /** Current simulated time, in picoseconds. */
  get now(): number {
    return this.kernel.now;
  }

  /** Faults recorded so far (throwing subscribers, events and tasks), in order. */
  get faults(): readonly SimFault[] {
    return this.faultLog.entries;
  }

  /** Findings of the checkers so far, in time order (always empty when created without `checks`). */
  get diagnostics(): readonly Finding[] {
    return this.diag?.findings ?? NO_FINDINGS;
  }

  /** Kernel events run so far. */
  get eventsRun(): number {
    return this.kernel.eventsRun;
  }

  /** A plugin's service; EspError ESP_ERR_NOT_SUPPORTED naming the target when it has none. */
  get<T>(token: ServiceIdentifier<T>): T {
    if (this.disposed)
      throw new EspError(ESP_ERR_INVALID_STATE, `get(${tokenName(token)}): the simulation has been disposed`);
    if (!this.container.isBound(token)) {
      throw new EspError(ESP_ERR_NOT_SUPPORTED, `target "${this.target.name}" has no ${tokenName(token)} service`);
    }
    return this.container.get<T>(token);
  }

  /** Whether the target provides `token`. */
  has(token: ServiceIdentifier<unknown>): boolean {
    return this.container.isBound(token);
  }

  /** Raw kernel access: runs `fn` `delayPs` from now. */
  schedule(delayPs: number, fn: () => void, source?: string): ScheduledEvent {
    return this.kernel.schedule(delayPs, fn, source);
  }

  /** Runs `body` as a firmware-like task from the current instant. */
  spawn(name: string, body: () => Promise<void>): { readonly done: Promise<void> } {
    return this.kernel.spawn(name, body);
  }

  /** Resolves `ps` picoseconds from now. */
  delay(ps: number): Promise<void> {
    return this.kernel.delay(ps);
  }

  /**
   * Makes a `run` in progress return early (no error): at once from a task, within 65,536 events from the
   * host (a signal handler). The CLI's Ctrl-C uses it to close the traces of an interrupted run.
   */
  stop(): void {
    this.kernel.stop();
  }

  /** Runs until no event is left, or until the absolute time `until` (ps). */
  run(opts: { until?: number } = {}): Promise<void> {
    if (opts === null || typeof opts !== 'object')
      throw new EspError(ESP_ERR_INVALID_ARG, 'run: options must be an object');
    const run = this.kernel.run(opts.until ?? Infinity);
    const diag = this.diag;
    return diag === undefined ? run : run.then(() => diag.endOfRun());
  }

  /**
   * Hears `(nowPs, eventsRun)` every 65,536 kernel events while `run` works (a progress display for long
   * runs); undefined removes it. Called synchronously from the event loop: keep it cheap.
   */
  setProgressListener(listener: ((nowPs: number, eventsRun: number) => void) | undefined): void {
    this.kernel.setProgressListener(listener && ((now) => listener(now, this.kernel.eventsRun)));
  }

  /** Stops the simulation: pending events are dropped, streams complete, plugins and trace sinks close. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.kernel.dispose();
    this.diag?.dispose();
    for (const { plugin, l } of [...this.lifecycle].reverse()) {
      try {
        await l.dispose?.();
      } catch (e) {
        this.faultLog.report(`plugin "${plugin}": dispose`, e);
      }
    }
    this.bus.complete();
    (this.memory as MemoryMap).dispose();
    releaseContainer(this.container);
  }

  /** @internal Starts the checkers (after the plugins): `checks` was given to createSimulation. */
  startDiagnostics(service: DiagnosticsService): void {
    this.diag = service;
    try {
      service.start(this.container.isBound(Checkers) ? this.container.getAll(Checkers) : []);
    } catch (e) {
      const culprit = e instanceof ContributionError ? e : findCause(e);
      if (culprit)
        throw new SimulationError(`plugin "${culprit.plugin}" failed to start its checker: ${oneLine(culprit.error)}`);
      throw e;
    }
  }

  /** @internal Records that `plugin` bound Lifecycle contributions under `token`. */
  addPluginLifecycle(plugin: string, token: ServiceIdentifier<LifecycleContribution>): void {
    this.pluginLifecycles.push({ plugin, token });
  }

  /**
   * @internal Starts the plugins' Lifecycle contributions in plugin order. A contribution that cannot be
   * resolved or whose `start` throws fails with one line naming its plugin.
   */
  startPlugins(): void {
    const started: { plugin: string; l: LifecycleContribution }[] = [];
    for (const { plugin, token } of this.pluginLifecycles) {
      try {
        for (const l of this.container.getAll(token)) started.push({ plugin, l });
      } catch (e) {
        throw startFailure(plugin, e);
      }
    }
    if (this.container.isBound(Lifecycle)) {
      for (const l of this.container.getAll(Lifecycle)) started.push({ plugin: 'core', l });
    }
    this.lifecycle = started;
    if (this.container.isBound(TraceSinks)) {
      for (const sink of this.container.getAll(TraceSinks)) {
        this.bus.listen((e: SimEvent) => sink.onEvent(e));
        this.lifecycle.push({ plugin: 'trace sink', l: { dispose: () => sink.close?.() } });
      }
    }
    for (const { plugin, l } of started) {
      try {
        l.start?.();
      } catch (e) {
        throw startFailure(plugin, e);
      }
    }
  }
}

/**
 * A contribution a plugin bound to a contribution point failed while another plugin (the ETM, the trace
 * writers) resolved it: the failure belongs to the contributing plugin, not to the one that collected it.
 */
export class ContributionError extends SimulationError {
  constructor(
    readonly plugin: string,
    readonly error: unknown,
  ) {
    super(oneLine(error));
  }
}

/** createSimulation's one line for a plugin that failed to start, naming the plugin at fault. */
function startFailure(plugin: string, e: unknown): SimulationError {
  const culprit = e instanceof ContributionError ? e : findCause(e);
  if (culprit) return new SimulationError(`plugin "${culprit.plugin}" failed to start: ${oneLine(culprit.error)}`);
  return new SimulationError(`plugin "${plugin}" failed to start: ${oneLine(e)}`);
}

/** A ContributionError anywhere in `e`'s cause chain (inversify wraps errors thrown while resolving). */
function findCause(e: unknown): ContributionError | undefined {
  for (let c: unknown = e, depth = 0; c instanceof Error && depth < 10; c = c.cause, depth++) {
    if (c instanceof ContributionError) return c;
  }
  return undefined;
}

/** An error's message, cut to its first line (createSimulation's failures are one line). */
export function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}
