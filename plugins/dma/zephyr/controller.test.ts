import { expect } from 'chai';
import { createSimulation } from '../../../create-simulation.js';
import { type Simulation } from '../../../core/simulation.js';
import { DmaError, EBUSY, ECANCELED, EINVAL, ENOSYS } from '../../../core/errors.js';
import type { ServiceIdentifier } from '../../../core/plugin/tokens.js';
import type { DmaConfig, DmaController } from './api.js';
import { Gdma } from '../gdma/index.js';
import { CpDma } from '../cpdma/index.js';
import { pattern as fill } from '../../../test/helpers/sim.js';

/** Zephyr's tests/drivers/dma scenarios, on every engine that offers the DMA API. */
const ENGINES: [string, ServiceIdentifier<DmaController>, number][] = [
  ['esp32c3', Gdma, 3],
  ['esp32s3', Gdma, 5],
  ['esp32c5', Gdma, 3],
  ['esp32c6', Gdma, 3],
  ['esp32c61', Gdma, 2],
  ['esp32h2', Gdma, 3],
  // the ESP32-P4's AHB GDMA: pairs 1 and 2 do M2M (mask 0x06)
  ['esp32p4', Gdma, 2],
  ['esp32s2', CpDma, 1],
];

const TX_DATA = new TextEncoder().encode('It is harder to be kind than to be wise........');
function expectErrno(fn: () => unknown, errno: number): void {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(DmaError);
    expect((e as DmaError).errno, (e as Error).message).to.equal(errno);
    return;
  }
  expect.fail(`expected DmaError ${errno}`);
}

