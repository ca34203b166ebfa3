import { expect } from 'chai';
import fc from 'fast-check';
import { createSimulation } from '../../create-simulation.js';
import { type Simulation } from '../../core/simulation.js';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE } from '../../core/errors.js';
import { AsyncMemcpy, type AsyncMemcpyBackend } from './index.js';

type Place = 'sram' | 'psram' | 'flash';
interface Op {
  size: number;
  srcOff: number;
  dstOff: number;
  src: Place;
  dst: Place;
  delayNs: number;
  chained: boolean;
}

const SLOT = 10_000;
const SENTINEL = 0xee;

const opArb: fc.Arbitrary<Op> = fc.record({
  size: fc.oneof(
    fc.integer({ min: 1, max: 64 }),
    fc.integer({ min: 1, max: 9000 }),
    fc.integer({ min: 1, max: 560 }).map((x) => x * 16),
    fc.constantFrom(4092, 4095, 4096, 8184),
  ),
  srcOff: fc.integer({ min: 0, max: 7 }),
  dstOff: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 7 })),
  src: fc.constantFrom<Place>('sram', 'sram', 'sram', 'psram', 'psram', 'flash'),
  dst: fc.constantFrom<Place>('sram', 'sram', 'sram', 'psram', 'psram', 'flash'),
  delayNs: fc.constantFrom(0, 0, 500, 20_000),
  chained: fc.boolean(),
});

/**
 * Random copies (sizes, offsets, regions, backlogs, copies issued from callbacks): every accepted copy arrives
 * byte-exact; every refused one throws ESP_ERR_INVALID_ARG/INVALID_STATE at once, writes nothing, and
 * loses nothing already queued.
 */
describe('async memcpy property: accepted copies arrive, refused ones change nothing', () => {
  it('holds over random sizes, offsets, regions and backlogs on every engine', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<[string, AsyncMemcpyBackend]>(
          ['esp32s2', 'auto'],
          ['esp32s3', 'auto'],
          ['esp32c3', 'auto'],
          ['esp32c5', 'auto'],
          ['esp32c6', 'auto'],
          ['esp32c61', 'auto'],
          ['esp32h2', 'auto'],
          ['esp32p4', 'auto'],
          ['esp32p4', 'gdma-axi'],
        ),
        fc.integer({ min: 0, max: 6 }),
        fc.constantFrom(0, 0, 4, 16, 32),
        fc.array(opArb, { minLength: 1, maxLength: 14 }),
        async ([target, backend], backlog, burst, ops) => {
          const sim = await createSimulation({ target });
          try {
            await check(sim, backend, backlog, burst, ops);
          } finally {
            await sim.dispose();
          }
        },
      ),
      { numRuns: 120, seed: 20261121 },
    );
  });
});

