import { expect } from 'chai';
import fc from 'fast-check';
import { createSimulation } from '../../../create-simulation.js';
import { DmaError, ECANCELED } from '../../../core/errors.js';
import type { ServiceIdentifier } from '../../../core/plugin/tokens.js';
import type { DmaController } from './api.js';
import { Gdma } from '../gdma/index.js';
import { CpDma } from '../cpdma/index.js';

/**
 * Issue 11, races: stop, suspend, resume, reload, release and start driven at every instant around batch
 * boundaries (the instant before, at and after each descriptor and each EOF), on GDMA and CP DMA, several
 * channels at once. A probe run of the same setup finds the boundaries (the engine's `moved` and `eof` events
 * and the callbacks); the property run replays the setup with operations scheduled there. Checked after each
 * operation and at the end: bytes moved are a prefix of the source, getStatus agrees with memory, each
 * transfer reports at most once (COMPLETE or -ECANCELED, BLOCK only when asked), no fault, and once everything
 * is resumed and run out no channel is left busy.
 */
const ENGINES: [string, ServiceIdentifier<DmaController>, string][] = [
  ['esp32s3', Gdma, 'gdma'],
  ['esp32s2', CpDma, 'cpdma'],
];

type Op = 'stop' | 'suspend' | 'resume' | 'reload' | 'release' | 'start' | 'status';
interface Plan {
  blocks: number[][];
  completeCb: boolean[];
  ops: { at: number; delta: -1 | 0 | 1; ch: number; op: Op; late: boolean }[];
}

const pattern = (n: number, seed: number): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => 1 + ((i * 31 + seed * 17) % 255));

interface Chan {
  requested: boolean;
  /** Blocks of the current config: src and dst addresses of equal sizes. */
  blocks: { src: number; dst: number; size: number }[];
  /** Statuses reported since the transfer in progress started. */
  statuses: number[];
  /** Ended transfers' statuses, for the at-most-once rule. */
  history: number[][];
  completeCb: boolean;
}

