/**
 * Kernel throughput against SystemC (/work/shared/peers/systemc): K self-rescheduling events with LCG delays
 * of 1..100 ns, first fired at time 0, run to SIM_US microseconds, on a real Simulation through `sim.schedule`.
 * The SystemC peer runs the same workload in the same `npm run bench`; a plain binary-heap loop (TimerHeap) runs
 * in this process as a baseline, so the timing wheel's gain shows.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSimulation } from '../create-simulation.js';
import { Timer } from '../core/kernel/timer.js';
import { TimerHeap } from '../core/kernel/timer-heap.js';
import { ns, us } from '../core/time.js';
import { goal, median, rate, type Bench } from './harness.js';

/** The peer's workload is dense (K=1000, 1..100 ns); a sparse one (few processes, long gaps) checks that the
 * wheel does not fall behind a plain heap when most of its buckets are empty. */
export interface Workload {
  k: number;
  maxDelayNs: number;
}
export const PEER: Workload = { k: 1000, maxDelayNs: 100 };
const SPARSE: Workload = { k: 10, maxDelayNs: 2000 };

/** The peer's LCG: `s = s*1103515245 + 12345` on 32 bits; the delay in ns is `1 + (s >> 16) % 100`. */
function nextState(s: number): number {
  return (Math.imul(s, 1103515245) + 12345) >>> 0;
}

/**
 * SystemC's `sc_start(T)` stops before the events at T (with K=1000, 2000 us the peer counts 39,614,068 events;
 * with those at T it would be 39,614,092). Every event here falls on a whole nanosecond, so running to T - 1 ps
 * runs exactly the events before T.
 */
function lastInstant(simUs: number): number {
  return us(simUs) - 1;
}

/** The workload on a Simulation through `sim.schedule`. Returns [events, wall seconds of the run]. */
async function runSimulation(simUs: number, w: Workload = PEER): Promise<[number, number]> {
  const sim = await createSimulation({ target: 'esp32c3' });
  let fired = 0;
  for (let i = 0; i < w.k; i++) {
    let s = i + 1;
    const fire = (): void => {
      fired++;
      s = nextState(s);
      sim.schedule(ns(1 + ((s >>> 16) % w.maxDelayNs)), fire, 'bench');
    };
    sim.schedule(0, fire, 'bench');
  }
  const t0 = performance.now();
  await sim.run({ until: lastInstant(simUs) });
  const wall = (performance.now() - t0) / 1000;
  await sim.dispose();
  return [fired, wall];
}

/** The same workload on a bare run loop over one binary heap (no wheel, no kernel checks): the baseline. */
export function runPlainHeap(simUs: number, w: Workload = PEER): [number, number] {
  const heap = new TimerHeap();
  let now = 0;
  let seq = 0;
  let fired = 0;
  const schedule = (delay: number, fn: () => void): void => {
    heap.push(new Timer(now + delay, seq++, fn, 'bench'));
  };
  for (let i = 0; i < w.k; i++) {
    let s = i + 1;
    const fire = (): void => {
      fired++;
      s = nextState(s);
      schedule(ns(1 + ((s >>> 16) % w.maxDelayNs)), fire);
    };
    schedule(0, fire);
  }
  const until = lastInstant(simUs);
  const t0 = performance.now();
  for (let t = heap.peek(); t !== undefined && t.time <= until; t = heap.peek()) {
    heap.pop();
    const fn = t.fn;
    if (fn === null) continue;
    t.fn = null;
    now = t.time;
    fn();
  }
  return [fired, (performance.now() - t0) / 1000];
}

interface PeerResult {
  events: number;
  rate: number;
  line: string;
}

