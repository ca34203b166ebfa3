/**
 * Sweeps across cores: the same 2,100-point sweep (bench/sweep.config.ts) run through runSweep's worker pool with
 * jobs = 1 and jobs = os.availableParallelism(), in this process, alternating; points per second and the speed-up
 * against the goal (>= 0.85 x cores). Also what createSimulation costs, against a point's whole wall time.
 */
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSimulation } from '../create-simulation.js';
import { runSweep } from '../sweep/runner.js';
import type { SweepRecord } from '../sweep/record.js';
import { median, rate, type Bench } from './harness.js';

// dist/bench -> the source file, which loadConfigFile maps back to its build (as a user's --config would be)
const CONFIG = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'sweep.config.ts');

interface SweepRun {
  points: number;
  seconds: number;
  steadyRate: number;
  pointMs: number;
  failed: number;
}

/**
 * One run of the sweep. `seconds` is the whole run (workers start, load the kit and the config, run, stop);
 * `steadyRate` counts only from the first result to the last, when the workers are loaded.
 */
async function sweepOnce(jobs: number, reps: number, name = 'bench-grid'): Promise<SweepRun> {
  const records: SweepRecord[] = [];
  let first = 0;
  let last = 0;
  const s = await runSweep({
    name,
    configPath: CONFIG,
    jobs,
    params: { rep: [...Array(reps).keys()].map(String) },
    onRecord: (r) => {
      last = performance.now();
      if (records.length === 0) first = last;
      records.push(r);
    },
  });
  return {
    points: s.ran,
    seconds: s.wallSeconds,
    steadyRate: (s.ran - 1) / ((last - first) / 1000),
    pointMs: median(records.map((r) => r.wallMs)),
    failed: s.failed,
  };
}

const TARGETS = ['esp32', 'esp32s2', 'esp32s3', 'esp32c3', 'esp32c6', 'esp32h2'];

/** createSimulation + dispose of each target, `n` times round-robin: median ms. */
async function createCost(n: number): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const sim = await createSimulation({ target: TARGETS[i % TARGETS.length]!, seed: i });
    await sim.dispose();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

const bench: Bench = {
  name: 'sweep',
  async run(ctx) {
    const cores = availableParallelism();
    const reps = ctx.quick ? 10 : 70;
    const rounds = ctx.quick ? 1 : 2;
    ctx.log(
      `bench-grid: ${6 * 5 * reps} points (6 targets x 5 sizes x ${reps} reps; each a fresh simulation and one copy); ` +
        `${rounds} round(s) of jobs=1 then jobs=${cores} (os.availableParallelism()); medians`,
    );
    await sweepOnce(cores, 2); // warm-up: disk cache, JIT of the main thread
    const one: SweepRun[] = [];
    const many: SweepRun[] = [];
    for (let i = 0; i < rounds; i++) {
      one.push(await sweepOnce(1, reps));
      many.push(await sweepOnce(cores, reps));
      if (one.at(-1)!.failed || many.at(-1)!.failed) throw new Error('points failed');
    }
    const whole = (rs: SweepRun[]): number => median(rs.map((r) => r.points / r.seconds));
    const steady = (rs: SweepRun[]): number => median(rs.map((r) => r.steadyRate));
    const line = (label: string, rs: SweepRun[]): string =>
      `${label}: ${rate(whole(rs), ' points/s')} whole run (${median(rs.map((r) => r.seconds)).toFixed(2)} s for ${rs[0]!.points} points), ` +
      `${rate(steady(rs), ' points/s')} once the workers are loaded`;
    ctx.log(line('jobs=1', one));
    ctx.log(line(`jobs=${cores}`, many));
    ctx.log(
      `speed-up on ${cores} cores: whole run ${(whole(many) / whole(one)).toFixed(2)}x = ${(whole(many) / whole(one) / cores).toFixed(2)} x cores; ` +
        `workers loaded ${(steady(many) / steady(one)).toFixed(2)}x = ${(steady(many) / steady(one) / cores).toFixed(2)} x cores (goal >= 0.85 x cores)`,
    );
    await createCost(50); // warm-up
    const create = await createCost(ctx.quick ? 30 : 300);
    const point = median(one.map((r) => r.pointMs));
    const empty = (await sweepOnce(1, reps, 'bench-empty')).pointMs;
    ctx.log(
      `createSimulation + dispose: median ${create.toFixed(3)} ms in the main thread (${TARGETS.join(', ')} in turn); ` +
        `in a worker, a point that only makes and disposes of its simulation: median ${empty.toFixed(3)} ms, ` +
        `a bench-grid point: ${point.toFixed(3)} ms, so the simulation's creation is ${((100 * empty) / point).toFixed(0)}% of a point`,
    );
  },
};

export default bench;
