/**
 * The child process of bench/async-memcpy-cold.bench.ts: in a fresh process, 2,000 copies of 128 KiB with the
 * host's TypedArray.prototype.set, then 2,000 async memcpy copies of 128 KiB awaited one by one from a task
 * (the README's pattern), each timed from its first copy; prints `{"host":s,"sim":s}` (wall seconds).
 */
import 'reflect-metadata';
import { createSimulation } from '../create-simulation.js';
import { AsyncMemcpy } from '../plugins/async-memcpy/index.js';

const N = 128 * 1024;
const COPIES = Number(process.argv[2] ?? 2000);

const hostSrc = new Uint8Array(N).map((_, i) => i & 0xff);
const hostDst = new Uint8Array(N);
let t0 = performance.now();
for (let i = 0; i < COPIES; i++) hostDst.set(hostSrc);
const host = (performance.now() - t0) / 1000;

const sim = await createSimulation({ target: 'esp32c3' });
const drv = sim.get(AsyncMemcpy).install();
const src = sim.memory.alloc(N, { caps: ['dma', 'internal'] });
const dst = sim.memory.alloc(N, { caps: ['dma', 'internal'] });
sim.memory.write(src, hostSrc);
t0 = performance.now();
const task = sim.spawn('copies', async () => {
  for (let i = 0; i < COPIES; i++) await drv.memcpy(dst, src, N);
});
await sim.run();
await task.done;
const simSeconds = (performance.now() - t0) / 1000;
if (sim.faults.length) throw new Error(`faults: ${sim.faults[0]!.error.message}`);
if (sim.memory.read(dst + N - 1, 1)[0] !== ((N - 1) & 0xff)) throw new Error('the copies did not land');
process.stdout.write(`${JSON.stringify({ host, sim: simSeconds })}\n`);
