import { expect } from 'chai';
import { createSimulation } from '../../create-simulation.js';
import { type Simulation } from '../../core/simulation.js';
import {
  type EspError,
  ESP_ERR_INVALID_ARG,
  ESP_ERR_INVALID_STATE,
  ESP_ERR_NOT_FOUND,
  ESP_ERR_NOT_SUPPORTED,
} from '../../core/errors.js';
import { DescriptorMemory } from '../dma/engine/descriptor.js';
import { Core } from '../../core/tokens.js';
import { extendTarget } from '../../core/target/target.js';
import { esp32c3 } from '../../targets/index.js';
import { Spi } from '../spi/index.js';
import {
  AsyncMemcpy,
  asyncMemcpy,
  type AsyncMemcpyBackend,
  type AsyncMemcpyConfig,
  type AsyncMemcpyDriver,
} from './index.js';
import { expectEsp, pattern as fill, runTask as task } from '../../test/helpers/sim.js';

/** Every target with async memcpy, with the backend the suite installs (the ESP32-P4 twice: AHB and AXI GDMA). */
const ENGINES: readonly [string, AsyncMemcpyBackend][] = [
  ['esp32s2', 'auto'],
  ['esp32s3', 'auto'],
  ['esp32c3', 'auto'],
  ['esp32c5', 'auto'],
  ['esp32c6', 'auto'],
  ['esp32c61', 'auto'],
  ['esp32h2', 'auto'],
  ['esp32p4', 'auto'],
  ['esp32p4', 'gdma-axi'],
];
/** AHB GDMA v1 (SOC_AHB_GDMA_VERSION 1): burst needs 4-byte aligned destinations and sizes (GDMA_LL_AHB_RX_BURST_NEEDS_ALIGNMENT). */
const AHB_V1 = ['esp32s3', 'esp32c3', 'esp32c6', 'esp32h2'];
/** The copy-done event (the RX channel's IN_SUC_EOF) of the first M2M pair, from each chip's soc_etm_source.h. */
const COPY_DONE_ID: Record<string, number> = {
  'esp32c5/auto': 109,
  'esp32c6/auto': 141,
  'esp32c61/auto': 90,
  'esp32h2/auto': 141,
  // the P4's AHB pair 0 cannot do M2M (mask 0x06): pair 1's GDMA_AHB_EVT_IN_SUC_EOF_CH1; AXI pair 0's CH0
  'esp32p4/auto': 203,
  'esp32p4/gdma-axi': 231,
};

