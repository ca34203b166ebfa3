import 'reflect-metadata';
import { Container, ContainerModule, type Bind, type BindToFluentSyntax, type ContainerModuleLoadOptions } from 'inversify';
import { EventBus, type SimEvent } from './bus/event-bus.js';
import { FaultLog, type SimFault } from './bus/faults.js';
import { CpuModel, type Cpu } from './cpu.js';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE, ESP_ERR_NOT_SUPPORTED, SimulationError } from './errors.js';
import { Kernel, type KernelOptions, type ScheduledEvent } from './kernel/kernel.js';
import { MemoryMap, type Memory } from './memory/memory.js';
import { Lifecycle, TraceSinks, type LifecycleContribution } from './plugin/lifecycle.js';
import type { Plugin } from './plugin/plugin.js';
import { isContributionPoint, tokenName, type ServiceIdentifier } from './plugin/tokens.js';
import { releaseContainer, trackContainer } from './plugin/container-release.js';
import { Random } from './random.js';
import { checkIdfVersion, idfInfo, type IdfInfo, type IdfVersion } from './idf.js';
import { validateTarget } from './target/schema.js';
import type { TargetCaps, TargetDefinition } from './target/target.js';
import { Core, type TargetInfo } from './tokens.js';

/** Default CPU access cost of internal memory when a region gives none: one cycle per 4 bytes each way. */
function defaultCpuCost(freqHz: number): { readPsPerByte: number; writePsPerByte: number } {
  const ps = 1e12 / freqHz / 4;
  return { readPsPerByte: ps, writePsPerByte: ps };
}

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

  /** @internal use createSimulation */
  constructor(
    private readonly container: Container,
    parts: { kernel: Kernel; bus: EventBus; faults: FaultLog; memory: MemoryMap; cpu: Cpu; random: Random; target: TargetInfo },
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
  get now(): number { return this.kernel.now; }

  /** Faults recorded so far (throwing subscribers, events and tasks), in order. */
  get faults(): readonly SimFault[] { return this.faultLog.entries; }

  /** Kernel events run so far. */
  get eventsRun(): number { return this.kernel.eventsRun; }

  /** A plugin's service; EspError ESP_ERR_NOT_SUPPORTED naming the target when it has none. */
  get<T>(token: ServiceIdentifier<T>): T {
    if (this.disposed) throw new EspError(ESP_ERR_INVALID_STATE, `get(${tokenName(token)}): the simulation has been disposed`);
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
  stop(): void { this.kernel.stop(); }

  /** Runs until no event is left, or until the absolute time `until` (ps). */
  run(opts: { until?: number } = {}): Promise<void> {
    if (opts === null || typeof opts !== 'object') throw new EspError(ESP_ERR_INVALID_ARG, 'run: options must be an object');
    return this.kernel.run(opts.until ?? Infinity);
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
    for (const { plugin, l } of [...this.lifecycle].reverse()) {
      try { await l.dispose?.(); } catch (e) { this.faultLog.report(`plugin "${plugin}": dispose`, e); }
    }
    this.bus.complete();
    (this.memory as MemoryMap).dispose();
    releaseContainer(this.container);
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
class ContributionError extends SimulationError {
  constructor(readonly plugin: string, readonly error: unknown) {
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
function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

/**
 * Binds one contribution of `plugin` to a contribution point: under a token of its own, with the point
 * resolving to it through a wrapper, so that whoever collects the point and fails on this contribution
 * blames `plugin` (ContributionError) rather than itself.
 */
function bindContribution<T>(options: ContainerModuleLoadOptions, point: ServiceIdentifier<T>, plugin: string): BindToFluentSyntax<T> {
  const own: ServiceIdentifier<T> = Symbol(`${tokenName(point)} of ${plugin}`);
  options.bind(point).toDynamicValue((ctx) => {
    try {
      return ctx.get(own);
    } catch (e) {
      throw new ContributionError(plugin, e);
    }
  });
  return options.bind(own);
}

/**
 * Loads `plugin` into `container`, recording which tokens it binds; a token owned elsewhere is refused. Its
 * Lifecycle contributions are bound under a token of the plugin's own, so that a failing start names it.
 */
function loadPlugin(container: Container, plugin: Plugin, owners: Map<ServiceIdentifier<unknown>, string>, sim: Simulation): void {
  let lifecycleToken: ServiceIdentifier<LifecycleContribution> | undefined;
  const wrapped = new ContainerModule((options) => {
    const bind: Bind = <T>(token: ServiceIdentifier<T>) => {
      if (token === Lifecycle) {
        if (lifecycleToken === undefined) {
          lifecycleToken = Symbol(`Lifecycle of ${plugin.name}`);
          sim.addPluginLifecycle(plugin.name, lifecycleToken);
        }
        return options.bind(lifecycleToken as ServiceIdentifier<T>);
      }
      if (isContributionPoint(token)) return bindContribution(options, token, plugin.name);
      const owner = owners.get(token);
      if (owner !== undefined) {
        throw new SimulationError(`binds ${tokenName(token)}, which ${owner === 'core' ? 'the core' : `plugin "${owner}"`} already provides`);
      }
      owners.set(token, plugin.name);
      return options.bind(token);
    };
    return plugin.module.load({ ...options, bind });
  });
  try {
    container.load(wrapped);
  } catch (e) {
    throw new SimulationError(`plugin "${plugin.name}" failed to load: ${oneLine(e)}`);
  }
}

/** How a simulation is assembled once its target is known. */
export interface AssembleOptions {
  /** Seed of the simulation's PRNG (an unsigned 32-bit integer, default 1). */
  seed?: number;
  /** Kernel tuning: the runaway limit (`maxEventsPerInstant`) and the timing wheel's shape. */
  kernel?: KernelOptions;
  /** The ESP-IDF version to model (default: the target's `idf`, else the current release, core/idf.ts). */
  idf?: IdfVersion;
}

/** Checks a seed before anything is built: an unsigned 32-bit integer (default 1). */
export function checkSeed(seed: unknown): number {
  const s = seed ?? 1;
  if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s > 0xffffffff) {
    throw new EspError(ESP_ERR_INVALID_ARG, `createSimulation: seed must be an unsigned 32-bit integer, got ${String(s)}`);
  }
  return s;
}

/**
 * Assembles a simulation of one target from its plugins. Needs no config file and no Node API: the
 * name-resolving `createSimulation` (create-simulation.ts) and the browser build both come here.
 */
export function assembleSimulation(definition: TargetDefinition, opts: AssembleOptions = {}): Simulation {
  const seed = checkSeed(opts.seed);
  const idfVersion = checkIdfVersion(opts.idf ?? (definition as Partial<TargetDefinition> | undefined)?.idf);
  const def = validateTarget(definition);
  const idf = idfInfo(idfVersion);

  const container = new Container({ defaultScope: 'Singleton' });
  trackContainer(container);
  let kernelRef: Kernel | undefined;
  const faults = new FaultLog(() => kernelRef?.now ?? 0);
  const kernel = (kernelRef = new Kernel((s, e) => faults.report(s, e), opts.kernel));
  const bus = new EventBus(() => kernel.now, (s, e) => faults.report(s, e), () => kernel.userCodeRan());
  const memory = new MemoryMap(def.memory, defaultCpuCost(def.cpu.freqHz));
  const cpu = new CpuModel(def.cpu, memory, kernel, bus);
  const random = new Random(seed);
  const target: TargetInfo = { name: def.name, caps: def.caps, definition: def, idf };

  const owners = new Map<ServiceIdentifier<unknown>, string>();
  const core: [ServiceIdentifier<unknown>, unknown][] = [
    [Core.Kernel, kernel], [Core.Bus, bus], [Core.Memory, memory], [Core.Target, target],
    [Core.Random, random], [Core.Faults, faults], [Core.Cpu, cpu], [Core.Idf, idf],
  ];
  for (const [token, value] of core) { container.bind(token).toConstantValue(value); owners.set(token, 'core'); }
  const sim = new Simulation(container, { kernel, bus, faults, memory, cpu, random, target });
  container.bind(Core.Simulation).toConstantValue(sim);
  owners.set(Core.Simulation, 'core');

  for (const plugin of def.plugins) loadPlugin(container, plugin, owners, sim);
  for (const plugin of def.plugins) {
    for (const req of plugin.requires ?? []) {
      if (!container.isBound(req)) {
        throw new SimulationError(`plugin "${plugin.name}" requires ${tokenName(req)}, which target "${def.name}" does not provide`);
      }
    }
  }
  sim.startPlugins();
  return sim;
}
