import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { crossoverChartSvg } from '../scenarios/dma-or-cpu-chart.js';
import { sweepReportLines, sweepTargets } from '../scenarios/dma-or-cpu.js';
import { findTarget, type SimConfig } from '../core/config/config.js';
import { EspError, ESP_ERR_INVALID_ARG } from '../core/errors.js';
import type { TargetDefinition } from '../core/target/target.js';

export interface ExperimentOptions {
  /** Write the experiment's chart here (SVG). */
  svg?: string;
  /** Targets of the config to run it on (default: those of the config that are faithful to silicon). */
  targets?: string[];
}

/** What `soc-fabric experiment NAME` can run. */
export const EXPERIMENTS: Record<string, { description: string; run(config: SimConfig, opts: ExperimentOptions, out: (line: string) => void): Promise<void> }> = {
  'dma-vs-cpu': {
    description: 'the DMA-or-CPU sweep (memcpy and SPI, transfer sizes from 16 B): a table per target and the crossover sizes; --svg draws them',
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
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new EspError(ESP_ERR_INVALID_ARG, `cannot write ${file}: folder ${dir} does not exist`);
  if (existsSync(file) && statSync(file).isDirectory()) throw new EspError(ESP_ERR_INVALID_ARG, `cannot write ${file}: it is a folder`);
}

async function dmaVsCpu(config: SimConfig, opts: ExperimentOptions, out: (line: string) => void): Promise<void> {
  const targets = experimentTargets(config, opts.targets);
  if (opts.svg !== undefined) checkOutputFile(opts.svg);
  const sweeps = await sweepTargets(targets);
  for (const line of sweepReportLines(sweeps)) out(line);
  if (opts.svg !== undefined) {
    writeFileSync(opts.svg, crossoverChartSvg(sweeps));
    out(`wrote the crossover chart to ${opts.svg}`);
  }
}