for (const [target, backend] of ENGINES) {
  describe(`async memcpy on ${target}${backend === 'auto' ? '' : ` (${backend})`} (test_async_memcpy.c scenarios)`, () => {
    let sim: Simulation;
    beforeEach(async () => {
      sim = await createSimulation({ target });
    });
    afterEach(() => sim.dispose());
    const install = (cfg?: AsyncMemcpyConfig): AsyncMemcpyDriver => sim.get(AsyncMemcpy).install(cfg, backend);

    it('copies the same buffer again with new content', async () => {
      const drv = install();
      const n = 4096;
      const src = sim.memory.alloc(n, { caps: ['dma', 'internal'] });
      const dst = sim.memory.alloc(n, { caps: ['dma', 'internal'] });
      await task(sim, async () => {
        for (let round = 0; round < 5; round++) {
          sim.memory.write(src, fill(n, round));
          await drv.memcpy(dst, src, n);
          expect(sim.memory.read(dst, n)).to.deep.equal(fill(n, round));
        }
      });
    });

    it('copies sizes 256..5008 from offsets 0..3 one by one, byte-exact and nothing beyond', async () => {
      const drv = install({ backlog: 4 });
      const sizes = [256, 512, 1024, 2048, 4096, 5008];
      const src = sim.memory.alloc(5012 + 8, { caps: ['dma', 'internal'] });
      const dst = sim.memory.alloc(5012 + 8, { caps: ['dma', 'internal'] });
      await task(sim, async () => {
        for (const [i, n] of sizes.entries()) {
          for (let off = 0; off < 4; off++) {
            sim.memory.write(dst, new Uint8Array(5020));
            const data = fill(n, i * 4 + off);
            sim.memory.write(src + off, data);
            await drv.memcpy(dst, src + off, n);
            expect(sim.memory.read(dst, n)).to.deep.equal(data);
            expect(sim.memory.read(dst + n, 4).every((b) => b === 0)).to.equal(true);
          }
        }
      });
    });

    it('runs copies queued on the fly in order, each callback before its promise', async () => {
      const drv = install({ backlog: 8 });
      const sizes = [256, 512, 1024, 2048, 4096, 5008];
      const order: string[] = [];
      const copies = sizes.map((n, i) => {
        const src = sim.memory.alloc(n, { caps: ['dma', 'internal'] });
        const dst = sim.memory.alloc(n, { caps: ['dma', 'internal'] });
        sim.memory.write(src, fill(n, i));
        return { n, src, dst, i };
      });
      const times: number[] = [];
      await task(sim, async () => {
        const ps = copies.map((c) =>
          drv
            .memcpy(c.dst, c.src, c.n, () => {
              order.push(`cb${c.i}`);
              times[c.i] = sim.now;
            })
            .then(() => {
              order.push(`p${c.i}`);
              expect(sim.now).to.equal(times[c.i]);
            }),
        );
        await Promise.all(ps);
      });
      expect(order.filter((x) => x.startsWith('cb'))).to.deep.equal(sizes.map((_, i) => `cb${i}`));
      for (let i = 0; i < sizes.length; i++) expect(order.indexOf(`cb${i}`)).to.be.lessThan(order.indexOf(`p${i}`));
      for (let i = 1; i < sizes.length; i++) expect(times[i]).to.be.greaterThan(times[i - 1]!);
      for (const c of copies) expect(sim.memory.read(c.dst, c.n)).to.deep.equal(fill(c.n, c.i));
    });

    it('queues a copy issued inside a callback and runs it after the current one', async () => {
      const drv = install({ backlog: 2 });
      const a = sim.memory.alloc(1024, { caps: ['dma', 'internal'] });
      const b = sim.memory.alloc(1024, { caps: ['dma', 'internal'] });
      const c = sim.memory.alloc(1024, { caps: ['dma', 'internal'] });
      sim.memory.write(a, fill(1024, 9));
      const events: string[] = [];
      let inner: Promise<void> | undefined;
      let firstDoneAt = 0;
      await task(sim, async () => {
        await drv.memcpy(b, a, 1024, () => {
          events.push('cb1');
          firstDoneAt = sim.now;
          // b holds the data already: chain b -> c
          inner = drv.memcpy(c, b, 1024, () => {
            events.push('cb2');
          });
          expect(sim.memory.read(c, 1024).every((x) => x === 0)).to.equal(true);
        });
        events.push('p1');
        await inner;
        events.push('p2');
      });
      expect(events).to.deep.equal(['cb1', 'p1', 'cb2', 'p2']);
      expect(sim.memory.read(c, 1024)).to.deep.equal(fill(1024, 9));
      expect(sim.now).to.be.greaterThan(firstDoneAt);
    });

    it('with backlog 1 refuses a copy issued inside the callback (ESP_ERR_INVALID_STATE)', async () => {
      const drv = install({ backlog: 1 });
      const a = sim.memory.alloc(64, { caps: ['dma', 'internal'] });
      const b = sim.memory.alloc(64, { caps: ['dma', 'internal'] });
      let refused: unknown;
      await task(sim, async () => {
        await drv.memcpy(b, a, 64, () => {
          try {
            void drv.memcpy(a, b, 64);
          } catch (e) {
            refused = e;
          }
        });
      });
      expect((refused as EspError).code).to.equal(ESP_ERR_INVALID_STATE);
      expect((refused as Error).message).to.match(/no free node in the idle queue/);
    });

    it('refuses a full backlog with ESP_ERR_INVALID_STATE and loses nothing already queued', async () => {
      const drv = install({ backlog: 3 });
      const bufs = [0, 1, 2, 3].map(() => ({
        s: sim.memory.alloc(256, { caps: ['dma', 'internal'] }),
        d: sim.memory.alloc(256, { caps: ['dma', 'internal'] }),
      }));
      bufs.forEach((b, i) => sim.memory.write(b.s, fill(256, i)));
      const ps = bufs.slice(0, 3).map((b) => drv.memcpy(b.d, b.s, 256));
      expectEsp(() => drv.memcpy(bufs[3]!.d, bufs[3]!.s, 256), ESP_ERR_INVALID_STATE);
      await sim.run();
      await Promise.all(ps);
      bufs.slice(0, 3).forEach((b, i) => expect(sim.memory.read(b.d, 256)).to.deep.equal(fill(256, i)));
      expect(sim.memory.read(bufs[3]!.d, 256).every((x) => x === 0)).to.equal(true);
    });

    it('refuses bad arguments with ESP_ERR_INVALID_ARG and queues nothing', async () => {
      const drv = install();
      const a = sim.memory.alloc(64, { caps: ['dma', 'internal'] });
      const b = sim.memory.alloc(64, { caps: ['dma', 'internal'] });
      expectEsp(() => drv.memcpy(0, a, 64), ESP_ERR_INVALID_ARG, /dst is NULL/);
      expectEsp(() => drv.memcpy(b, 0, 64), ESP_ERR_INVALID_ARG, /src is NULL/);
      expectEsp(() => drv.memcpy(b, a, 0), ESP_ERR_INVALID_ARG);
      expectEsp(() => drv.memcpy(b, a, 1 << 30), ESP_ERR_INVALID_ARG);
      const flash = sim.memory.regions.find((r) => r.kind === 'flash')!;
      expectEsp(() => drv.memcpy(b, flash.base, 64), ESP_ERR_INVALID_ARG, /cannot reach/);
      const psram = sim.memory.regions.find((r) => r.kind === 'psram');
      if (psram && !sim.target.caps.gdma?.psramAccess)
        expectEsp(() => drv.memcpy(psram.base, a, 64), ESP_ERR_INVALID_ARG, /cannot reach/);
      const lp = sim.memory.regions.find((r) => r.kind === 'sram' && !r.dmaCapable);
      if (lp) expectEsp(() => drv.memcpy(lp.base, a, 64), ESP_ERR_INVALID_ARG, /cannot reach/);
      if (AHB_V1.includes(target) && backend === 'auto') {
        expectEsp(() => drv.memcpy(b + 1, a, 60), ESP_ERR_INVALID_ARG, /not aligned/);
        expectEsp(() => drv.memcpy(b, a, 62), ESP_ERR_INVALID_ARG, /not aligned/);
      }
      await sim.run();
      expect(sim.now).to.equal(0);
      // all 8 transactions are still free
      const ps = Array.from({ length: 8 }, () => drv.memcpy(b, a, 64));
      await sim.run();
      await Promise.all(ps);
    });

    it('copies to unaligned destinations where the backend allows it', async () => {
      const drv = install(target === 'esp32s2' ? {} : { dmaBurstSize: 0 });
      const src = sim.memory.alloc(1100, { caps: ['dma', 'internal'] });
      const dst = sim.memory.alloc(1100, { caps: ['dma', 'internal'] });
      await task(sim, async () => {
        for (let off = 1; off < 4; off++) {
          const n = 1001 + off;
          const data = fill(n, off);
          sim.memory.write(src + off, data);
          await drv.memcpy(dst + off, src + off, n);
          expect(sim.memory.read(dst + off, n)).to.deep.equal(data);
        }
      });
    });

    it('uninstalls only when idle and is unusable afterwards', async () => {
      const drv = install();
      const a = sim.memory.alloc(64, { caps: ['dma', 'internal'] });
      const b = sim.memory.alloc(64, { caps: ['dma', 'internal'] });
      const p = drv.memcpy(b, a, 64);
      expectEsp(() => drv.uninstall(), ESP_ERR_INVALID_STATE, /pending/);
      await sim.run();
      await p;
      drv.uninstall();
      expectEsp(() => drv.memcpy(b, a, 64), ESP_ERR_INVALID_ARG, /uninstalled/);
      expectEsp(() => drv.uninstall(), ESP_ERR_INVALID_ARG);
      // its channels are free again
      const again = install();
      const q = again.memcpy(b, a, 64);
      await sim.run();
      await q;
    });

    it('refuses bad install configs and backends', () => {
      const svc = sim.get(AsyncMemcpy);
      expectEsp(() => svc.install({ dmaBurstSize: 12 }), ESP_ERR_INVALID_ARG);
      expectEsp(() => svc.install({ backlog: -1 }), ESP_ERR_INVALID_ARG);
      if (target !== 'esp32p4')
        expectEsp(() => svc.install({}, 'gdma-axi'), ESP_ERR_NOT_SUPPORTED, /install_gdma_axi.*no AXI GDMA/);
      expectEsp(() => svc.install({}, target === 'esp32s2' ? 'gdma-ahb' : 'cpdma'), ESP_ERR_NOT_SUPPORTED);
      expectEsp(() => svc.install({}, 'fast' as never), ESP_ERR_INVALID_ARG);
    });

    it('gives its copy-done ETM event where the GDMA has ETM, ESP_ERR_NOT_SUPPORTED elsewhere', () => {
      const drv = install();
      const id = COPY_DONE_ID[`${target}/${backend}`];
      if (id !== undefined) expect(drv.newEtmEvent('copy-done').id).to.equal(id);
      else expectEsp(() => drv.newEtmEvent('copy-done'), ESP_ERR_NOT_SUPPORTED);
      expectEsp(() => drv.newEtmEvent('nope' as never), ESP_ERR_INVALID_ARG);
    });
  });
}

