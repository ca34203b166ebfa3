import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { SimConfig } from '../core/config/config.js';
import { loadConfigFile } from '../core/config/load-config.js';
import { EspError, ESP_ERR_INVALID_ARG } from '../core/errors.js';
import { loadDefaultConfig } from '../create-simulation.js';
import { enumeratePoints, type PlannedPoint } from './points.js';
import type { SweepRecord } from './record.js';
import { resolveSweep, type SweepRequest } from './resolve.js';
import { inShard, type Shard } from './shard.js';
import type { PointTask } from './worker.js';

export interface RunSweepOptions extends SweepRequest {
  /** The config file the main thread and every worker load (default: the package's sim.config.ts). */
  configPath?: string;
  /** Worker threads (default: os.availableParallelism()); never more than there are points to run. */
  jobs?: number;
  /** Run only this shard's points. */
  shard?: Shard;
  /**
   * Wall-clock limit of one point, in seconds (default: none). A point still running then is recorded as failed
   * with a timeout error and its worker thread is stopped (and replaced): a point that never settles cannot hold
   * the sweep. The clock starts when a worker has loaded the config and begins the point.
   */
  pointTimeoutSeconds?: number;
  /** Keys (pointKey) of points already done: they are not run again. */
  skip?: ReadonlySet<string>;
  /** Hears each point's result as it arrives (in completion order, not index order). */
  onRecord(record: SweepRecord): void;
  /** Hears the count of points done (of those to run) after each one. */
  onProgress?(done: number, total: number): void;
}

/** What a sweep run did. */
export interface SweepRunSummary {
  sweep: string;
  /** Points of the whole sweep, of this shard, skipped as already done, run, and failed among those run. */
  points: number;
  inShard: number;
  skipped: number;
  ran: number;
  failed: number;
  jobs: number;
  wallSeconds: number;
}

// Worked out when a pool starts, not at import: the CLI's bundle (scripts/bundle-cli.mjs) carries this module
// without an import.meta.url of its own (the sweep commands themselves run the unbundled modules).
const workerUrl = (): string => new URL('./worker.js', import.meta.url).href;

/** Checks a --jobs value: a whole number >= 1. */
export function checkJobs(jobs: number): number {
  if (!Number.isSafeInteger(jobs) || jobs < 1)
    throw new EspError(ESP_ERR_INVALID_ARG, `jobs must be a whole number >= 1, got ${jobs}`);
  return jobs;
}

/** Checks a --timeout value: a finite number of seconds > 0. */
export function checkPointTimeout(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new EspError(ESP_ERR_INVALID_ARG, `point timeout must be a number of seconds > 0, got ${seconds}`);
  return seconds;
}

/** The config a run uses: the file, or the package's own. */
export function loadSweepConfig(configPath: string | undefined): Promise<SimConfig> {
  return configPath === undefined ? loadDefaultConfig() : loadConfigFile(configPath);
}

/**
 * Runs a sweep's points (of one shard, less those done) in a pool of worker threads (piscina). Every worker
 * loads the same config and resolves the same sweep; each point's result, or its error, goes to `onRecord`.
 * Everything the request gets wrong (unknown sweep, parameter or target) is refused before any point runs.
 */
export async function runSweep(opts: RunSweepOptions): Promise<SweepRunSummary> {
  const t0 = performance.now();
  const jobsWanted = checkJobs(opts.jobs ?? availableParallelism());
  const timeoutS = opts.pointTimeoutSeconds === undefined ? undefined : checkPointTimeout(opts.pointTimeoutSeconds);
  const config = await loadSweepConfig(opts.configPath);
  const request: SweepRequest = { name: opts.name, params: opts.params, seed: opts.seed };
  const sweep = await resolveSweep(config, request);
  const points = enumeratePoints(sweep, config);
  const mine = inShard(points, opts.shard);
  const todo = opts.skip ? mine.filter((p) => !opts.skip!.has(p.key)) : mine;
  const jobs = Math.max(1, Math.min(jobsWanted, todo.length));
  const summary: SweepRunSummary = {
    sweep: sweep.name,
    points: points.length,
    inShard: mine.length,
    skipped: mine.length - todo.length,
    ran: 0,
    failed: 0,
    jobs,
    wallSeconds: 0,
  };
  if (todo.length > 0) {
    const pool = new Piscina({
      filename: workerUrl(),
      minThreads: jobs,
      maxThreads: jobs,
      idleTimeout: 1000,
      atomics: 'disabled',
    });
    const emit = (r: SweepRecord): void => {
      summary.ran++;
      if (r.error !== undefined) summary.failed++;
      opts.onRecord(r);
      opts.onProgress?.(summary.ran, todo.length);
    };
    const runOne = (point: PlannedPoint): Promise<void> => {
      const task: PointTask = { configPath: opts.configPath, request, point };
      if (timeoutS === undefined)
        return (pool.run(task) as Promise<SweepRecord>).then(emit, (e: unknown) =>
          emit(lostPoint(sweep.name, point, e)),
        );
      // piscina stops the worker running an aborted task and starts another in its place. The clock starts when
      // the worker says it has the config and begins the point, so loading the config is not the point's time.
      const abort = new AbortController();
      const { port1, port2 } = new MessageChannel();
      let timer: NodeJS.Timeout | undefined;
      port1.once('message', () => {
        timer = setTimeout(() => abort.abort(), timeoutS * 1000);
      });
      const timed: PointTask = { ...task, started: port2 };
      return (pool.run(timed, { signal: abort.signal, transferList: [port2] }) as Promise<SweepRecord>)
        .then(emit, (e: unknown) =>
          emit(
            abort.signal.aborted
              ? failedPoint(
                  sweep.name,
                  point,
                  `timed out: still running after ${timeoutS} s of wall time (--timeout); its worker was stopped`,
                  timeoutS * 1000,
                )
              : lostPoint(sweep.name, point, e),
          ),
        )
        .finally(() => {
          clearTimeout(timer);
          port1.close();
        });
    };
    // Lanes, each taking the next point when its last one ends, keep two points per worker in the pool (one
    // running, one queued) so no worker waits for the main thread, without a MessageChannel per point of a large
    // sweep open at once. (bench/sweep.bench.ts could not tell this from queueing every point, or from one lane
    // per worker: 1.2x - 1.5x on 2 cores for each.)
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < todo.length) await runOne(todo[next++]!);
    };
    try {
      await Promise.all(Array.from({ length: 2 * jobs }, lane));
    } finally {
      await pool.destroy();
    }
  }
  summary.wallSeconds = (performance.now() - t0) / 1000;
  return summary;
}

/** The result of a point whose worker failed (it crashed, or could not load the config). */
function lostPoint(sweep: string, point: PlannedPoint, e: unknown): SweepRecord {
  return failedPoint(sweep, point, `worker failed: ${e instanceof Error ? e.message : String(e)}`, 0);
}

function failedPoint(sweep: string, point: PlannedPoint, error: string, wallMs: number): SweepRecord {
  return {
    sweep,
    index: point.index,
    params: point.params,
    seed: point.seed,
    metrics: null,
    simulatedPs: null,
    wallMs,
    faults: [],
    error,
  };
}
