import { expect } from 'chai';
import { createSimulation } from '../../../create-simulation.js';
import { DmaError, EBUSY, ECANCELED, EINVAL, EspError, ESP_ERR_INVALID_STATE } from '../../../core/errors.js';
import type { ServiceIdentifier } from '../../../core/plugin/tokens.js';
import type { DmaController } from './api.js';
import { Gdma } from '../gdma/index.js';
import { CpDma } from '../cpdma/index.js';

/** Races and misuse of the Zephyr DMA API that once corrupted state (issue 11, items 1, 3, 5 and 6). */
const ENGINES: [string, ServiceIdentifier<DmaController>][] = [
  ['esp32s3', Gdma],
  ['esp32s2', CpDma],
];
const N = 8000;
const fill = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 13 + seed) & 0xff);

/** A simulation with channel 0 configured for an N-byte copy; `log` gets [channel, status, time]. */
async function setup(target: string, token: ServiceIdentifier<DmaController>, throwOn?: number) {
  const sim = await createSimulation({ target });
  const dma = sim.get(token);
  const buf = (n: number): number => sim.memory.alloc(n, { caps: ['dma', 'internal'] });
  const src = buf(N);
  const dst = buf(N);
  sim.memory.write(src, fill(N, 1));
  const log: [number, number, number][] = [];
  const callback = (ch: number, status: number): void => {
    log.push([ch, status, sim.now]);
    if (status === throwOn) throw new Error(`user callback fails on ${status}`);
  };
  dma.config(0, { direction: 'memory-to-memory', blocks: [{ src, dst, size: N }], callback });
  return { sim, dma, src, dst, buf, log, callback };
}

/** The instant channel 0's N-byte copy completes (same config, same events: deterministic). */
async function completionInstant(target: string, token: ServiceIdentifier<DmaController>): Promise<number> {
  const { sim, dma, log } = await setup(target, token);
  dma.start(0);
  await sim.run();
  await sim.dispose();
  expect(log).to.have.length(1);
  return log[0]![2];
}