describe('async memcpy install rules', () => {
  it('backlog 0 means 4', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const drv = sim.get(AsyncMemcpy).install({ backlog: 0 });
    const a = sim.memory.alloc(64);
    const b = sim.memory.alloc(64);
    for (let i = 0; i < 4; i++) void drv.memcpy(b, a, 64);
    expectEsp(() => drv.memcpy(b, a, 64), ESP_ERR_INVALID_STATE);
    await sim.dispose();
  });

  it('takes the lowest free M2M pair and trigger; ESP_ERR_NOT_FOUND when no pair is left', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const svc = sim.get(AsyncMemcpy);
    const drivers: AsyncMemcpyDriver[] = [svc.install(), svc.install(), svc.install()];
    expectEsp(() => svc.install(), ESP_ERR_NOT_FOUND);
    drivers[1]!.uninstall();
    svc.install();
    await sim.dispose();
  });

  it('throws ESP_ERR_NOT_SUPPORTED on esp32, and on a custom target without DMA', async () => {
    const sim = await createSimulation({ target: 'esp32' });
    expectEsp(() => sim.get(AsyncMemcpy), ESP_ERR_NOT_SUPPORTED, /esp32/);
    await sim.dispose();
    const bare = extendTarget(esp32c3, { name: 'c3-no-gdma', plugins: [asyncMemcpy()] });
    const sim2 = await createSimulation({ target: bare });
    expectEsp(() => sim2.get(AsyncMemcpy).install(), ESP_ERR_NOT_SUPPORTED, /c3-no-gdma/);
    await sim2.dispose();
  });

  it('requires burst-size alignment for PSRAM destinations on esp32s3, and copies SRAM<->PSRAM', async () => {
    const sim = await createSimulation({ target: 'esp32s3' });
    const drv = sim.get(AsyncMemcpy).install();
    const s = sim.memory.alloc(4096, { caps: ['internal'] });
    const p = sim.memory.alloc(4096, { caps: ['spiram'], align: 16 });
    expectEsp(() => drv.memcpy(p + 4, s, 64), ESP_ERR_INVALID_ARG, /multiples of 16/);
    expectEsp(() => drv.memcpy(p, s, 40), ESP_ERR_INVALID_ARG, /multiples of 16/);
    sim.memory.write(s, fill(4096, 3));
    const t = sim.spawn('t', async () => {
      await drv.memcpy(p, s, 4096);
      await drv.memcpy(s + 4, p, 4000);
    });
    await sim.run();
    await t.done;
    expect(sim.memory.read(p, 4096)).to.deep.equal(fill(4096, 3));
    expect(sim.memory.read(s + 4, 4000)).to.deep.equal(fill(4096, 3).subarray(0, 4000));
    await sim.dispose();
  });

  it('a copy whose descriptor the DMA refuses never completes, as the driver registers only on_recv_eof; the queue behind it waits', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const drv = sim.get(AsyncMemcpy).install();
    const dm = new DescriptorMemory(sim.get(Core.Memory));
    let starts = 0;
    const errors: unknown[] = [];
    sim.bus
      .source('gdma')
      .on('descr-error')
      .subscribe((e) => errors.push(e.data));
    // software takes the first copy's TX descriptor back just as the channel starts
    sim.bus
      .source('gdma')
      .on('channel-start')
      .subscribe((e) => {
        const d = e.data as { dir: string; descriptor: number };
        if (d.dir === 'tx' && starts++ === 0) dm.write(d.descriptor, { ...dm.read(d.descriptor), owner: 0 });
      });
    const a = sim.memory.alloc(256);
    const b = sim.memory.alloc(256);
    const c = sim.memory.alloc(256);
    sim.memory.write(a, fill(256, 1));
    let settled = 0;
    void drv.memcpy(b, a, 256).then(
      () => settled++,
      () => settled++,
    );
    void drv.memcpy(c, a, 256).then(
      () => settled++,
      () => settled++,
    );
    await sim.run();
    await Promise.resolve();
    expect(settled).to.equal(0);
    expect(errors).to.have.length(1);
    expect(sim.memory.read(c, 256).every((x) => x === 0)).to.equal(true);
    expectEsp(() => drv.uninstall(), ESP_ERR_INVALID_STATE, /pending/);
    await sim.dispose();
  });

  it('publishes copy-queued / copy-start / copy-done with the queue depth', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const drv = sim.get(AsyncMemcpy).install();
    const seen: string[] = [];
    sim.bus.all$.subscribe((e) => {
      if (e.source === 'async-memcpy') seen.push(`${e.type}:${(e.data as { depth: number }).depth}`);
    });
    const a = sim.memory.alloc(64);
    const b = sim.memory.alloc(64);
    void drv.memcpy(b, a, 64);
    void drv.memcpy(b, a, 64);
    await sim.run();
    expect(seen).to.deep.equal([
      'copy-queued:1',
      'copy-start:1',
      'copy-queued:2',
      'copy-start:1',
      'copy-done:1',
      'copy-done:0',
    ]);
    await sim.dispose();
  });
});

