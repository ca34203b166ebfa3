import { defineConfig, findTarget, type SimConfig } from './core/config/config.js';
import { EspError, ESP_ERR_INVALID_ARG } from './core/errors.js';
import type { KernelOptions } from './core/kernel/kernel.js';
import { checkIdfVersion, type IdfVersion } from './core/idf.js';
import { assembleSimulation, checkCacheOption, checkChecks, checkSeed, type Simulation } from './core/simulation.js';
import type { ChecksOption } from './core/diagnostics/diagnostics.js';
import type { TargetDefinition } from './core/target/target.js';
import builtInConfig from './sim.config.js';

/** What createSimulation takes. */
export interface CreateSimulationOptions {
  /** A target name from the config, or a target definition. */
  target: string | TargetDefinition;
  /** A config file path or a config object (default: the package's sim.config.ts). */
  config?: string | SimConfig;
  /** Seed of the simulation's PRNG (an unsigned 32-bit integer, default 1). */
  seed?: number;
  /** Kernel tuning: the runaway limit (`maxEventsPerInstant`) and the timing wheel's shape. */
  kernel?: KernelOptions;
  /**
   * The ESP-IDF version whose driver behaviour to model where it changed between releases ('5.0' .. '5.5',
   * 'master'; default: the target's `idf`, else the current release, '5.5').
   */
  idf?: IdfVersion;
  /** Diagnostics: `true` runs every checker, a list selects rules or checkers (default off: no cost). */
  checks?: ChecksOption;
  /** The data cache coherency model (default off: memory is coherent and costs what it did). */
  cache?: boolean;
}

/** The package's own config (sim.config.ts), as built: no file is loaded to get it. */
export function loadDefaultConfig(): Promise<SimConfig> {
  return Promise.resolve(builtInConfig);
}

/**
 * Assembles a simulation of one target. A target name is looked up in `config` (default: the package's
 * sim.config.ts); only a config given as a file path loads a file (Node only, through loadConfigFile).
 */
export async function createSimulation(opts: CreateSimulationOptions): Promise<Simulation> {
  if (opts === null || typeof opts !== 'object')
    throw new EspError(ESP_ERR_INVALID_ARG, 'createSimulation: options must be an object');
  checkSeed(opts.seed);
  if (opts.idf !== undefined) checkIdfVersion(opts.idf);
  checkChecks(opts.checks);
  checkCacheOption(opts.cache);
  let def: TargetDefinition;
  if (typeof opts.target === 'string') {
    def = findTarget(await resolveConfig(opts.config), opts.target);
  } else if (opts.target !== null && typeof opts.target === 'object') {
    def = opts.target;
  } else {
    throw new EspError(ESP_ERR_INVALID_ARG, 'createSimulation: target must be a target name or a target definition');
  }
  return assembleSimulation(def, {
    seed: opts.seed,
    kernel: opts.kernel,
    idf: opts.idf,
    checks: opts.checks,
    cache: opts.cache,
  });
}

async function resolveConfig(config: string | SimConfig | undefined): Promise<SimConfig> {
  if (config === undefined) return builtInConfig;
  if (typeof config === 'string') {
    const { loadConfigFile } = await import('./core/config/load-config.js');
    return loadConfigFile(config);
  }
  return defineConfig(config);
}