/** The peer's `run` script: shared/peers/systemc/run in a folder above the package (a checkout or a worktree). */
function peerScript(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const script = join(dir, 'shared', 'peers', 'systemc', 'run');
    if (existsSync(script)) return script;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Builds and runs the SystemC peer (its `run` script installs libsystemc-dev when it can). */
function runPeer(k: number, simUs: number): PeerResult | string {
  const script = peerScript();
  if (script === undefined) return 'peer script shared/peers/systemc/run not found above the package';
  const r = spawnSync('bash', [script, String(k), String(simUs)], { encoding: 'utf8', timeout: 300_000 });
  const line = (r.stdout ?? '').trim();
  const m = /events=(\d+) .*rate=([\d.]+) M events\/s/.exec(line);
  if (r.status !== 0 || m === null) {
    return (r.stderr ?? '').trim() || line || `exit status ${r.status ?? r.signal}`;
  }
  return { events: Number(m[1]), rate: Number(m[2]) * 1e6, line };
}

/** The sparse workload, kernel against plain heap only (the peer has no such variant). */
async function sparse(ctx: Parameters<Bench['run']>[0], simUs: number): Promise<void> {
  const simRates: number[] = [];
  const heapRates: number[] = [];
  let events = 0;
  await runSimulation(simUs / 10, SPARSE); // warm-up
  for (let i = 0; i < 3; i++) {
    const [e1, w1] = await runSimulation(simUs, SPARSE);
    simRates.push(e1 / w1);
    const [e2, w2] = runPlainHeap(simUs, SPARSE);
    heapRates.push(e2 / w2);
    if (e1 !== e2) throw new Error(`sparse workload: the kernel ran ${e1} events, the plain heap ${e2}`);
    events = e1;
  }
  const s = median(simRates);
  const h = median(heapRates);
  ctx.log(
    `sparse (K=${SPARSE.k}, 1..${SPARSE.maxDelayNs} ns, to ${simUs} us, ${events} events): ` +
      `soc-fabric ${rate(s, ' events/s')}, plain heap ${rate(h, ' events/s')}, ratio ${(s / h).toFixed(2)}x`,
  );
}

/** One peer workload size: soc-fabric, plain heap and SystemC interleaved over `rounds`; the ratio to SystemC and its goal. */
async function againstPeer(ctx: Parameters<Bench['run']>[0], w: Workload, simUs: number, goalX: number): Promise<void> {
  const rounds = 3;
  ctx.log(
    `K=${w.k} self-rescheduling events, delays 1..${w.maxDelayNs} ns (LCG), to ${simUs} us; ` +
      `${rounds} rounds, each: soc-fabric, plain heap, SystemC peer (interleaved, so they share the machine's load); medians`,
  );
  await runSimulation(Math.min(simUs, 200), w); // warm-up
  runPlainHeap(Math.min(simUs, 200), w);
  const simRates: number[] = [];
  const heapRates: number[] = [];
  const peerRates: number[] = [];
  const ratios: number[] = [];
  let simEvents = 0;
  let heapEvents = 0;
  let peerEvents = 0;
  let peerMissing: string | undefined;
  for (let i = 0; i < rounds; i++) {
    const [e1, w1] = await runSimulation(simUs, w);
    simEvents = e1;
    simRates.push(e1 / w1);
    const [e2, w2] = runPlainHeap(simUs, w);
    heapEvents = e2;
    heapRates.push(e2 / w2);
    if (peerMissing === undefined) {
      const p = runPeer(w.k, simUs);
      if (typeof p === 'string') peerMissing = p;
      else {
        peerEvents = p.events;
        peerRates.push(p.rate);
        ratios.push(e1 / w1 / p.rate);
      }
    }
  }
  const simRate = median(simRates);
  const heapRate = median(heapRates);
  ctx.log(`  soc-fabric sim.schedule: events=${simEvents} median ${rate(simRate, ' events/s')}`);
  ctx.log(
    `  plain binary heap      : events=${heapEvents} median ${rate(heapRate, ' events/s')} (wheel kernel / plain heap: ${(simRate / heapRate).toFixed(2)}x)`,
  );
  if (peerMissing !== undefined) {
    ctx.log(`  SystemC peer unavailable (${peerMissing.split('\n')[0]}): only the soc-fabric rates are reported`);
    return;
  }
  const ratio = median(ratios);
  ctx.log(
    `  SystemC 2.3 peer       : events=${peerEvents} median ${rate(median(peerRates), ' events/s')}; ` +
      `event counts ${peerEvents === simEvents ? 'agree' : `DIFFER (soc-fabric ${simEvents}, SystemC ${peerEvents})`}`,
  );
  ctx.log(
    `  soc-fabric / SystemC: median of per-round ratios ${ratio.toFixed(2)}x (${goal(ratio, '>=', goalX, 'x')}); ` +
      `plain heap / SystemC: ${(heapRate / median(peerRates)).toFixed(2)}x`,
  );
}

const bench: Bench = {
  name: 'kernel',
  async run(ctx) {
    const simUs = Number(process.env['BENCH_KERNEL_SIM_US'] ?? (ctx.quick ? 200 : 2000));
    await againstPeer(ctx, PEER, simUs, 2.5);
    // Ten processes: the same number of events needs a hundred times the simulated time.
    await againstPeer(ctx, { k: 10, maxDelayNs: 100 }, simUs * 10, 1.5);
    await sparse(ctx, ctx.quick ? 20_000 : 100_000);
  },
};

export default bench;