describe('async memcpy on the ESP32-C61: two GDMA pairs shared with SPI', () => {
  it('SPI2 with DMA and one async memcpy take both pairs: a second install gets ESP_ERR_NOT_FOUND until SPI lets go', async () => {
    const sim = await createSimulation({ target: 'esp32c61' });
    const svc = sim.get(AsyncMemcpy);
    const spi = sim.get(Spi);
    const bus = spi.busInitialize('SPI2', {});
    const first = svc.install();
    expectEsp(() => svc.install(), ESP_ERR_NOT_FOUND);
    bus.free();
    const second = svc.install();
    // the two copies share the one GDMA bus: together they take longer than one alone
    const n = 16 * 1024;
    const [a, b, c] = [0, 1, 2].map(() => sim.memory.alloc(n, { caps: ['dma', 'internal'] }));
    sim.memory.write(a!, fill(n, 2));
    let alone = 0;
    let both = 0;
    const t = sim.spawn('t', async () => {
      let t0 = sim.now;
      await first.memcpy(b!, a!, n);
      alone = sim.now - t0;
      t0 = sim.now;
      await Promise.all([first.memcpy(b!, a!, n), second.memcpy(c!, a!, n)]);
      both = sim.now - t0;
    });
    await sim.run();
    await t.done;
    expect(sim.memory.read(c!, n)).to.deep.equal(fill(n, 2));
    expect(both).to.be.greaterThan(1.8 * alone);
    await sim.dispose();
  });
});

