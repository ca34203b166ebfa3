import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { crossoverChartSvg } from '../scenarios/dma-or-cpu-chart.js';
import { sweepReportLines } from '../scenarios/dma-or-cpu.js';
import { dmaVsCpuSweep, targetSweepsOf } from '../scenarios/dma-or-cpu-sweep.js';
import { runSweep } from '../sweep/runner.js';
import type { SweepRecord } from '../sweep/record.js';
import { findTarget, type SimConfig } from '../core/config/config.js';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE } from '../core/errors.js';
import type { TargetDefinition } from '../core/target/target.js';

export interface ExperimentOptions {
  /** Write the experiment's chart here (SVG). */
  svg?: string;
  /** Targets of the config to run it on (default: those of the config that are faithful to silicon). */
  targets?: string[];
  /** The config file `config` came from (workers load it too); undefined for the package's own. */
  configPath?: string;
  /** Worker threads for the experiment's sweep (default: the available cores). */
  jobs?: number;
}

/** What `soc-fabric experiment NAME` can run. */
export const EXPERIMENTS: Record<
  string,
  { description: string; run(config: SimConfig, opts: ExperimentOptions, out: (line: string) => void): Promise<void> }
> = {
  'dma-vs-cpu': {
    description:
      'the DMA-or-CPU sweep (memcpy and SPI, transfer sizes from 16 B; the sweep dma-vs-cpu): a table per target and the crossover sizes; --svg draws them',
    run: dmaVsCpu,
  },
};

/**
 * The targets an experiment runs on: those named (each must be in the config), else the config's targets with
 * nothing beyond silicon, else all of them.
 */
export function experimentTargets(config: SimConfig, names: readonly string[] | undefined): TargetDefinition[] {
  if (names) return names.map((n) => findTarget(config, n));
  const faithful = config.targets.filter((t) => t.caps.beyondSilicon.length === 0);
  return faithful.length > 0 ? faithful : config.targets;
}

/** Refuses a chart path that cannot be written, before any work is done. */
function checkOutputFile(file: string): void {
  const dir = dirname(resolve(file));
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new EspError(ESP_ERR_INVALID_ARG, `cannot write ${file}: folder ${dir} does not exist`);
  if (existsSync(file) && statSync(file).isDirectory())
    throw new EspError(ESP_ERR_INVALID_ARG, `cannot write ${file}: it is a folder`);
}

async function dmaVsCpu(config: SimConfig, opts: ExperimentOptions, out: (line: string) => void): Promise<void> {
  const targets = experimentTargets(config, opts.targets).map((t) => t.name);
  if (opts.svg !== undefined) checkOutputFile(opts.svg);
  const records: SweepRecord[] = [];
  await runSweep({
    name: dmaVsCpuSweep.name,
    configPath: opts.configPath,
    jobs: opts.jobs,
    params: { target: targets },
    onRecord: (r) => {
      records.push(r);
    },
  });
  const failed = records.filter((r) => r.error !== undefined).sort((a, b) => a.index - b.index)[0];
  if (failed)
    throw new EspError(ESP_ERR_INVALID_STATE, `point ${JSON.stringify(failed.params)} failed: ${failed.error}`);
  const sweeps = targetSweepsOf(records, targets);
  for (const line of sweepReportLines(sweeps)) out(line);
  if (opts.svg !== undefined) {
    writeFileSync(opts.svg, crossoverChartSvg(sweeps));
    out(`wrote the crossover chart to ${opts.svg}`);
  }
}
