/**
 * The child process of bench/create-simulation.bench.ts: in a fresh process, the first createSimulation of a
 * target, then `count` more (each disposed); the same for a copy of the target that defineTarget never
 * sealed (so validated in full each time: the baseline). Prints `{"first":ms,"after":[ms...],"unsealed":[ms...]}`.
 */
import 'reflect-metadata';
import { createSimulation } from '../create-simulation.js';
import type { TargetDefinition } from '../core/target/target.js';
import { esp32c3, esp32s3 } from '../targets/index.js';

const name = process.argv[2] ?? 'esp32c3';
const count = Number(process.argv[3] ?? 200);
const def: TargetDefinition = name === 'esp32s3' ? esp32s3 : esp32c3;
const unsealed: TargetDefinition = {
  ...def,
  cpu: { ...def.cpu },
  memory: def.memory.map((r) => ({ ...r })),
  plugins: [...def.plugins],
  caps: JSON.parse(JSON.stringify(def.caps)) as TargetDefinition['caps'],
};

/**
 * One createSimulation, timed, then disposed. The host's event loop turns between two: V8 keeps the targets of
 * WeakRefs made during a job (inversify makes some) alive until the job ends, so a loop of awaits that never
 * yields to it keeps every simulation it made, and collecting that growing heap would be what it measured.
 */
async function time(target: TargetDefinition): Promise<number> {
  const t0 = performance.now();
  const sim = await createSimulation({ target });
  const ms = performance.now() - t0;
  await sim.dispose();
  await new Promise<void>((resolve) => setImmediate(resolve));
  return ms;
}

const first = await time(def);
const after: number[] = [];
const base: number[] = [];
for (let i = 0; i < count; i++) {
  after.push(await time(def));
  base.push(await time(unsealed));
}
process.stdout.write(`${JSON.stringify({ first, after, unsealed: base })}\n`);
