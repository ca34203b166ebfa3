import { expect } from 'chai';
import { createSimulation } from '../../../create-simulation.js';
import type { Simulation } from '../../../core/simulation.js';
import { DmaError, EINVAL, ENOSYS } from '../../../core/errors.js';
import { Gdma, GdmaDriver, GdmaZephyrEsp32 } from '../gdma/index.js';
import { DMA_STATUS_BLOCK, DMA_STATUS_COMPLETE } from './api.js';

function errno(fn: () => unknown): number {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(DmaError);
    return (e as DmaError).errno;
  }
  return 0;
}

function bufs(sim: Simulation, n: number): { src: number; dst: number; data: Uint8Array } {
  const src = sim.memory.alloc(n, { caps: ['dma', 'internal'], align: 4 });
  const dst = sim.memory.alloc(n, { caps: ['dma', 'internal'], align: 4 });
  const data = Uint8Array.from({ length: n }, (_, i) => (i * 7 + 1) & 0xff);
  sim.memory.write(src, data);
  return { src, dst, data };
}

describe("Zephyr's real ESP32 GDMA driver face (dma_esp32_gdma.c), next to the dma.rst contract", () => {
  it('has pair halves as channels (10 on the S3, 6 on the C3) and no dma_request_channel; the generic face has both', async () => {
    for (const [target, n] of [
      ['esp32s3', 10],
      ['esp32c3', 6],
    ] as const) {
      const sim = await createSimulation({ target });
      const z = sim.get(GdmaZephyrEsp32);
      expect(z.channelCount).to.equal(n);
      expect(errno(() => z.requestChannel())).to.equal(EINVAL);
      expect(sim.get(Gdma).requestChannel()).to.equal(0); // the contract's face allocates
      await sim.dispose();
    }
  });

  it('suspend/resume are -ENOSYS (the contract: -EINVAL in the wrong state, otherwise they work)', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const z = sim.get(GdmaZephyrEsp32);
    const b = bufs(sim, 64);
    z.config(0, { direction: 'memory-to-memory', blocks: [{ src: b.src, dst: b.dst, size: 64 }] });
    expect(errno(() => z.suspend(0))).to.equal(ENOSYS);
    expect(errno(() => z.resume(1))).to.equal(ENOSYS);
    expect(errno(() => z.suspend(6))).to.equal(EINVAL);
    await sim.dispose();
  });

  it('an M2M config on either half configures both; TX calls back on the odd channel, RX BLOCK per descriptor then COMPLETE on the even one', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const z = sim.get(GdmaZephyrEsp32);
    const b = bufs(sim, 10_000); // 3 descriptors of at most 4092
    const seen: [number, number][] = [];
    z.config(3, {
      direction: 'memory-to-memory',
      blocks: [{ src: b.src, dst: b.dst, size: 10_000 }],
      callback: (ch, st) => {
        seen.push([ch, st]);
      },
    });
    z.start(2);
    expect(z.getStatus(2)).to.include({ busy: true, dir: 'peripheral-to-memory', pendingLength: 0 });
    await sim.run();
    expect(sim.memory.read(b.dst, 10_000)).to.deep.equal(b.data);
    expect(seen).to.deep.equal([
      [2, DMA_STATUS_BLOCK],
      [2, DMA_STATUS_BLOCK],
      [3, DMA_STATUS_COMPLETE],
      [2, DMA_STATUS_COMPLETE],
    ]);
    const st = z.getStatus(2);
    expect(st).to.include({ busy: false, totalCopied: 10_000, pendingLength: 0, readPosition: 3, writePosition: 3 });
    expect(z.getStatus(3).dir).to.equal('memory-to-peripheral');
    await sim.dispose();
  });

  it('stop calls no callback (the contract reports -ECANCELED); start on a started channel restarts from the first descriptor', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const z = sim.get(GdmaZephyrEsp32);
    const b = bufs(sim, 8184);
    const seen: number[] = [];
    z.config(0, {
      direction: 'memory-to-memory',
      blocks: [{ src: b.src, dst: b.dst, size: 8184 }],
      callback: (_c, st) => {
        seen.push(st);
      },
    });
    z.start(0);
    await sim.run({ until: sim.now + 20_000_000 });
    z.stop(0);
    z.stop(0); // 0 in any state
    await sim.run();
    expect(seen).to.deep.equal([]);
    z.start(0);
    z.start(0); // restart: from the first descriptor again
    await sim.run();
    expect(seen.at(-1)).to.equal(DMA_STATUS_COMPLETE);
    expect(sim.memory.read(b.dst, 8184)).to.deep.equal(b.data);
    await sim.dispose();
  });

  it('config: -EINVAL for unequal burst lengths, a half of the wrong parity, a buffer not DMA capable, more than 16 descriptors; no busy check', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const z = sim.get(GdmaZephyrEsp32);
    const b = bufs(sim, 70_000);
    const flash = sim.memory.regions.find((r) => r.kind === 'flash')!.base;
    const m2m = (blocks: { src: number; dst: number; size: number }[]) => ({
      direction: 'memory-to-memory' as const,
      blocks,
    });
    expect(
      errno(() =>
        z.config(0, { ...m2m([{ src: b.src, dst: b.dst, size: 64 }]), sourceBurstLength: 16, destBurstLength: 32 }),
      ),
    ).to.equal(EINVAL);
    expect(
      errno(() =>
        z.config(0, { direction: 'memory-to-peripheral', dmaSlot: 0, blocks: [{ src: b.src, dst: 0, size: 64 }] }),
      ),
    ).to.equal(EINVAL);
    expect(
      errno(() =>
        z.config(1, { direction: 'peripheral-to-memory', dmaSlot: 0, blocks: [{ src: 0, dst: b.dst, size: 64 }] }),
      ),
    ).to.equal(EINVAL);
    expect(errno(() => z.config(0, m2m([{ src: flash, dst: b.dst, size: 64 }])))).to.equal(EINVAL);
    expect(errno(() => z.config(0, m2m([{ src: b.src, dst: b.dst, size: 16 * 4092 + 1 }])))).to.equal(EINVAL);
    expect(errno(() => z.config(0, null as never))).to.equal(EINVAL);
    z.config(0, m2m([{ src: b.src, dst: b.dst, size: 16 * 4092 }]));
    z.start(0);
    z.config(0, m2m([{ src: b.src, dst: b.dst, size: 64 }])); // running: the driver does not check
    await sim.dispose();
  });

  it("peripheral directions take dma_slot as the trigger: MEMORY_TO_PERIPHERAL on a TX half feeds SPI2's trigger", async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const z = sim.get(GdmaZephyrEsp32);
    const gdma = sim.get(GdmaDriver);
    const b = bufs(sim, 100);
    const seen: [number, number][] = [];
    z.config(1, {
      direction: 'memory-to-peripheral',
      dmaSlot: 0,
      blocks: [{ src: b.src, dst: 0, size: 100 }],
      callback: (ch, st) => {
        seen.push([ch, st]);
      },
    });
    z.start(1);
    // the SPI side pulls the bytes through the channel the driver connected to trigger 0 (SPI2)
    const fifo = new Uint8Array(100);
    const tx = (sim.get(GdmaDriver) as unknown as { tx: { trigger?: unknown }[] }).tx;
    expect(tx[0]!.trigger).to.deep.equal({ peripheral: 'SPI2' });
    expect(gdma.peripheralRead(tx[0] as never, fifo, 0, 100)).to.equal(100);
    expect(fifo).to.deep.equal(b.data);
    expect(seen).to.deep.equal([[1, DMA_STATUS_COMPLETE]]);
    expect(
      errno(() =>
        z.config(3, { direction: 'memory-to-peripheral', dmaSlot: 9, blocks: [{ src: b.src, dst: 0, size: 4 }] }),
      ),
    ).to.equal(EINVAL);
    await sim.dispose();
  });

  it('a descriptor error calls back with the negated interrupt bit, not an errno', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const z = sim.get(GdmaZephyrEsp32);
    const b = bufs(sim, 64);
    const seen: number[] = [];
    z.config(0, {
      direction: 'memory-to-memory',
      blocks: [{ src: b.src, dst: b.dst, size: 64 }],
      callback: (_c, st) => {
        seen.push(st);
      },
    });
    // software hands the TX descriptor back to the CPU once the list is built: the engine refuses it
    sim.bus
      .source('gdma')
      .on('channel-start')
      .subscribe((e) => {
        const d = e.data as { dir: string; descriptor: number };
        if (d.dir === 'tx') {
          const r = sim.memory.read(d.descriptor, 4);
          r[3]! &= 0x7f;
          sim.memory.write(d.descriptor, r);
        }
      });
    z.start(0);
    await sim.run();
    expect(seen).to.deep.equal([-(1 << 2)]); // -GDMA_LL_EVENT_TX_DESC_ERROR
    await sim.dispose();
  });

  it('reload: -EINVAL unconfigured, otherwise rebuilds the list in any state', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const z = sim.get(GdmaZephyrEsp32);
    const b = bufs(sim, 256);
    expect(errno(() => z.reload(4, b.src, b.dst, 64))).to.equal(EINVAL);
    z.config(4, { direction: 'memory-to-memory', blocks: [{ src: b.src, dst: b.dst, size: 64 }] });
    z.reload(4, b.src + 64, b.dst + 64, 128);
    z.start(4);
    await sim.run();
    expect(sim.memory.read(b.dst + 64, 128)).to.deep.equal(b.data.subarray(64, 192));
    expect(sim.memory.read(b.dst, 64).every((x) => x === 0)).to.equal(true);
    await sim.dispose();
  });
});