async function check(
  sim: Simulation,
  backend: AsyncMemcpyBackend,
  backlog: number,
  burst: number,
  ops: Op[],
): Promise<void> {
  if (
    backend !== 'gdma-axi' &&
    sim.target.caps.gdma?.burstSizes &&
    burst !== 0 &&
    !sim.target.caps.gdma.burstSizes.includes(burst)
  ) {
    // ESP32-S3: 16/32/64 only; refused, and nothing taken (a default install still finds its pair)
    let code = 0;
    try {
      sim.get(AsyncMemcpy).install({ backlog, dmaBurstSize: burst }, backend);
    } catch (e) {
      code = (e as { code: number }).code;
    }
    expect(code).to.equal(0x102);
    burst = 16;
  }
  const drv = sim.get(AsyncMemcpy).install({ backlog, dmaBurstSize: burst }, backend);
  const capacity = backlog === 0 ? 4 : backlog;
  const hasPsram = sim.memory.regions.some((r) => r.kind === 'psram');
  const flash = sim.memory.regions.find((r) => r.kind === 'flash')!;
  const base = (p: Place, i: number, srcSide: boolean): number => {
    if (p === 'flash') return flash.base + 64;
    if (p === 'psram' && hasPsram) return slots[i]![srcSide ? 'psrcs' : 'pdst'];
    return slots[i]![srcSide ? 'srcs' : 'dst'];
  };
  const slots = ops.map(() => {
    const srcs = sim.memory.alloc(SLOT, { caps: ['internal'], align: 32 });
    const dst = sim.memory.alloc(SLOT, { caps: ['internal'], align: 32 });
    const psrcs = hasPsram ? sim.memory.alloc(SLOT, { caps: ['spiram'], align: 32 }) : 0;
    const pdst = hasPsram ? sim.memory.alloc(SLOT, { caps: ['spiram'], align: 32 }) : 0;
    return { srcs, dst, psrcs, pdst };
  });
  slots.forEach((s, i) => {
    const data = Uint8Array.from({ length: SLOT }, (_, k) => (k * 17 + i * 29 + 1) & 0xff);
    sim.memory.write(s.srcs, data);
    if (hasPsram) sim.memory.write(s.psrcs, data);
    sim.memory.write(s.dst, new Uint8Array(SLOT).fill(SENTINEL));
    if (hasPsram) sim.memory.write(s.pdst, new Uint8Array(SLOT).fill(SENTINEL));
  });
  let pending = 0;
  const accepted: { i: number; dst: number; src: number; n: number; p: Promise<void> }[] = [];
  const refused: { i: number; dst: number }[] = [];

  const issue = (i: number): void => {
    const op = ops[i]!;
    const src = base(op.src, i, true) + op.srcOff;
    const dst = base(op.dst, i, false) + op.dstOff;
    const full = pending >= capacity;
    const next = ops[i + 1]?.chained ? i + 1 : -1;
    let chainedIssued = false;
    try {
      const p = drv.memcpy(dst, src, op.size, () => {
        pending--;
        if (next >= 0 && !chainedIssued) {
          chainedIssued = true;
          issue(next);
        }
      });
      pending++;
      accepted.push({ i, dst, src, n: op.size, p });
      expect(op.src !== 'flash' && op.dst !== 'flash', 'a flash buffer was accepted').to.equal(true);
      expect(full, 'a copy beyond the backlog was accepted').to.equal(false);
    } catch (e) {
      expect(e).to.be.instanceOf(EspError);
      const code = (e as EspError).code;
      expect([ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE]).to.include(code);
      if (code === ESP_ERR_INVALID_STATE) expect(full).to.equal(true);
      refused.push({ i, dst: base(op.dst, i, false) });
      // a copy chained to a refused one is issued right away instead of from its callback
      if (next >= 0) issue(next);
    }
  };

  const t = sim.spawn('ops', async () => {
    for (let i = 0; i < ops.length; i++) {
      if (ops[i]!.chained && i > 0) continue; // issued from its predecessor's callback (or after its refusal)
      if (ops[i]!.delayNs) await sim.delay(ops[i]!.delayNs * 1000);
      issue(i);
    }
  });
  await sim.run();
  await t.done;
  await Promise.all(accepted.map((a) => a.p));
  expect(pending).to.equal(0);
  for (const a of accepted) {
    const srcBytes = sim.memory.read(a.src, a.n);
    expect(sim.memory.read(a.dst, a.n), `copy ${a.i}`).to.deep.equal(srcBytes);
    const r = sim.memory.regions.find((x) => a.dst >= x.base && a.dst < x.base + x.size)!;
    if (r.kind !== 'flash') {
      const slot = slots[a.i]!;
      const slotBase = r.kind === 'psram' ? slot.pdst : slot.dst;
      const before = sim.memory.read(slotBase, a.dst - slotBase);
      const after = sim.memory.read(a.dst + a.n, slotBase + SLOT - a.dst - a.n);
      expect(
        before.every((b) => b === SENTINEL) && after.every((b) => b === SENTINEL),
        `copy ${a.i} wrote outside its range`,
      ).to.equal(true);
    }
  }
  for (const r of refused) {
    if (ops[r.i]!.dst === 'flash') continue;
    expect(
      sim.memory.read(r.dst, SLOT).every((b) => b === SENTINEL),
      `refused copy ${r.i} wrote`,
    ).to.equal(true);
  }
  if (accepted.length > 0) drv.uninstall();
}
