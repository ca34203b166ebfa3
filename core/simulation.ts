import 'reflect-metadata';
import {
  Container,
  ContainerModule,
  type Bind,
  type BindToFluentSyntax,
  type ContainerModuleLoadOptions,
} from 'inversify';
import { EventBus } from './bus/event-bus.js';
import { FaultLog } from './bus/faults.js';
import { CpuModel } from './cpu.js';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_NOT_SUPPORTED, SimulationError } from './errors.js';
import { Kernel, type KernelOptions } from './kernel/kernel.js';
import { MemoryMap } from './memory/memory.js';
import { Lifecycle, type LifecycleContribution } from './plugin/lifecycle.js';
import type { Plugin } from './plugin/plugin.js';
import { isContributionPoint, tokenName, type ServiceIdentifier } from './plugin/tokens.js';
import { trackContainer } from './plugin/container-release.js';
import { Random } from './random.js';
import { checkIdfVersion, idfInfo, type IdfVersion } from './idf.js';
import { ContributionError, oneLine, Simulation } from './simulation-class.js';
import type { TargetInfo } from './target/target-info.js';
import { validateTarget, type TargetDefinition } from './target/target.js';
import { Core } from './tokens.js';
import { DiagnosticsService, type ChecksOption } from './diagnostics/diagnostics.js';
import { Diagnostics } from './diagnostics/tokens.js';
import { diagnosticsTraceModel } from './diagnostics/trace.js';
import { TraceModels } from './trace/trace-model.js';
import { DataCache } from './memory/cache/data-cache.js';
import { CacheServiceImpl } from './memory/cache/msync.js';
import { cacheChecker } from './memory/cache/findings.js';
import { Checkers } from './diagnostics/checker.js';

export { Simulation } from './simulation-class.js';

/** Default CPU access cost of internal memory when a region gives none: one cycle per 4 bytes each way. */
function defaultCpuCost(freqHz: number): { readPsPerByte: number; writePsPerByte: number } {
  const ps = 1e12 / freqHz / 4;
  return { readPsPerByte: ps, writePsPerByte: ps };
}

/**
 * Binds one contribution of `plugin` to a contribution point: under a token of its own, with the point
 * resolving to it through a wrapper, so that whoever collects the point and fails on this contribution
 * blames `plugin` (ContributionError) rather than itself.
 */
function bindContribution<T>(
  options: ContainerModuleLoadOptions,
  point: ServiceIdentifier<T>,
  plugin: string,
): BindToFluentSyntax<T> {
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
function loadPlugin(
  container: Container,
  plugin: Plugin,
  owners: Map<ServiceIdentifier<unknown>, string>,
  sim: Simulation,
): void {
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
        throw new SimulationError(
          `binds ${tokenName(token)}, which ${owner === 'core' ? 'the core' : `plugin "${owner}"`} already provides`,
        );
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
  /**
   * Diagnostics: `true` runs every checker, a list selects rules (ids, dotted prefixes like 'dma', or checker
   * names). Off (the default), no checker is resolved and nothing subscribes: the run costs what it did.
   */
  checks?: ChecksOption;
  /**
   * The data cache coherency model (core/memory/cache): CPU accesses to external memory go through a write-back
   * cache with the target's line size (caps.cache), DMA reaches the physical bytes, and stale data is what
   * silicon would give. Off (the default), memory is coherent and costs what it did. ESP_ERR_NOT_SUPPORTED on a
   * target without caps.cache.
   */
  cache?: boolean;
}

/** Checks `cache` before anything is built. */
export function checkCacheOption(cache: unknown): boolean {
  if (cache === undefined || typeof cache === 'boolean') return cache ?? false;
  throw new EspError(ESP_ERR_INVALID_ARG, `createSimulation: cache must be true or false, got ${String(cache)}`);
}

/** Checks `checks` before anything is built. */
export function checkChecks(checks: unknown): ChecksOption {
  if (checks === undefined || typeof checks === 'boolean') return checks ?? false;
  if (Array.isArray(checks) && checks.every((c) => typeof c === 'string' && c.length > 0)) return checks as string[];
  throw new EspError(
    ESP_ERR_INVALID_ARG,
    'createSimulation: checks must be true, false or a list of rule ids / checker names',
  );
}

/** Checks a seed before anything is built: an unsigned 32-bit integer (default 1). */
export function checkSeed(seed: unknown): number {
  const s = seed ?? 1;
  if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s > 0xffffffff) {
    throw new EspError(
      ESP_ERR_INVALID_ARG,
      `createSimulation: seed must be an unsigned 32-bit integer, got ${String(s)}`,
    );
  }
  return s;
}

