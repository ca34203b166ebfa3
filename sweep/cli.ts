import {
  closeSync,
  existsSync,
  ftruncateSync,
  openSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Command, CommanderError, InvalidArgumentError } from 'commander';
import type { CliIo } from '../cli/io.js';
import { renderTable } from '../cli/table.js';
import type { SweepAxes } from '../core/config/sweep.js';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_NOT_FOUND } from '../core/errors.js';
import { loadDefaultConfig } from '../create-simulation.js';
import { enumeratePoints, parseParamOption, pointKey } from './points.js';
import { SweepProgress } from './progress.js';
import { parseResults, recordLine } from './record.js';
import { bySweep, mergeResults, resultChartSvg, resultCsv, resultTable } from './report.js';
import { resolveSweep } from './resolve.js';
import { checkJobs, checkPointTimeout, loadSweepConfig, runSweep } from './runner.js';
import { parseShard, shardFromEnv, type Shard } from './shard.js';

export interface SweepCommandOptions {
  /** Where JOB_COMPLETION_INDEX / SLURM_ARRAY_TASK_ID are read (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

const wrap =
  <T>(parse: (v: string) => T) =>
  (v: string): T => {
    try {
      return parse(v);
    } catch (e) {
      throw new InvalidArgumentError(e instanceof Error ? e.message : String(e));
    }
  };
const parseJobs = wrap((v: string) => checkJobs(/^\d+$/.test(v) ? Number(v) : NaN));
const parseTimeout = wrap((v: string) => checkPointTimeout(/^\d+(\.\d+)?$/.test(v) ? Number(v) : NaN));
const parseSeed = wrap((v: string) => {
  if (!/^\d+$/.test(v) || Number(v) > 0xffffffff) throw new Error('expected an unsigned 32-bit integer');
  return Number(v);
});
const collectParam = (v: string, acc: Record<string, string[]>): Record<string, string[]> => {
  const [k, values] = wrap(parseParamOption)(v);
  if (k in acc) throw new InvalidArgumentError(`--param ${k} is given twice; list its values once: ${k}=a,b`);
  return { ...acc, [k]: values };
};

/** Refuses an output path that cannot be written, before any work is done. */
function checkWritable(file: string): void {
  const dir = dirname(resolve(file));
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new EspError(ESP_ERR_INVALID_ARG, `cannot write ${file}: folder ${dir} does not exist`);
  if (existsSync(file) && statSync(file).isDirectory())
    throw new EspError(ESP_ERR_INVALID_ARG, `cannot write ${file}: it is a folder`);
}

function readText(file: string): string {
  if (!existsSync(file) || statSync(file).isDirectory())
    throw new EspError(ESP_ERR_NOT_FOUND, `cannot read ${file}: no such file`);
  return readFileSync(file, 'utf8');
}

interface SweepCliOptions {
  config?: string;
  jobs?: number;
  timeout?: number;
  out?: string;
  resume?: boolean;
  shard?: Shard;
  param: Record<string, string[]>;
  seed?: number;
}

/** Adds `sweep`, `sweeps` and `sweep-report` to the soc-fabric command line. */
export function registerSweepCommands(program: Command, io: CliIo, opts: SweepCommandOptions = {}): void {
  program
    .command('sweep')
    .description(
      'run every point of a sweep (or of a scenario with --param) in worker threads; one JSON line per point',
    )
    .argument('<name>', 'a sweep of the config (see `soc-fabric sweeps`), or a scenario of it')
    .option('--config <file>', 'configuration file (sim.config.ts), loaded by every worker')
    .option('--jobs <n>', 'worker threads (default: the available cores)', parseJobs)
    .option(
      '--timeout <seconds>',
      'fail a point still running after this much wall time and replace its worker (default: no limit)',
      parseTimeout,
    )
    .option('--out <file>', 'write the JSON lines to this file instead of stdout')
    .option('--resume', 'keep the points already in --out and run only the others')
    .option(
      '--shard <i/N>',
      'run every N-th point from the i-th (i from 0); default: from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID',
      wrap(parseShard),
    )
    .option('--param <name=v1,v2>', 'values of a parameter (repeatable)', collectParam, {})
    .option('--seed <n>', "the sweep's seed, from which each point's derives", parseSeed)
    .action(async (name: string, o: SweepCliOptions) => {
      if (o.resume && o.out === undefined)
        throw new EspError(ESP_ERR_INVALID_ARG, '--resume needs --out FILE: the results to resume from');
      const shard = o.shard ?? shardFromEnv(opts.env ?? process.env);
      // everything the request gets wrong is refused here, before the output file is touched
      const config = await loadSweepConfig(o.config);
      const sweep = await resolveSweep(config, { name, params: o.param, seed: o.seed });
      const seeds = new Map(enumeratePoints(sweep, config).map((p) => [p.key, p.seed]));
      let skip: Set<string> | undefined;
      let fd: number | undefined;
      if (o.out !== undefined) {
        checkWritable(o.out);
        if (o.resume && existsSync(o.out)) {
          const parsed = parseResults(readFileSync(o.out, 'utf8'), o.out);
          const other = parsed.records.find((r) => r.sweep !== sweep.name);
          if (other)
            throw new EspError(
              ESP_ERR_INVALID_ARG,
              `${o.out} holds results of sweep "${other.sweep}", not "${sweep.name}"`,
            );
          const reseeded = parsed.records.find(
            (r) => seeds.has(pointKey(r.params)) && seeds.get(pointKey(r.params)) !== r.seed,
          );
          if (reseeded) {
            throw new EspError(
              ESP_ERR_INVALID_ARG,
              `${o.out} was written with another sweep seed (point ${pointKey(reseeded.params)} has seed ` +
                `${reseeded.seed}, this run gives it ${seeds.get(pointKey(reseeded.params))}): resume with the same --seed, or write another file`,
            );
          }
          skip = new Set(parsed.records.map((r) => pointKey(r.params)));
          fd = openSync(o.out, 'r+');
          ftruncateSync(fd, parsed.completeBytes); // drops the cut-off line of an interrupted run
          closeSync(fd);
          const text = readFileSync(o.out, 'utf8');
          fd = openSync(o.out, 'a');
          if (text.length > 0 && !text.endsWith('\n')) writeSync(fd, '\n');
          if (parsed.truncated !== undefined) io.err(`${o.out}: dropped the cut-off last line of an interrupted run`);
        } else {
          fd = openSync(o.out, 'w');
        }
      }
      const tty = io.tty;
      const progress = tty ? new SweepProgress({ write: (t) => tty.write(t), columns: tty.columns }) : undefined;
      let summary;
      try {
        summary = await runSweep({
          name,
          params: o.param,
          seed: o.seed,
          configPath: o.config,
          jobs: o.jobs,
          pointTimeoutSeconds: o.timeout,
          shard,
          skip,
          onRecord: (r) => {
            if (fd === undefined) io.out(recordLine(r));
            else writeSync(fd, `${recordLine(r)}\n`);
          },
          onProgress: progress && ((done, total) => progress.update(done, total)),
        });
      } finally {
        progress?.clear();
        if (fd !== undefined) closeSync(fd);
      }
      const rate = summary.ran / Math.max(summary.wallSeconds, 1e-9);
      io.err(
        `sweep ${summary.sweep}: ${summary.points} points` +
          (shard ? `, shard ${shard.index}/${shard.count} (${shard.source}) has ${summary.inShard}` : '') +
          `${summary.skipped ? `, ${summary.skipped} already done` : ''}; ran ${summary.ran} on ${summary.jobs} worker(s) in ` +
          `${summary.wallSeconds.toFixed(2)} s (${rate.toFixed(1)} points/s); ${summary.failed} failed`,
      );
      if (summary.failed > 0)
        throw new CommanderError(
          1,
          'soc-fabric.sweep-failed',
          `${summary.failed} point(s) failed; their lines carry the error`,
        );
    });

  program
    .command('sweeps')
    .description("list the sweeps of the config (and the package's own)")
    .option('--config <file>', 'configuration file (sim.config.ts)')
    .action(async (o: { config?: string }) => {
      const config = await loadSweepConfig(o.config);
      const builtIn = await loadDefaultConfig();
      const all = [
        ...(config.sweeps ?? []),
        ...(builtIn.sweeps ?? []).filter((s) => !(config.sweeps ?? []).some((c) => c.name === s.name)),
      ];
      const rows = await Promise.all(
        all.map(async (s) => {
          let points: string;
          try {
            points = String(enumeratePoints(await resolveSweep(config, { name: s.name }), config).length);
          } catch (e) {
            points = `- (${e instanceof Error ? e.message : e})`;
          }
          return [
            s.name,
            Object.entries(s.params)
              .map(([k, v]) => `${k}(${v.length})`)
              .join(' x '),
            points,
            s.description ?? '',
          ];
        }),
      );
      io.out(renderTable(['sweep', 'parameters', 'points', 'description'], rows));
    });

  program
    .command('sweep-report')
    .description('merge sweep results (JSONL files of shards or runs) into a table; --csv, --svg')
    .argument('<files...>', 'JSONL files written by `soc-fabric sweep --out`')
    .option('--csv', 'print CSV instead of a table')
    .option('--svg <file>', 'write a chart of one sweep (its declared axes, or --x/--y)')
    .option('--x <param>', "the chart's x: a numeric parameter")
    .option('--y <metric>', "the chart's y: a metric")
    .option('--config <file>', "configuration file declaring the sweep's axes (sim.config.ts)")
    .action(async (files: string[], o: { csv?: boolean; svg?: string; x?: string; y?: string; config?: string }) => {
      const merged = mergeResults(files.map((file) => ({ file, text: readText(file) })));
      const groups = bySweep(merged.records);
      let axes: SweepAxes | undefined;
      let chartOf: string | undefined;
      if (o.svg !== undefined) {
        checkWritable(o.svg);
        if (groups.size !== 1)
          throw new EspError(
            ESP_ERR_INVALID_ARG,
            `--svg draws one sweep; the files hold ${groups.size === 0 ? 'none' : [...groups.keys()].join(', ')}`,
          );
        chartOf = [...groups.keys()][0]!;
        const config = await loadSweepConfig(o.config);
        const declared = await resolveSweep(config, { name: chartOf }).then(
          (s) => s.axes,
          () => undefined,
        );
        const x = o.x ?? declared?.x;
        const y = o.y ?? declared?.y;
        if (x === undefined || y === undefined)
          throw new EspError(ESP_ERR_INVALID_ARG, `sweep "${chartOf}" declares no axes: pass --x PARAM and --y METRIC`);
        axes = { ...(declared ?? {}), x, y };
      }
      for (const f of merged.truncated) io.err(`${f}: left out its cut-off last line (an interrupted run)`);
      if (merged.duplicates > 0)
        io.err(`left out ${merged.duplicates} line(s) for points already given by an earlier line or file`);
      if (o.csv) {
        io.out(resultCsv(merged.records).replace(/\r\n$/, ''));
      } else {
        for (const [name, records] of groups) {
          const failed = records.filter((r) => r.error !== undefined).length;
          io.out(`sweep ${name}: ${records.length} points${failed ? `, ${failed} failed` : ''}`);
          io.out(resultTable(records, renderTable));
        }
      }
      if (o.svg !== undefined && axes && chartOf !== undefined) {
        writeFileSync(o.svg, resultChartSvg(chartOf, groups.get(chartOf)!, axes));
        if (!o.csv) io.out(`wrote the chart to ${o.svg}`);
      }
    });
}
