/**
 * ETM routing cost: GPIO edges routed by the ETM to a toggle on another pin, against the same edges with no
 * ETM channel connected (the GPIO event exists and is bound, so only the routing differs). The edges come from
 * a stimulus that the kernel schedules at a fixed period, as a peripheral or a test bench would drive a pin;
 * a routed edge adds the ETM's delivery after its latency (a post to the kernel's delay line, not a queue
 * event) and the toggle. Goal: at most 1.5x an unrouted edge. Also shown: routed edges on a kernel whose delay
 * lines are plain events (`kernel: { delayLines: false }`, the former cost), against the same unrouted baseline.
 */
import { createSimulation } from '../create-simulation.js';
import { formatTime, ns, us } from '../core/time.js';
import { Etm } from '../plugins/etm/index.js';
import { Gpio } from '../plugins/gpio/index.js';
import { goal, median, rate, type Bench } from './harness.js';

/** Builds the simulation, then times only `sim.run()` over `edges` stimulus edges; returns wall seconds. */
async function run(edges: number, periodPs: number, routed: boolean, delayLines = true): Promise<number> {
  const sim = await createSimulation({ target: 'esp32c6', kernel: { delayLines } });
  const gpio = sim.get(Gpio);
  const ev = gpio.newEtmEvent('any');
  ev.bindGpio(0);
  const toggle = gpio.newEtmTask('toggle');
  toggle.addGpio(1);
  if (routed) {
    const ch = sim.get(Etm).newChannel();
    ch.connect(ev, toggle);
    ch.enable();
  }
  let n = 0;
  let level: 0 | 1 = 0;
  const step = (): void => {
    level = level === 0 ? 1 : 0;
    gpio.setLevel(0, level);
    if (++n < edges) sim.schedule(periodPs, step, 'stimulus');
  };
  sim.schedule(0, step, 'stimulus');
  const t0 = performance.now();
  await sim.run();
  const seconds = (performance.now() - t0) / 1000;
  const expected = routed ? edges % 2 : 0;
  if (gpio.getLevel(1) !== expected)
    throw new Error(`routing went wrong: GPIO1 is ${gpio.getLevel(1)}, expected ${expected}`);
  await sim.dispose();
  return seconds;
}

const bench: Bench = {
  name: 'etm-routing',
  async run(ctx) {
    const edges = ctx.quick ? 10_000 : 100_000;
    const runs = ctx.quick ? 3 : 5;
    // The kernel's cost per event grows with the simulated gap between events, so the comparison is made at
    // two stimulus periods; each pair of cases runs interleaved so that both see the same machine state.
    for (const period of [ns(1), ns(100), us(1)]) {
      const plain: number[] = [];
      const routed: number[] = [];
      const asEvents: number[] = [];
      const ratios: number[] = [];
      await run(edges, period, false); // warm-up
      await run(edges, period, true);
      await run(edges, period, true, false);
      for (let i = 0; i < runs; i++) {
        const p1 = await run(edges, period, false);
        const r1 = await run(edges, period, true);
        plain.push(p1);
        routed.push(r1);
        ratios.push(r1 / p1);
        asEvents.push(await run(edges, period, true, false));
      }
      const p = median(plain);
      const r = median(routed);
      const ratio = median(ratios);
      ctx.log(`edges every ${formatTime(period)}, ${edges} edges, sim.run() only, median of ${runs}:`);
      ctx.log(`  unrouted: ${((p / edges) * 1e9).toFixed(1)} ns/edge (${rate(edges / p, 'edges/s')})`);
      ctx.log(`  routed  : ${((r / edges) * 1e9).toFixed(1)} ns/edge (${rate(edges / r, 'edges/s')})`);
      ctx.log(
        `  routed, deliveries as queue events: ${((median(asEvents) / edges) * 1e9).toFixed(1)} ns/edge (${(median(asEvents) / p).toFixed(2)}x unrouted)`,
      );
      ctx.log(`  ratio routed/unrouted: median ${ratio.toFixed(2)}x (${goal(ratio, '<=', 1.5, 'x')})`);
    }
  },
};
export default bench;