for (const [target, token] of ENGINES) {
  describe(`Zephyr DMA on ${target}: calls at the instant a transfer ends (issue 11 item 1)`, () => {
    it('a stop at the completion instant completes the transfer once (no -ECANCELED) and a later start on another channel runs its full time', async () => {
      const t = await completionInstant(target, token);
      const { sim, dma, src, dst, buf, log, callback } = await setup(target, token);
      const other = dma.channelCount > 1 ? 1 : 0;
      const s2 = buf(N);
      const d2 = buf(N);
      sim.memory.write(s2, fill(N, 2));
      let restartedAt = -1;
      sim.schedule(t, () => {
        dma.stop(0);
        if (other !== 0 || dma.getStatus(0).busy === false) {
          dma.config(other, { direction: 'memory-to-memory', blocks: [{ src: s2, dst: d2, size: N }], callback });
          dma.start(other);
          restartedAt = sim.now;
        }
      });
      dma.start(0);
      await sim.run();
      expect(sim.faults.map((f) => `${f.source}: ${f.error.message}`)).to.deep.equal([]);
      // channel 0: COMPLETE once at t; the second transfer: COMPLETE once, a full transfer time after its start
      expect(log[0]).to.deep.equal([0, 0, t]);
      expect(log).to.have.length(2);
      expect(log[1]![0]).to.equal(other);
      expect(log[1]![1]).to.equal(0);
      expect(log[1]![2] - restartedAt).to.equal(t);
      expect(sim.memory.read(dst, N)).to.deep.equal(fill(N, 1));
      expect(sim.memory.read(d2, N)).to.deep.equal(fill(N, 2));
      expect(sim.memory.read(src, N)).to.deep.equal(fill(N, 1));
      await sim.dispose();
    });

    it('a suspend at the completion instant leaves the channel configured, not suspended: config and start are accepted', async () => {
      const t = await completionInstant(target, token);
      const { sim, dma, dst, log } = await setup(target, token);
      sim.schedule(t, () => dma.suspend(0));
      dma.start(0);
      await sim.run();
      expect(sim.faults.map((f) => f.error.message)).to.deep.equal([]);
      expect(log).to.deep.equal([[0, 0, t]]);
      const st = dma.getStatus(0);
      expect(st.busy).to.equal(false);
      expect(st.pendingLength).to.equal(0);
      expect(st.totalCopied).to.equal(N);
      expect(sim.memory.read(dst, N)).to.deep.equal(fill(N, 1));
      expect(() => dma.resume(0)).to.throw(DmaError);
      dma.start(0); // configured: a new round
      await sim.run();
      expect(log.map(([c, s]) => [c, s])).to.deep.equal([
        [0, 0],
        [0, 0],
      ]);
      await sim.dispose();
    });
  });

  describe(`Zephyr DMA on ${target}: a throwing callback (issue 11 item 3)`, () => {
    it('on the -ECANCELED path is a fault naming the channel; stop and release complete, and the channel can be requested again', async () => {
      const { sim, dma, log } = await setup(target, token, ECANCELED);
      const ch = 0;
      dma.start(ch);
      await sim.run({ until: 1_000_000 });
      expect(() => dma.releaseChannel(ch)).to.not.throw();
      expect(log.map(([, s]) => s)).to.deep.equal([ECANCELED]);
      expect(sim.faults).to.have.length(1);
      expect(sim.faults[0]!.source).to.match(/dma callback of channel 0/);
      expect(sim.faults[0]!.error.message).to.match(/fails on -140/);
      const again = Array.from({ length: dma.channelCount }, () => dma.requestChannel());
      expect(again).to.include(ch);
      await sim.dispose();
    });

    it('on COMPLETE is a fault, and the channel is configured again (start accepted)', async () => {
      const { sim, dma, log } = await setup(target, token, 0);
      dma.start(0);
      await sim.run();
      expect(sim.faults).to.have.length(1);
      expect(sim.faults[0]!.source).to.match(/dma callback of channel 0/);
      expect(dma.getStatus(0).busy).to.equal(false);
      dma.start(0);
      await sim.run();
      expect(log.map(([, s]) => s)).to.deep.equal([0, 0]);
      await sim.dispose();
    });
  });

  describe(`Zephyr DMA on ${target}: bad blocks and buffers in flight (issue 11 items 5, 6)`, () => {
    it('a block whose src or dst is not an address is -EINVAL, and the channel keeps its configuration', async () => {
      const { sim, dma, src, dst } = await setup(target, token);
      for (const bad of [undefined, null, NaN, -1, 1.5, '0x3fc88000', 2 ** 53, {}]) {
        for (const blk of [
          { src: bad, dst, size: 16 },
          { src, dst: bad, size: 16 },
        ]) {
          try {
            dma.config(0, { direction: 'memory-to-memory', blocks: [blk as never] });
            expect.fail(`accepted ${String(bad)}`);
          } catch (e) {
            expect(e, String(e)).to.be.instanceOf(DmaError);
            expect((e as DmaError).errno).to.equal(EINVAL);
          }
        }
      }
      expect(() => dma.reload(0, undefined as never, dst, 16))
        .to.throw(DmaError)
        .with.property('errno', EINVAL);
      expect(dma.getStatus(0).pendingLength).to.equal(N);
      await sim.dispose();
    });

    it("freeing or writing a running transfer's buffers is refused naming it; they are free again when it completes or stops", async () => {
      const { sim, dma, src, dst } = await setup(target, token);
      dma.start(0);
      await sim.run({ until: 1_000_000 });
      for (const addr of [src, dst]) {
        expect(() => sim.memory.free(addr))
          .to.throw(EspError)
          .with.property('code', ESP_ERR_INVALID_STATE);
        expect(() => sim.memory.write(addr + 8, new Uint8Array(4))).to.throw(EspError, /held by/);
      }
      dma.suspend(0);
      await sim.run({ until: sim.now + 1_000_000 });
      expect(() => sim.memory.free(dst)).to.throw(EspError, /held by/); // a suspended transfer goes on later
      dma.resume(0);
      await sim.run();
      expect(sim.memory.read(dst, N)).to.deep.equal(fill(N, 1));
      sim.memory.free(dst); // done: no longer held
      const d3 = sim.memory.alloc(N, { caps: ['dma', 'internal'] });
      dma.reload(0, src, d3, N);
      dma.start(0);
      await sim.run({ until: sim.now + 1_000_000 });
      expect(() => sim.memory.free(d3)).to.throw(EspError, /held by/);
      dma.stop(0);
      sim.memory.free(d3);
      sim.memory.free(src);
      expect(sim.faults).to.deep.equal([]);
      await sim.dispose();
    });

    it('config while running stays -EBUSY and changes nothing', async () => {
      const { sim, dma, src, dst } = await setup(target, token);
      dma.start(0);
      expect(() => dma.config(0, { direction: 'memory-to-memory', blocks: [{ src, dst, size: 4 }] }))
        .to.throw(DmaError)
        .with.property('errno', EBUSY);
      await sim.run();
      expect(dma.getStatus(0).totalCopied).to.equal(N);
      await sim.dispose();
    });
  });
}