describe("CP DMA's Zephyr face", () => {
  it('is marked beyond upstream (Zephyr has no ESP32-S2 CP DMA driver); the GDMA faces are not', async () => {
    const { CpDma } = await import('../cpdma/index.js');
    const s2 = await createSimulation({ target: 'esp32s2' });
    expect(s2.get(CpDma).beyondUpstream).to.match(/no upstream driver for the ESP32-S2 CP DMA/);
    await s2.dispose();
    const c3 = await createSimulation({ target: 'esp32c3' });
    expect(c3.get(Gdma).beyondUpstream).to.equal(undefined);
    await c3.dispose();
  });

  it('a config needing more descriptors than CONFIG_DMA_ESP32_MAX_DESCRIPTOR_NUM is -EINVAL and dma.descriptor-limit; within the pool, clean', async () => {
    const sim = await createSimulation({ target: 'esp32c3', checks: ['dma.descriptor-limit'] });
    const z = sim.get(GdmaZephyrEsp32);
    const b = bufs(sim, 16 * 4092 + 1);
    z.config(0, { direction: 'memory-to-memory', blocks: [{ src: b.src, dst: b.dst, size: 16 * 4092 }] });
    expect(sim.diagnostics).to.deep.equal([]);
    expect(
      errno(() =>
        z.config(0, { direction: 'memory-to-memory', blocks: [{ src: b.src, dst: b.dst, size: 16 * 4092 + 1 }] }),
      ),
    ).to.equal(EINVAL);
    expect(sim.diagnostics.map((f) => [f.rule, f.objects[0]])).to.deep.equal([
      ['dma.descriptor-limit', 'dma_esp32_gdma channel 0'],
    ]);
    expect(sim.diagnostics[0]!.message).to.include(
      "need 17 descriptors of at most 4092 bytes, the channel's pool has 16",
    );
    expect(sim.diagnostics[0]!.fix).to.include('CONFIG_DMA_ESP32_MAX_DESCRIPTOR_NUM to at least 17');
    // the contract's face (ZephyrDmaController) reports the same rule for its pool
    const g = sim.get(Gdma);
    const ch = g.requestChannel();
    expect(
      errno(() =>
        g.config(ch, { direction: 'memory-to-memory', blocks: [{ src: b.src, dst: b.dst, size: 16 * 4092 + 1 }] }),
      ),
    ).to.equal(EINVAL);
    expect(sim.diagnostics.map((f) => f.rule)).to.deep.equal(['dma.descriptor-limit', 'dma.descriptor-limit']);
    expect(sim.diagnostics[1]!.fix).to.include('descriptorsPerChannel');
    await sim.dispose();
  });
});