/** One simulation of `plan`: returns the instants of the boundaries it saw (probe) or checks the rules. */
async function simulate(
  target: string,
  token: ServiceIdentifier<DmaController>,
  source: string,
  plan: Plan,
  probe: boolean,
): Promise<number[]> {
  const sim = await createSimulation({ target });
  const dma = sim.get(token);
  const boundaries = new Set<number>();
  if (probe)
    sim.bus.all$.subscribe((e) => {
      if (e.source === source && (e.type === 'moved' || e.type === 'eof')) boundaries.add(e.time);
    });
  const buf = (n: number): number => sim.memory.alloc(n, { caps: ['dma', 'internal'] });
  const chans: Chan[] = [];
  const newTransfer = (c: Chan): void => {
    if (c.statuses.length) c.history.push(c.statuses);
    c.statuses = [];
  };
  const config = (i: number): void => {
    const c = chans[i]!;
    dma.config(i, {
      direction: 'memory-to-memory',
      blocks: c.blocks,
      completeCallbackEn: c.completeCb,
      callback: (ch, status) => {
        boundaries.add(sim.now);
        chans[ch]!.statuses.push(status);
      },
    });
  };
  plan.blocks.forEach((sizes, i) => {
    expect(dma.requestChannel()).to.equal(i);
    const blocks = sizes.map((size, k) => {
      const src = buf(size);
      sim.memory.write(src, pattern(size, i * 8 + k));
      return { src, dst: buf(size), size };
    });
    chans.push({ requested: true, blocks, statuses: [], history: [], completeCb: plan.completeCb[i]! });
    config(i);
  });

  const checkChannel = (i: number): void => {
    const c = chans[i]!;
    if (!c.requested) return;
    const st = dma.getStatus(i);
    const total = c.blocks.reduce((a, b) => a + b.size, 0);
    expect(st.totalCopied, `ch${i} copied`).to.be.within(0, total);
    expect(st.pendingLength, `ch${i} pending`).to.be.within(0, total);
    // what the status says is copied is in memory: a prefix of the source, block after block
    let left = st.totalCopied;
    for (const b of c.blocks) {
      const n = Math.min(left, b.size);
      if (n > 0) expect(sim.memory.read(b.dst, n), `ch${i} dst prefix`).to.deep.equal(sim.memory.read(b.src, n));
      left -= n;
    }
    // at most one ending per transfer, BLOCK only where asked, never an error
    const ends = c.statuses.filter((s) => s === 0 || s === ECANCELED);
    expect(ends.length, `ch${i} statuses ${c.statuses.join(',')}`).to.be.at.most(1);
    expect(
      c.statuses.every((s) => s === 0 || s === ECANCELED || (s === 1 && c.completeCb)),
      `ch${i} statuses ${c.statuses.join(',')}`,
    ).to.equal(true);
    if (ends.length === 0) expect(c.statuses.length).to.be.at.most(c.blocks.length - 1);
  };
  const checkAll = (): void => {
    for (let i = 0; i < chans.length; i++) checkChannel(i);
  };

  const apply = (ch: number, op: Op): void => {
    const c = chans[ch]!;
    try {
      switch (op) {
        case 'stop':
          dma.stop(ch);
          break;
        case 'suspend':
          dma.suspend(ch);
          break;
        case 'resume':
          dma.resume(ch);
          break;
        case 'status':
          break;
        case 'start':
          if (!dma.getStatus(ch).busy && c.statuses.some((s) => s === 0 || s === ECANCELED)) newTransfer(c);
          if (!c.requested) {
            // dma_request_channel gives the lowest free channel: take free ones until `ch` comes, give the rest back
            const extra: number[] = [];
            for (let got = dma.requestChannel(); got !== ch; got = dma.requestChannel()) extra.push(got);
            for (const x of extra) dma.releaseChannel(x);
            c.requested = true;
            config(ch);
          }
          if (!dma.getStatus(ch).busy) newTransfer(c);
          dma.start(ch);
          break;
        case 'reload': {
          const b = c.blocks[0]!;
          const dst = buf(b.size);
          dma.reload(ch, b.src, dst, b.size);
          c.blocks = [{ src: b.src, dst, size: b.size }];
          newTransfer(c);
          break;
        }
        case 'release':
          dma.releaseChannel(ch);
          c.requested = false;
          newTransfer(c);
          break;
      }
    } catch (e) {
      // refusals are part of the API (suspend of a stopped channel, reload while busy...): Zephyr errnos only
      if (!(e instanceof DmaError)) throw e;
    }
    checkAll();
  };

  const errors: unknown[] = [];
  const scheduleOps = (late: boolean): void => {
    for (const o of plan.ops) {
      if (o.late !== late || o.ch >= chans.length) continue;
      const at = Math.max(0, o.at + o.delta);
      sim.schedule(at, () => {
        try {
          apply(o.ch, o.op);
        } catch (e) {
          errors.push(e);
        }
      });
    }
  };
  if (!probe) scheduleOps(false); // before the transfers: first among the events of their instant
  for (let i = 0; i < chans.length; i++) dma.start(i);
  if (!probe) scheduleOps(true); // after: last among them
  await sim.run();
  if (errors.length) throw errors[0];
  expect(sim.faults.map((f) => `${f.source}: ${f.error.message}`)).to.deep.equal([]);
  if (!probe) {
    // everything suspended is resumed and run out: no channel stays busy, every one takes a new config
    for (let i = 0; i < chans.length; i++)
      if (chans[i]!.requested) {
        try {
          dma.resume(i);
        } catch (e) {
          if (!(e instanceof DmaError)) throw e;
        }
      }
    await sim.run();
    checkAll();
    for (let i = 0; i < chans.length; i++) {
      const c = chans[i]!;
      if (!c.requested) continue;
      expect(dma.getStatus(i).busy, `ch${i} busy at the end`).to.equal(false);
      newTransfer(c);
      config(i);
      dma.start(i);
    }
    await sim.run();
    for (let i = 0; i < chans.length; i++) {
      const c = chans[i]!;
      if (!c.requested) continue;
      // a clean run of the same blocks completes once and copies everything
      expect(c.statuses.filter((s) => s === 0)).to.have.length(1);
      for (const b of c.blocks) expect(sim.memory.read(b.dst, b.size)).to.deep.equal(sim.memory.read(b.src, b.size));
      expect(dma.getStatus(i)).to.include({ busy: false, pendingLength: 0 });
      dma.releaseChannel(i);
    }
    expect(sim.faults).to.deep.equal([]);
  }
  await sim.dispose();
  return [...boundaries].sort((a, b) => a - b);
}

for (const [target, token, source] of ENGINES) {
  describe(`DMA races on ${target} (${source}): operations at every batch boundary (issue 11)`, () => {
    it('keep memory, status and callbacks consistent and leave no channel busy', async function () {
      this.timeout(60_000);
      const probeSim = await createSimulation({ target });
      const channels = Math.min(3, probeSim.get(token).channelCount);
      await probeSim.dispose();
      const setup = fc.record({
        blocks: fc.array(fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 3 }), {
          minLength: channels,
          maxLength: channels,
        }),
        completeCb: fc.array(fc.boolean(), { minLength: channels, maxLength: channels }),
      });
      await fc.assert(
        fc.asyncProperty(
          setup,
          fc.infiniteStream(
            fc.tuple(
              fc.nat(),
              fc.constantFrom(-1 as const, 0 as const, 1 as const),
              fc.nat({ max: channels - 1 }),
              fc.constantFrom<Op>('stop', 'suspend', 'resume', 'reload', 'release', 'start', 'status'),
              fc.boolean(),
            ),
          ),
          fc.integer({ min: 1, max: 5 }),
          async (s, picks, count) => {
            const base: Plan = { ...s, ops: [] };
            const instants = await simulate(target, token, source, base, true);
            expect(instants.length).to.be.greaterThan(0);
            const ops: Plan['ops'] = [];
            const it = picks[Symbol.iterator]();
            for (let k = 0; k < count; k++) {
              const [idx, delta, ch, op, late] = it.next().value as [number, -1 | 0 | 1, number, Op, boolean];
              ops.push({ at: instants[idx % instants.length]!, delta, ch, op, late });
            }
            await simulate(target, token, source, { ...base, ops }, false);
          },
        ),
        { numRuns: target === 'esp32s3' ? 60 : 40, seed: 11 },
      );
    });
  });
}
