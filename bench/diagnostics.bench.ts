import { createSimulation } from '../create-simulation.js';
import { ns, us } from '../core/time.js';
import { AsyncMemcpy } from '../plugins/async-memcpy/index.js';
import { median, rate, type Bench } from './harness.js';
import { PEER, runPlainHeap } from './kernel.bench.js';

/**
 * The cost of diagnostics (issue 13, point 8: with every checker on, the kernel benchmark and the async memcpy
 * benchmark lose at most 20%; with checkers off, nothing). In this process, round by round (so the variants
 * share the machine's load), each workload runs:
 * - checks off (today's default path: no checker is resolved, nothing subscribes),
 * - checks on (every checker of the target),
 * - for 64 B copies, checks on with the engine publishing every event type (a no-op listener of the whole
 *   engine source): what one subscription cost before per-type publishing,
 * - the workload's baseline from its own benchmark: the plain binary heap of kernel.bench, the bare chain of
 *   `sim.schedule` events of async-memcpy.bench (b).
 * Reported: median rates, and the median over rounds of each round's ratio to checks off, in wall time and in
 * CPU time of this process (less sensitive to other processes on a shared machine).
 */
interface Sample {
  /** Work items per wall second. */
  wall: number;
  /** Work items per CPU second of this process (user + system). */
  cpu: number;
}

/** Times `fn` (which returns the work items it did) in wall and process CPU time. */
async function sample(fn: () => Promise<number> | number): Promise<Sample> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const items = await fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wall: items / wall, cpu: items / ((c.user + c.system) / 1e6) };
}

/** The kernel benchmark's workload (K=1000 self-rescheduling events, LCG delays 1..100 ns) on esp32c6 (ETM). */
async function kernelRun(checks: boolean, simUs: number): Promise<Sample> {
  const sim = await createSimulation({ target: 'esp32c6', checks });
  let fired = 0;
  for (let i = 0; i < PEER.k; i++) {
    let s = i + 1;
    const fire = (): void => {
      fired++;
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      sim.schedule(ns(1 + ((s >>> 16) % PEER.maxDelayNs)), fire, 'bench');
    };
    sim.schedule(0, fire, 'bench');
  }
  const r = await sample(async () => {
    await sim.run({ until: us(simUs) - 1 });
    return fired;
  });
  await sim.dispose();
  return r;
}

type CopyMode = 'off' | 'on' | 'on, every event built';

/**
 * `copies` copies of `size` bytes on esp32c3 from chains of callbacks each issuing the next (backlog 8): 7 chains
 * of small copies (as async-memcpy.bench (b)), one chain of copies too large for 7 buffer pairs in SRAM.
 */
async function copyRun(mode: CopyMode, size: number, copies: number): Promise<Sample> {
  const sim = await createSimulation({ target: 'esp32c3', checks: mode !== 'off' });
  if (mode === 'on, every event built') sim.bus.source('gdma').listen(() => undefined);
  const drv = sim.get(AsyncMemcpy).install({ backlog: 8 });
  const chains = size <= 4096 ? 7 : 1;
  const src = sim.memory.alloc(size * chains, { caps: ['dma', 'internal'], align: 64 });
  const dst = sim.memory.alloc(size * chains, { caps: ['dma', 'internal'], align: 64 });
  let issued = 0;
  let completed = 0;
  const issue = (k: number): void => {
    issued++;
    void drv.memcpy(dst + size * k, src + size * k, size, () => {
      completed++;
      if (issued < copies) issue(k);
    });
  };
  const r = await sample(async () => {
    for (let k = 0; k < chains; k++) issue(k);
    await sim.run();
    return completed;
  });
  if (completed !== copies) throw new Error(`expected ${copies} copies, completed ${completed}`);
  // (async memcpy installed alone takes trigger ID 0, SPI2's; SPI2 never asks for it here, so no finding)
  const error = sim.diagnostics.find((f) => f.severity === 'error');
  if (error) throw new Error(`unexpected error finding: ${error.message}`);
  await sim.dispose();
  return r;
}