for (const [target, token, channels] of ENGINES) {
  describe(`Zephyr DMA API on ${target} (${token === Gdma ? 'Gdma' : 'CpDma'}, tests/drivers/dma)`, () => {
    let sim: Simulation;
    let dma: DmaController;
    const buf = (n: number): number => sim.memory.alloc(n, { caps: ['dma', 'internal'] });
    beforeEach(async () => {
      sim = await createSimulation({ target });
      dma = sim.get(token);
    });
    afterEach(() => sim.dispose());

    it(`has ${channels} memory-to-memory channels; request gives each once, then -EINVAL`, () => {
      expect(dma.channelCount).to.equal(channels);
      const got = Array.from({ length: channels }, () => dma.requestChannel());
      expect(got).to.deep.equal(Array.from({ length: channels }, (_, i) => i));
      expectErrno(() => dma.requestChannel(), EINVAL);
      dma.releaseChannel(0);
      expect(dma.requestChannel()).to.equal(0);
    });

    for (const burst of [0, 4, 8, 16]) {
      it(`chan_blen_transfer: burst ${burst} on every channel`, async () => {
        for (let ch = 0; ch < channels; ch++) {
          const src = buf(TX_DATA.length);
          const dst = buf(TX_DATA.length);
          sim.memory.write(src, TX_DATA);
          const statuses: number[] = [];
          dma.config(ch, {
            direction: 'memory-to-memory',
            blocks: [{ src, dst, size: TX_DATA.length }],
            burstLength: burst,
            callback: (c, s) => {
              expect(c).to.equal(ch);
              statuses.push(s);
            },
          });
          dma.start(ch);
          await sim.run();
          expect(statuses).to.deep.equal([0]);
          expect(sim.memory.read(dst, TX_DATA.length)).to.deep.equal(TX_DATA);
          expect(dma.getStatus(ch)).to.include({ busy: false, pendingLength: 0, totalCopied: TX_DATA.length });
        }
      });
    }

    it('loop_transfer: reload and restart from the callback, several rounds', async () => {
      const rounds = 5;
      const srcs = Array.from({ length: rounds }, (_, i) => {
        const a = buf(300);
        sim.memory.write(a, fill(300, i));
        return a;
      });
      const dsts = Array.from({ length: rounds }, () => buf(300));
      let done = 0;
      const ch = dma.requestChannel();
      dma.config(ch, {
        direction: 'memory-to-memory',
        blocks: [{ src: srcs[0]!, dst: dsts[0]!, size: 300 }],
        callback: (c, status) => {
          expect(status).to.equal(0);
          done++;
          if (done < rounds) {
            dma.reload(c, srcs[done]!, dsts[done]!, 300);
            dma.start(c);
          }
        },
      });
      dma.start(ch);
      await sim.run();
      expect(done).to.equal(rounds);
      for (let i = 0; i < rounds; i++) expect(sim.memory.read(dsts[i]!, 300)).to.deep.equal(fill(300, i));
    });

    it('loop_transfer with suspend/resume: nothing moves while suspended, status is exact', async () => {
      const n = 16_000;
      const src = buf(n);
      const dst = buf(n);
      sim.memory.write(src, fill(n, 1));
      const statuses: number[] = [];
      dma.config(0, {
        direction: 'memory-to-memory',
        blocks: [{ src, dst, size: n }],
        callback: (_c, s) => statuses.push(s),
      });
      expectErrno(() => dma.suspend(0), EINVAL);
      expectErrno(() => dma.resume(0), EINVAL);
      dma.start(0);
      dma.start(0); // idempotent
      await sim.run({ until: sim.now + 100_000_000 });
      const st = dma.getStatus(0);
      expect(st.busy).to.equal(true);
      expect(st.totalCopied).to.be.greaterThan(0).and.lessThan(n);
      expect(st.pendingLength).to.equal(n - st.totalCopied);
      // memory agrees with the status at this instant
      expect(sim.memory.read(dst, st.totalCopied)).to.deep.equal(fill(n, 1).subarray(0, st.totalCopied));
      dma.suspend(0);
      expectErrno(() => dma.suspend(0), EINVAL);
      const frozen = dma.getStatus(0);
      expect(frozen.busy).to.equal(false);
      await sim.run({ until: sim.now + 1_000_000_000 });
      expect(dma.getStatus(0).totalCopied).to.equal(frozen.totalCopied);
      expect(sim.memory.read(dst + frozen.totalCopied, 4).every((b) => b === 0)).to.equal(true);
      expect(statuses).to.deep.equal([]);
      dma.resume(0);
      await sim.run();
      expect(statuses).to.deep.equal([0]);
      expect(sim.memory.read(dst, n)).to.deep.equal(fill(n, 1));
    });

    it('loop_transfer with repeated start/stop: -ECANCELED once per stopped transfer, then a clean run', async () => {
      const n = 8000;
      const src = buf(n);
      const dst = buf(n);
      sim.memory.write(src, fill(n, 2));
      const statuses: number[] = [];
      dma.config(0, {
        direction: 'memory-to-memory',
        blocks: [{ src, dst, size: n }],
        callback: (_c, s) => statuses.push(s),
      });
      dma.stop(0); // stopping a stopped channel succeeds
      for (let i = 0; i < 3; i++) {
        dma.start(0);
        await sim.run({ until: sim.now + 10_000_000 });
        dma.stop(0);
        dma.stop(0);
      }
      expect(statuses).to.deep.equal([ECANCELED, ECANCELED, ECANCELED]);
      expect(dma.getStatus(0).busy).to.equal(false);
      dma.start(0);
      await sim.run();
      expect(statuses).to.deep.equal([ECANCELED, ECANCELED, ECANCELED, 0]);
      expect(sim.memory.read(dst, n)).to.deep.equal(fill(n, 2));
      dma.stop(0); // after completion: no -ECANCELED
      expect(statuses).to.have.length(4);
    });

    it('scatter_gather: a block list with completeCallbackEn reports BLOCK per block and COMPLETE at the end', async () => {
      const sizes = [100, 5000, 64, 4096];
      const blocks = sizes.map((size, i) => {
        const src = buf(size);
        sim.memory.write(src, fill(size, i));
        return { src, dst: buf(size), size };
      });
      const statuses: [number, number][] = [];
      dma.config(0, {
        direction: 'memory-to-memory',
        blocks,
        completeCallbackEn: true,
        callback: (_c, s) => statuses.push([s, sim.now]),
      });
      dma.start(0);
      await sim.run();
      expect(statuses.map((x) => x[0])).to.deep.equal([1, 1, 1, 0]);
      for (let i = 1; i < statuses.length; i++) expect(statuses[i]![1]).to.be.greaterThan(statuses[i - 1]![1]);
      blocks.forEach((b, i) => expect(sim.memory.read(b.dst, b.size)).to.deep.equal(fill(b.size, i)));
      expect(dma.getStatus(0).totalCopied).to.equal(sizes.reduce((a, b) => a + b));
      // without completeCallbackEn only the end reports
      const quiet: number[] = [];
      dma.config(0, { direction: 'memory-to-memory', blocks, callback: (_c, s) => quiet.push(s) });
      dma.start(0);
      await sim.run();
      expect(quiet).to.deep.equal([0]);
    });

    if (channels > 1) {
      it('concurrent_transfer: two channels at once, both byte-exact, sharing the bus', async () => {
        const n = 12_000;
        const t = [0, 1].map((i) => {
          const src = buf(n);
          sim.memory.write(src, fill(n, i));
          return { src, dst: buf(n), end: 0 };
        });
        t.forEach((x, ch) =>
          dma.config(ch, {
            direction: 'memory-to-memory',
            blocks: [{ src: x.src, dst: x.dst, size: n }],
            callback: () => {
              x.end = sim.now;
            },
          }),
        );
        dma.start(0);
        dma.start(1);
        await sim.run();
        t.forEach((x, i) => expect(sim.memory.read(x.dst, n)).to.deep.equal(fill(n, i)));
        const alone = await createSimulation({ target });
        const d = alone.get(token);
        const s = alone.memory.alloc(n);
        const dd = alone.memory.alloc(n);
        let end = 0;
        d.config(0, {
          direction: 'memory-to-memory',
          blocks: [{ src: s, dst: dd, size: n }],
          callback: () => {
            end = alone.now;
          },
        });
        d.start(0);
        await alone.run();
        await alone.dispose();
        expect(Math.max(t[0]!.end, t[1]!.end) / end).to.be.closeTo(2, 0.1);
      });
    }

    it('cyclic: the list repeats, COMPLETE each round, until stopped (-ECANCELED once)', async () => {
      const n = 5000;
      const src = buf(n);
      const dst = buf(n);
      sim.memory.write(src, fill(n, 4));
      const statuses: number[] = [];
      dma.config(0, {
        direction: 'memory-to-memory',
        blocks: [{ src, dst, size: n }],
        cyclic: true,
        callback: (c, s) => {
          statuses.push(s);
          if (s === 0 && statuses.length === 3) sim.memory.write(dst, new Uint8Array(n));
          if (statuses.length === 4) dma.stop(c);
        },
      });
      dma.start(0);
      await sim.run();
      expect(statuses).to.deep.equal([0, 0, 0, 0, ECANCELED]);
      // the fourth round wrote the data again after the third's clearing
      expect(sim.memory.read(dst, n)).to.deep.equal(fill(n, 4));
      expect(dma.getStatus(0).totalCopied).to.equal(4 * n);
    });

    it('refuses bad channels, states and configs with Zephyr errnos, changing nothing', async () => {
      const src = buf(64);
      const dst = buf(64);
      const ok: DmaConfig = { direction: 'memory-to-memory', blocks: [{ src, dst, size: 64 }] };
      for (const bad of [-1, channels, 1.5, 99]) {
        expectErrno(() => dma.config(bad, ok), EINVAL);
        expectErrno(() => dma.start(bad), EINVAL);
        expectErrno(() => dma.stop(bad), EINVAL);
        expectErrno(() => dma.getStatus(bad), EINVAL);
        expectErrno(() => dma.reload(bad, src, dst, 64), EINVAL);
      }
      expectErrno(() => dma.start(0), EINVAL);
      expectErrno(() => dma.reload(0, src, dst, 64), EINVAL);
      expectErrno(() => dma.config(0, { ...ok, blocks: [] }), EINVAL);
      expectErrno(() => dma.config(0, { ...ok, burstLength: 3 }), EINVAL);
      expectErrno(() => dma.config(0, { ...ok, priority: 9 }), EINVAL);
      expectErrno(() => dma.config(0, { ...ok, blocks: [{ src, dst, size: 0 }] }), EINVAL);
      expectErrno(() => dma.config(0, { ...ok, blocks: [{ src: 0x10, dst, size: 64 }] }), EINVAL);
      const big = buf(17 * 4095);
      expectErrno(() => dma.config(0, { ...ok, blocks: [{ src: big, dst: big, size: 17 * 4095 }] }), EINVAL);
      expectErrno(() => dma.config(0, { ...ok, direction: 'memory-to-peripheral' }), ENOSYS);
      expect(dma.getStatus(0)).to.include({ busy: false, totalCopied: 0 });
      expectErrno(() => dma.start(0), EINVAL);
      dma.config(0, { ...ok, blocks: [{ src: big, dst: big + 8000, size: 8000 }] });
      dma.start(0);
      expectErrno(() => dma.config(0, ok), EBUSY);
      expectErrno(() => dma.reload(0, src, dst, 64), EBUSY);
      await sim.run();
      dma.reload(0, src, dst, 64);
      expect(dma.getStatus(0)).to.include({ busy: false, pendingLength: 64, totalCopied: 0 });
      sim.memory.write(src, fill(64, 5));
      dma.start(0);
      await sim.run();
      expect(sim.memory.read(dst, 64)).to.deep.equal(fill(64, 5));
    });
  });
}