describe('async memcpy on the ESP32-P4: AHB and AXI GDMA', () => {
  it('install() picks the AHB GDMA; install_gdma_axi the AXI GDMA, whose lists are 16-byte descriptors, 8-byte aligned', async () => {
    const sim = await createSimulation({ target: 'esp32p4' });
    const starts: { source: string; dir: string; descriptor: number; pair: number }[] = [];
    sim.bus.all$.subscribe((e) => {
      if (e.type === 'channel-start')
        starts.push({ source: e.source, ...(e.data as { dir: string; descriptor: number; pair: number }) });
    });
    const ahb = sim.get(AsyncMemcpy).install();
    const axi = sim.get(AsyncMemcpy).install({}, 'gdma-axi');
    const n = 3 * 4095 + 100; // four descriptors per list
    const src = sim.memory.alloc(n, { caps: ['dma', 'internal'] });
    const d1 = sim.memory.alloc(n, { caps: ['dma', 'internal'] });
    const d2 = sim.memory.alloc(n, { caps: ['dma', 'internal'] });
    sim.memory.write(src, fill(n, 5));
    const dm = new DescriptorMemory(sim.get(Core.Memory));
    const t = sim.spawn('t', async () => {
      await Promise.all([ahb.memcpy(d1, src, n), axi.memcpy(d2, src, n)]);
    });
    await sim.run();
    await t.done;
    expect(sim.memory.read(d1, n)).to.deep.equal(fill(n, 5));
    expect(sim.memory.read(d2, n)).to.deep.equal(fill(n, 5));
    // the AHB pair is pair 1 (M2M mask 0x06); the AXI one pair 0
    expect(starts.filter((s) => s.source === 'gdma').map((s) => s.pair)).to.deep.equal([1, 1]);
    expect(starts.filter((s) => s.source === 'gdma-axi').map((s) => s.pair)).to.deep.equal([0, 0]);
    for (const s of starts.filter((x) => x.source === 'gdma-axi')) {
      expect(s.descriptor % 8, `${s.dir} head`).to.equal(0);
      const next = [0, 1, 2].map((i) => dm.read(s.descriptor + 16 * i).next);
      expect(next, s.dir).to.deep.equal([s.descriptor + 16, s.descriptor + 32, s.descriptor + 48]);
      expect(dm.read(s.descriptor + 48).next).to.equal(0);
    }
    const ahbTx = starts.find((s) => s.source === 'gdma' && s.dir === 'tx')!;
    expect(dm.read(ahbTx.descriptor).next).to.equal(ahbTx.descriptor + 12);
    await sim.dispose();
  });

  it('the AXI GDMA copies SRAM <-> PSRAM with no alignment asked; its copy-done event is GDMA_AXI_EVT_IN_SUC_EOF_CH0', async () => {
    const sim = await createSimulation({ target: 'esp32p4' });
    const drv = sim.get(AsyncMemcpy).install({}, 'gdma-axi');
    const s = sim.memory.alloc(5000, { caps: ['internal'] });
    const p = sim.memory.alloc(5000, { caps: ['spiram'] });
    sim.memory.write(s, fill(5000, 8));
    const t = sim.spawn('t', async () => {
      await drv.memcpy(p + 3, s, 4001);
      await drv.memcpy(s + 1, p + 3, 3999);
    });
    await sim.run();
    await t.done;
    expect(sim.memory.read(p + 3, 4001)).to.deep.equal(fill(5000, 8).subarray(0, 4001));
    expect(sim.memory.read(s + 1, 3999)).to.deep.equal(fill(5000, 8).subarray(0, 3999));
    expect(drv.newEtmEvent('copy-done').id).to.equal(231);
    await sim.dispose();
  });

  it('the AXI pairs run beside the AHB pairs: three AXI copies fit, a fourth gets ESP_ERR_NOT_FOUND', async () => {
    const sim = await createSimulation({ target: 'esp32p4' });
    const svc = sim.get(AsyncMemcpy);
    for (let i = 0; i < 3; i++) svc.install({}, 'gdma-axi');
    expectEsp(() => svc.install({}, 'gdma-axi'), ESP_ERR_NOT_FOUND);
    svc.install();
    svc.install();
    expectEsp(() => svc.install(), ESP_ERR_NOT_FOUND);
    await sim.dispose();
  });
});