/** async-memcpy.bench (b)'s baseline: a bare chain of `sim.schedule` events, one per copy. */
async function bareChain(events: number): Promise<Sample> {
  const sim = await createSimulation({ target: 'esp32c3' });
  const r = await sample(async () => {
    let left = events;
    const fire = (): void => {
      if (--left > 0) sim.schedule(1000, fire, 'bench');
    };
    sim.schedule(0, fire, 'bench');
    await sim.run();
    return events;
  });
  await sim.dispose();
  return r;
}

interface Variant {
  label: string;
  run: () => Promise<Sample>;
  /** The workload's own baseline: its ratio is printed as checks off / baseline, as its benchmark does. */
  baseline?: boolean;
}

/**
 * Runs every variant once per round (after one warm-up round), `rounds` times. Prints each variant's median
 * rate and the median of its per-round ratios to the first variant (checks off), wall and CPU.
 */
async function compare(
  ctx: Parameters<Bench['run']>[0],
  title: string,
  unit: string,
  rounds: number,
  variants: Variant[],
): Promise<void> {
  for (const v of variants) await v.run();
  const samples = variants.map((): Sample[] => []);
  for (let i = 0; i < rounds; i++) {
    for (let j = 0; j < variants.length; j++) samples[j]!.push(await variants[j]!.run());
  }
  ctx.log(`${title} (${rounds} rounds, variants alternated)`);
  const off = samples[0]!;
  for (let j = 0; j < variants.length; j++) {
    const s = samples[j]!;
    const base = variants[j]!.baseline === true;
    const wallRatio = median(s.map((x, i) => (base ? off[i]!.wall / x.wall : x.wall / off[i]!.wall)));
    const cpuRatio = median(s.map((x, i) => (base ? off[i]!.cpu / x.cpu : x.cpu / off[i]!.cpu)));
    ctx.log(
      `  ${variants[j]!.label.padEnd(36)} median ${rate(median(s.map((x) => x.wall)), unit).padStart(18)}` +
        (j === 0
          ? ''
          : `  ${base ? 'checks off / baseline' : 'vs checks off'}: wall ${wallRatio.toFixed(2)}x, cpu ${cpuRatio.toFixed(2)}x`),
    );
  }
}

const bench: Bench = {
  name: 'diagnostics',
  async run(ctx) {
    const rounds = ctx.quick ? 3 : 7;
    const simUs = ctx.quick ? 100 : 300;
    ctx.log('goal: checks on >= 0.80x of checks off (issue 13, point 8)');
    await compare(ctx, `kernel: K=${PEER.k}, 1..${PEER.maxDelayNs} ns, to ${simUs} us, esp32c6`, ' events/s', rounds, [
      { label: 'checks off', run: () => kernelRun(false, simUs) },
      { label: 'checks on (every checker)', run: () => kernelRun(true, simUs) },
      {
        label: 'baseline: plain binary heap',
        run: () => sample(() => runPlainHeap(simUs)[0]),
        baseline: true,
      },
    ]);
    // copies per run: each run takes some 0.1 - 0.5 s on the 2-core development machine
    const sizes: [number, number][] = [
      [64, 200_000],
      [4096, 200_000],
      [65536, 40_000],
    ].map(([size, n]) => [size!, ctx.quick ? n! / 4 : n!]);
    for (const [size, copies] of sizes) {
      const variants: Variant[] = [
        { label: 'checks off', run: () => copyRun('off', size, copies) },
        { label: 'checks on (every checker)', run: () => copyRun('on', size, copies) },
      ];
      if (size === 64) {
        variants.push(
          {
            label: 'checks on, engine builds every event',
            run: () => copyRun('on, every event built', size, copies),
          },
          { label: 'baseline: bare sim.schedule chain', run: () => bareChain(copies), baseline: true },
        );
      }
      await compare(
        ctx,
        `async memcpy: ${size} B copies, a callback each issuing the next, backlog 8, esp32c3, ${copies} copies`,
        ' copies/s',
        rounds,
        variants,
      );
    }
  },
};
export default bench;