/**
 * Assembles a simulation of one target from its plugins. Needs no config file and no Node API: the
 * name-resolving `createSimulation` (create-simulation.ts) and the browser build both come here.
 */
export function assembleSimulation(definition: TargetDefinition, opts: AssembleOptions = {}): Simulation {
  const seed = checkSeed(opts.seed);
  const checks = checkChecks(opts.checks);
  const cacheOn = checkCacheOption(opts.cache);
  const idfVersion = checkIdfVersion(opts.idf ?? (definition as Partial<TargetDefinition> | undefined)?.idf);
  const def = validateTarget(definition);
  const idf = idfInfo(idfVersion);
  if (cacheOn && def.caps.cache === undefined)
    throw new EspError(
      ESP_ERR_NOT_SUPPORTED,
      `createSimulation: cache: target "${def.name}" has no data cache in front of external memory (caps.cache)`,
    );

  const container = new Container({ defaultScope: 'Singleton' });
  trackContainer(container);
  let kernelRef: Kernel | undefined;
  const faults = new FaultLog(() => kernelRef?.now ?? 0);
  const kernel = (kernelRef = new Kernel((s, e) => faults.report(s, e), opts.kernel));
  const bus = new EventBus(
    () => kernel.now,
    (s, e) => faults.report(s, e),
    () => kernel.userCodeRan(),
  );
  const memory = new MemoryMap(def.memory, defaultCpuCost(def.cpu.freqHz));
  const cpu = new CpuModel(def.cpu, memory, kernel, bus);
  const random = new Random(seed);
  const target: TargetInfo = { name: def.name, caps: def.caps, definition: def, idf };

  const owners = new Map<ServiceIdentifier<unknown>, string>();
  const core: [ServiceIdentifier<unknown>, unknown][] = [
    [Core.Kernel, kernel],
    [Core.Bus, bus],
    [Core.Memory, memory],
    [Core.Target, target],
    [Core.Random, random],
    [Core.Faults, faults],
    [Core.Cpu, cpu],
    [Core.Idf, idf],
  ];
  for (const [token, value] of core) {
    container.bind(token).toConstantValue(value);
    owners.set(token, 'core');
  }
  const sim = new Simulation(container, { kernel, bus, faults, memory, cpu, random, target });
  container.bind(Core.Simulation).toConstantValue(sim);
  owners.set(Core.Simulation, 'core');
  // Checks on: the service exists before the plugins load, so that models may inject it (optionally).
  const checksOn = checks === true || (Array.isArray(checks) && checks.length > 0);
  const diagnostics = checksOn ? new DiagnosticsService(() => kernel.now, bus, checks) : undefined;
  if (diagnostics) {
    container.bind(Diagnostics).toConstantValue(diagnostics);
    owners.set(Diagnostics, 'core');
    container.bind(TraceModels).toConstantValue(diagnosticsTraceModel());
  }
  // the data cache: esp_cache_msync always (it checks its arguments whether or not the model runs), the model on request
  const dataCache = cacheOn
    ? new DataCache(def.caps.cache!, diagnostics ? (f) => diagnostics.report(f) : undefined)
    : undefined;
  if (dataCache) memory.attachCache(dataCache);
  container.bind(Core.Cache).toConstantValue(new CacheServiceImpl(def.caps.cache, memory, idf, dataCache, diagnostics));
  owners.set(Core.Cache, 'core');
  if (def.caps.cache && diagnostics) container.bind(Checkers).toConstantValue(cacheChecker());

  for (const plugin of def.plugins) loadPlugin(container, plugin, owners, sim);
  for (const plugin of def.plugins) {
    for (const req of plugin.requires ?? []) {
      if (!container.isBound(req)) {
        throw new SimulationError(
          `plugin "${plugin.name}" requires ${tokenName(req)}, which target "${def.name}" does not provide`,
        );
      }
    }
  }
  sim.startPlugins();
  if (diagnostics) sim.startDiagnostics(diagnostics);
  return sim;
}
