import { expect } from 'chai';
import { createSimulation } from '../../create-simulation.js';
import { type Simulation } from '../../core/simulation.js';
import { extendTarget } from '../../core/target/target.js';
import { esp32, esp32c3 } from '../../targets/index.js';
import { Core } from '../../core/tokens.js';
import { cyclesToPs } from '../../core/time.js';
import {
  EspError,
  ESP_ERR_INVALID_ARG,
  ESP_ERR_INVALID_STATE,
  ESP_ERR_NO_MEM,
  ESP_ERR_NOT_FOUND,
  ESP_ERR_NOT_SUPPORTED,
  ESP_ERR_TIMEOUT,
} from '../../core/errors.js';
import type { SimEvent } from '../../core/bus/event-bus.js';
import type { MemoryMap } from '../../core/memory/memory.js';
import { Spi, type SpiDevice, type SpiTransaction } from './index.js';
import { spiTraceModel } from './trace.js';
import { expectEsp, pattern, runTask as run } from '../../test/helpers/sim.js';

function buffers(sim: Simulation, n: number, seed = 1): { tx: number; rx: number; data: Uint8Array } {
  const tx = sim.memory.alloc(n, { caps: ['dma', 'internal'] });
  const rx = sim.memory.alloc(n, { caps: ['dma', 'internal'] });
  const data = pattern(n, seed);
  sim.memory.write(tx, data);
  return { tx, rx, data };
}

const TARGETS = ['esp32', 'esp32s2', 'esp32s3', 'esp32c3', 'esp32c5', 'esp32c6', 'esp32c61', 'esp32h2', 'esp32p4'];

describe('SPI master: buses and devices (spi_bus_initialize, spi_bus_add_device)', () => {
  it("initializes each target's hosts and refuses the others with ESP_ERR_INVALID_ARG", async () => {
    for (const target of TARGETS) {
      const sim = await createSimulation({ target });
      const spi = sim.get(Spi);
      for (const host of ['SPI2', 'SPI3'] as const) {
        if (sim.target.caps.spi!.hosts.includes(host)) {
          const bus = spi.busInitialize(host, {});
          expect(bus.dmaEnabled, `${target} ${host}`).to.equal(true);
          expectEsp(() => spi.busInitialize(host, {}), ESP_ERR_INVALID_STATE, /already initialized/);
        } else {
          expectEsp(() => spi.busInitialize(host, {}), ESP_ERR_INVALID_ARG, /invalid host/);
        }
      }
      expectEsp(() => spi.busInitialize('SPI1' as 'SPI2', {}), ESP_ERR_INVALID_ARG, /invalid host/);
      await sim.dispose();
    }
  });

  it('max_transfer_sz: 4092 by default with DMA, rounded up to whole descriptors; the 64-byte FIFO without', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const spi = sim.get(Spi);
    let bus = spi.busInitialize('SPI2', {});
    expect(bus.maxTransferSize).to.equal(4092);
    bus.free();
    bus = spi.busInitialize('SPI2', { maxTransferSize: 5000 });
    expect(bus.maxTransferSize).to.equal(8184);
    bus.free();
    bus = spi.busInitialize('SPI2', { dma: 'disabled', maxTransferSize: 5000 });
    expect(bus.maxTransferSize).to.equal(64);
    expect(bus.dmaEnabled).to.equal(false);
    bus.free();
    expectEsp(() => spi.busInitialize('SPI2', { maxTransferSize: -1 }), ESP_ERR_INVALID_ARG);
    expectEsp(() => spi.busInitialize('SPI2', { dma: 'sometimes' as 'auto' }), ESP_ERR_INVALID_ARG);
    expectEsp(() => spi.busInitialize('SPI2', { dma: 1 }), ESP_ERR_INVALID_ARG, /only on the ESP32/);
    spi.busInitialize('SPI2', {}); // the refusals changed nothing
    await sim.dispose();
  });

  it('spi_bus_add_device: clock 0, negative or above the source clock and bad modes refused; CS lines per host (soc_caps)', async () => {
    const cases: [string, 'SPI2' | 'SPI3', number][] = [
      ['esp32c3', 'SPI2', 6],
      ['esp32', 'SPI2', 3],
      ['esp32', 'SPI3', 3],
      ['esp32s3', 'SPI2', 6],
      ['esp32s3', 'SPI3', 3],
      ['esp32s2', 'SPI3', 3],
      ['esp32h2', 'SPI2', 6],
      ['esp32c5', 'SPI2', 6],
      ['esp32c61', 'SPI2', 6],
      ['esp32p4', 'SPI2', 6],
      ['esp32p4', 'SPI3', 3],
    ];
    for (const [target, host, cs] of cases) {
      const sim = await createSimulation({ target });
      const bus = sim.get(Spi).busInitialize(host, {});
      const src = sim.target.caps.spi!.sourceClockHz!;
      expectEsp(() => bus.addDevice({ clockSpeedHz: 0 }), ESP_ERR_INVALID_ARG, /invalid sclk speed/);
      expectEsp(() => bus.addDevice({ clockSpeedHz: -5 }), ESP_ERR_INVALID_ARG, /invalid sclk speed/);
      expectEsp(() => bus.addDevice({ clockSpeedHz: src + 1 }), ESP_ERR_INVALID_ARG, /invalid sclk speed/);
      expectEsp(() => bus.addDevice({ clockSpeedHz: 1e6, mode: 4 as 0 }), ESP_ERR_INVALID_ARG, /mode/);
      expectEsp(() => bus.addDevice({ clockSpeedHz: 1e6, queueSize: -1 }), ESP_ERR_INVALID_ARG, /queueSize/);
      const devs = Array.from({ length: cs }, (_, i) => bus.addDevice({ clockSpeedHz: src, mode: (i % 4) as 0 }));
      expect(devs.map((d) => d.cs)).to.deep.equal(Array.from({ length: cs }, (_, i) => i));
      expectEsp(() => bus.addDevice({ clockSpeedHz: 1e6 }), ESP_ERR_NOT_FOUND, /no free cs/);
      bus.removeDevice(devs[1]!);
      expect(bus.addDevice({ clockSpeedHz: 1e6 }).cs, `${target} ${host}`).to.equal(1);
      await sim.dispose();
    }
  });

  it('the divider gives the actual clock (80 MHz / 3 for 26 MHz, as spi_device_get_actual_freq)', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const bus = sim.get(Spi).busInitialize('SPI2', {});
    expect(bus.addDevice({ clockSpeedHz: 26_000_000 }).actualClockHz).to.be.closeTo(80e6 / 3, 1e-6);
    expect(bus.addDevice({ clockSpeedHz: 20_000_000 }).actualClockHz).to.equal(20e6);
    await sim.dispose();
  });

  it('spi_bus_free with devices and spi_bus_remove_device with transactions in the air: ESP_ERR_INVALID_STATE; then both work', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const spi = sim.get(Spi);
    const bus = spi.busInitialize('SPI2', { loopback: true });
    const dev = bus.addDevice({ clockSpeedHz: 10e6 });
    const b = buffers(sim, 32);
    expectEsp(() => bus.free(), ESP_ERR_INVALID_STATE, /not all CSses freed/);
    await run(sim, async () => {
      await dev.queueTrans({ tx: b.tx, rx: b.rx, length: 32 });
      expectEsp(() => bus.removeDevice(dev), ESP_ERR_INVALID_STATE, /unfinished transactions/);
      await sim.delay(1e9);
      expectEsp(() => bus.removeDevice(dev), ESP_ERR_INVALID_STATE, /not fetched/);
      await dev.getTransResult();
    });
    bus.removeDevice(dev);
    expectEsp(() => bus.removeDevice(dev), ESP_ERR_INVALID_ARG);
    expectEsp(() => dev.transmit({ tx: b.tx, length: 4 }), ESP_ERR_INVALID_ARG, /removed/);
    bus.free();
    expectEsp(() => bus.addDevice({ clockSpeedHz: 1e6 }), ESP_ERR_INVALID_STATE, /freed/);
    // the DMA pair went back to the GDMA: the bus initializes again
    spi.busInitialize('SPI2', {});
    await sim.dispose();
  });
});

describe('SPI master: transactions', () => {
  for (const target of TARGETS) {
    it(`${target}: loopback full duplex returns exactly the TX bytes, with DMA (multi-descriptor) and without; MISO idle reads 0xFF`, async () => {
      const sim = await createSimulation({ target });
      const spi = sim.get(Spi);
      for (const [dma, n] of [
        ['auto', 9000],
        ['disabled', 64],
      ] as const) {
        const bus = spi.busInitialize('SPI2', { dma, loopback: true, maxTransferSize: 10_000 });
        const dev = bus.addDevice({ clockSpeedHz: 20e6, mode: 3 });
        const b = buffers(sim, n);
        await run(sim, () => dev.transmit({ tx: b.tx, rx: b.rx, length: n }));
        expect(sim.memory.read(b.rx, n), `${target} ${dma}`).to.deep.equal(b.data);
        bus.removeDevice(dev);
        bus.free();
        const quiet = spi.busInitialize('SPI2', { dma, maxTransferSize: 10_000 });
        const d2 = quiet.addDevice({ clockSpeedHz: 20e6 });
        await run(sim, () => d2.transmit({ tx: b.tx, rx: b.rx, length: n, rxLength: n - 3 }));
        const got = sim.memory.read(b.rx, n);
        expect(
          got.subarray(0, n - 3).every((x) => x === 0xff),
          `${target} ${dma} MISO`,
        ).to.equal(true);
        expect(got.subarray(n - 3)).to.deep.equal(b.data.subarray(n - 3)); // rxLength bytes only
        quiet.removeDevice(d2);
        quiet.free();
      }
      expect(sim.faults).to.deep.equal([]);
      await sim.dispose();
    });
  }

  it('refuses what check_trans_valid refuses, changing nothing: over the FIFO without DMA, over max_transfer_sz, rx > tx, bad buffers', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const spi = sim.get(Spi);
    const mem = sim.get(Core.Memory) as MemoryMap;
    const fifo = spi.busInitialize('SPI2', { dma: 'disabled', loopback: true });
    const dev = fifo.addDevice({ clockSpeedHz: 10e6 });
    const b = buffers(sim, 8192);
    expectEsp(
      () => dev.transmit({ tx: b.tx, rx: b.rx, length: 65 }),
      ESP_ERR_INVALID_ARG,
      /txdata transfer > host maximum/,
    );
    expectEsp(
      () => dev.queueTrans({ tx: b.tx, length: 64, rx: b.rx, rxLength: 65 }),
      ESP_ERR_INVALID_ARG,
      /rx length > tx length in full duplex mode/,
    );
    expectEsp(() => dev.transmit({ tx: b.tx, length: 0 }), ESP_ERR_INVALID_ARG, /length/);
    expectEsp(() => dev.transmit({ tx: 0x1234, length: 4 }), ESP_ERR_INVALID_ARG, /tx buffer/);
    expectEsp(() => dev.transmit({ tx: b.tx, rx: 0x4000_0000, length: 4 }), ESP_ERR_INVALID_ARG, /read-only/);
    expect(dev.inFlight).to.equal(0);
    expect(mem.leases.size).to.equal(0);
    fifo.removeDevice(dev);
    fifo.free();
    const bus = spi.busInitialize('SPI2', { loopback: true });
    const d = bus.addDevice({ clockSpeedHz: 10e6 });
    expectEsp(
      () => d.transmit({ tx: b.tx, rx: b.rx, length: 4093 }),
      ESP_ERR_INVALID_ARG,
      /host maximum \(4093 > 4092/,
    );
    expect(d.inFlight).to.equal(0);
    expect(mem.leases.size).to.equal(0);
    await run(sim, () => d.transmit({ tx: b.tx, rx: b.rx, length: 4092 }));
    expect(sim.memory.read(b.rx, 4092)).to.deep.equal(b.data.subarray(0, 4092));
    await sim.dispose();
  });

  it('enforces the DMA hardware limit (SPI_LL_DMA_MAX_BIT_LEN) even when max_transfer_sz is larger', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const bus = sim.get(Spi).busInitialize('SPI2', { maxTransferSize: 40_000 });
    const d = bus.addDevice({ clockSpeedHz: 10e6 });
    const b = buffers(sim, 40_000);
    expectEsp(() => d.queueTrans({ tx: b.tx, length: 32_769 }), ESP_ERR_INVALID_ARG, /hardware max supported len/);
    await run(sim, () => d.transmit({ tx: b.tx, length: 32_768 }));
    await sim.dispose();
  });

  it('emits trans-start and trans-done on source "spi" with host, device, length and dma', async () => {
    const sim = await createSimulation({ target: 'esp32s3' });
    const events: SimEvent[] = [];
    sim.bus.all$.subscribe((e) => {
      if (e.source === 'spi') events.push(e);
    });
    const bus = sim.get(Spi).busInitialize('SPI3', { loopback: true });
    bus.addDevice({ clockSpeedHz: 1e6 });
    const dev = bus.addDevice({ clockSpeedHz: 8e6 });
    const b = buffers(sim, 100);
    await run(sim, () => dev.transmit({ tx: b.tx, rx: b.rx, length: 100 }));
    expect(events.map((e) => e.type)).to.deep.equal(['trans-start', 'trans-done']);
    expect(events[0]!.data).to.deep.equal({ host: 'SPI3', device: 1, length: 100, dma: true });
    expect(events[1]!.time - events[0]!.time).to.equal((100 * 8 * 1e12) / 8e6);
    await sim.dispose();
  });
});

describe('SPI master: timing', () => {
  it('a DMA transmit takes the driver phases on the CPU plus bits / SCLK on the wire, exactly', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const bus = sim.get(Spi).busInitialize('SPI2', { loopback: true, maxTransferSize: 8184 });
    const dev = bus.addDevice({ clockSpeedHz: 10e6 });
    const b = buffers(sim, 5000);
    let took = 0;
    await run(sim, async () => {
      const t0 = sim.now;
      await dev.transmit({ tx: b.tx, rx: b.rx, length: 5000 });
      took = sim.now - t0;
    });
    const c = sim.target.caps.spi!.driverCycles!;
    const f = esp32c3.cpu.freqHz;
    const cpu = (n: number): number => cyclesToPs(n, f);
    const expected =
      cpu(c.queue!) +
      cpu(c.isrStart! + c.dmaSetup! + 4 * c.dmaPerDescriptor!) +
      5000 * 8 * 100_000 +
      cpu(c.isrDone!) +
      cpu(c.result!);
    expect(took).to.equal(expected);
    await sim.dispose();
  });

  it('DMA set-up costs CPU: for 16 bytes a blocking (polling, FIFO) transfer finishes first; at 4 KiB the wire dominates both', async () => {
    const time = async (dma: 'auto' | 'disabled', n: number, polling: boolean): Promise<number> => {
      const sim = await createSimulation({ target: 'esp32s3' });
      const bus = sim.get(Spi).busInitialize('SPI2', { dma, loopback: true });
      const dev = bus.addDevice({ clockSpeedHz: 40e6 });
      const b = buffers(sim, n);
      let took = 0;
      await run(sim, async () => {
        const t0 = sim.now;
        if (polling) await dev.pollingTransmit({ tx: b.tx, rx: b.rx, length: n });
        else await dev.transmit({ tx: b.tx, rx: b.rx, length: n });
        took = sim.now - t0;
      });
      expect(sim.memory.read(b.rx, n)).to.deep.equal(b.data);
      await sim.dispose();
      return took;
    };
    const blocking16 = await time('disabled', 16, true);
    const dma16 = await time('auto', 16, false);
    const dmaPolling16 = await time('auto', 16, true);
    expect(blocking16).to.be.lessThan(dmaPolling16);
    expect(dmaPolling16).to.be.lessThan(dma16);
    const dma4k = await time('auto', 4092, false);
    const wire4k = 4092 * 8 * 25_000;
    expect(dma4k / wire4k).to.be.lessThan(1.05);
  });

  it('the CPU is busy during a polling transaction and free during an interrupt one', async () => {
    for (const polling of [true, false]) {
      const sim = await createSimulation({ target: 'esp32c3' });
      const bus = sim.get(Spi).busInitialize('SPI2', { loopback: true });
      const dev = bus.addDevice({ clockSpeedHz: 1e6 });
      const b = buffers(sim, 1000);
      let workDone = 0;
      let spiDone = 0;
      await run(sim, async () => {
        const spi = polling
          ? dev.pollingTransmit({ tx: b.tx, rx: b.rx, length: 1000 })
          : dev.queueTrans({ tx: b.tx, rx: b.rx, length: 1000 });
        await spi;
        const w = sim.cpu.work(1600).then(() => {
          workDone = sim.now;
        }); // 10 us of work
        if (!polling) await dev.getTransResult();
        spiDone = sim.now;
        await w;
      });
      // 1000 bytes at 1 MHz is 8 ms on the wire: polling work lands after it, interrupt-mode work long before
      if (polling) expect(workDone).to.be.greaterThan(8e9);
      else expect(workDone).to.be.lessThan(1e9);
      expect(spiDone).to.be.greaterThan(8e9);
      await sim.dispose();
    }
  });
});

describe('SPI master: the transaction queue', () => {
  it('queueTrans up to queueSize, then ESP_ERR_TIMEOUT (ticks_to_wait 0) with nothing queued; results in order', async () => {
    const sim = await createSimulation({ target: 'esp32c6' });
    const bus = sim.get(Spi).busInitialize('SPI2', { loopback: true });
    const dev = bus.addDevice({ clockSpeedHz: 20e6, queueSize: 3 });
    const bufs = [0, 1, 2, 3].map((i) => buffers(sim, 48, i + 1));
    const ts: SpiTransaction[] = bufs.map((b, i) => ({ tx: b.tx, rx: b.rx, length: 48, user: i }));
    expectEsp(() => dev.getTransResult(), ESP_ERR_INVALID_STATE, /wait forever/);
    const order: unknown[] = [];
    await run(sim, async () => {
      for (let i = 0; i < 3; i++) await dev.queueTrans(ts[i]!);
      expect(dev.inFlight).to.equal(3);
      expectEsp(() => dev.queueTrans(ts[3]!), ESP_ERR_TIMEOUT, /queue is full/);
      expectEsp(() => dev.transmit(ts[3]!), ESP_ERR_INVALID_STATE, /getTransResult first/);
      for (let i = 0; i < 3; i++) order.push((await dev.getTransResult()).user);
      expect(dev.inFlight).to.equal(0);
      await dev.transmit(ts[3]!);
    });
    expect(order).to.deep.equal([0, 1, 2]);
    bufs.forEach((b) => expect(sim.memory.read(b.rx, 48)).to.deep.equal(b.data));
    await sim.dispose();
  });

  it('devices share the bus: transactions run one at a time in the order issued', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const events: SimEvent[] = [];
    sim.bus.all$.subscribe((e) => {
      if (e.source === 'spi') events.push(e);
    });
    const bus = sim.get(Spi).busInitialize('SPI2', { loopback: true });
    const a = bus.addDevice({ clockSpeedHz: 10e6 });
    const c = bus.addDevice({ clockSpeedHz: 5e6 });
    const b1 = buffers(sim, 200, 1);
    const b2 = buffers(sim, 200, 2);
    await run(sim, async () => {
      await a.queueTrans({ tx: b1.tx, rx: b1.rx, length: 200 });
      await c.queueTrans({ tx: b2.tx, rx: b2.rx, length: 200 });
      await Promise.all([a.getTransResult(), c.getTransResult()]);
    });
    expect(events.map((e) => `${e.type}:${(e.data as { device: number }).device}`)).to.deep.equal([
      'trans-start:0',
      'trans-done:0',
      'trans-start:1',
      'trans-done:1',
    ]);
    expect(events[2]!.time).to.be.greaterThan(events[1]!.time);
    expect(sim.memory.read(b2.rx, 200)).to.deep.equal(b2.data);
    await sim.dispose();
  });
});

describe('SPI master: bounce buffers (setup_priv_desc)', () => {
  it('TX from flash and RX into an unaligned buffer go through DMA-capable temporaries, at a CPU cost; the heap is as before', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const mem = sim.get(Core.Memory) as MemoryMap;
    const bus = sim.get(Spi).busInitialize('SPI2', { loopback: true });
    const dev = bus.addDevice({ clockSpeedHz: 20e6 });
    const flash = mem.regions.find((r) => r.kind === 'flash')!.base + 0x100;
    const data = pattern(1000, 7);
    mem.program(flash, data);
    const rxRaw = sim.memory.alloc(1004, { caps: ['dma', 'internal'] });
    const aligned = buffers(sim, 1000, 7);
    const probe = (): number => {
      const p = sim.memory.alloc(2048, { caps: ['dma'] });
      sim.memory.free(p);
      return p;
    };
    const before = probe();
    let direct = 0;
    let bounced = 0;
    await run(sim, async () => {
      let t0 = sim.now;
      await dev.transmit({ tx: aligned.tx, rx: aligned.rx, length: 1000 });
      direct = sim.now - t0;
      t0 = sim.now;
      await dev.transmit({ tx: flash, rx: rxRaw + 1, length: 1000 });
      bounced = sim.now - t0;
    });
    expect(sim.memory.read(rxRaw + 1, 1000)).to.deep.equal(data);
    expect(bounced).to.be.greaterThan(direct + 2 * cyclesToPs(400, 160e6));
    expect(probe()).to.equal(before);
    expect(mem.leases.size).to.equal(0);
    await sim.dispose();
  });

  it('esp32s3: a PSRAM buffer is bounced (the driver gives the GDMA no external-memory access)', async () => {
    const sim = await createSimulation({ target: 'esp32s3' });
    const bus = sim.get(Spi).busInitialize('SPI2', { loopback: true });
    const dev = bus.addDevice({ clockSpeedHz: 20e6 });
    const tx = sim.memory.alloc(256, { caps: ['spiram'] });
    const rx = sim.memory.alloc(256, { caps: ['spiram'] });
    sim.memory.write(tx, pattern(256));
    await run(sim, () => dev.transmit({ tx, rx, length: 256 }));
    expect(sim.memory.read(rx, 256)).to.deep.equal(pattern(256));
    await sim.dispose();
  });
});

describe('SPI master: the esp-hal style transfer object', () => {
  it('isDone()/wait(); the buffers belong to the transfer until wait() returns: any other use is refused naming it', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const bus = sim.get(Spi).busInitialize('SPI2', { loopback: true });
    const dev = bus.addDevice({ clockSpeedHz: 10e6 });
    const other = bus.addDevice({ clockSpeedHz: 10e6 });
    const b = buffers(sim, 512);
    const tr = dev.transfer({ tx: b.tx, rx: b.rx, length: 512 });
    expect(tr.isDone()).to.equal(false);
    expectEsp(() => sim.memory.read(b.rx, 4), ESP_ERR_INVALID_STATE, /SPI2 transaction/);
    expectEsp(() => sim.memory.write(b.tx + 100, new Uint8Array(1)), ESP_ERR_INVALID_STATE, /SPI2 transaction/);
    expectEsp(() => sim.memory.free(b.tx), ESP_ERR_INVALID_STATE);
    expectEsp(() => other.transmit({ tx: b.rx + 10, length: 4 }), ESP_ERR_INVALID_STATE, /held by SPI2 transaction/);
    expectEsp(
      () => other.transmit({ tx: b.rx - 4, rx: b.tx + 10, length: 4 }),
      ESP_ERR_INVALID_STATE,
      /held by SPI2 transaction/,
    );
    expect(other.inFlight).to.equal(0);
    const spare = sim.memory.alloc(64, { caps: ['dma'] });
    expectEsp(
      () => sim.cpu.memcpy(b.rx, spare, 16),
      ESP_ERR_INVALID_STATE,
      /cpu.memcpy destination: .* held by SPI2 transaction/,
    );
    const { AsyncMemcpy } = await import('../async-memcpy/index.js');
    const copier = sim.get(AsyncMemcpy).install();
    expectEsp(
      () => copier.memcpy(spare, b.rx, 64),
      ESP_ERR_INVALID_STATE,
      /esp_async_memcpy: source: .* held by SPI2 transaction/,
    );
    expectEsp(() => bus.removeDevice(dev), ESP_ERR_INVALID_STATE, /not waited/);
    await sim.run();
    expect(tr.isDone()).to.equal(true);
    expectEsp(() => sim.memory.read(b.rx, 4), ESP_ERR_INVALID_STATE); // done, but not handed back yet
    await run(sim, () => tr.wait());
    expect(tr.wait()).to.equal(tr.wait());
    expect(sim.memory.read(b.rx, 512)).to.deep.equal(b.data);
    bus.removeDevice(dev);
    await sim.dispose();
  });

  it('the CPU is free during a transfer; a DMA-disabled bus or an unreachable buffer is refused', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const spi = sim.get(Spi);
    const bus = spi.busInitialize('SPI2', { loopback: true });
    const dev = bus.addDevice({ clockSpeedHz: 1e6 });
    const b = buffers(sim, 100);
    let workAt = 0;
    await run(sim, async () => {
      const tr = dev.transfer({ tx: b.tx, rx: b.rx, length: 100 });
      await sim.cpu.work(160);
      workAt = sim.now;
      expect(tr.isDone()).to.equal(false);
      await tr.wait();
    });
    expect(workAt).to.be.lessThan(800e6 / 10); // well inside the 800 us on the wire
    const flash = sim.memory.regions.find((r) => r.kind === 'flash')!.base;
    expectEsp(() => dev.transfer({ tx: flash, length: 4 }), ESP_ERR_INVALID_ARG, /UnsupportedMemoryRegion/);
    bus.removeDevice(dev);
    bus.free();
    const fifo = spi.busInitialize('SPI2', { dma: 'disabled' });
    expectEsp(() => fifo.addDevice({ clockSpeedHz: 1e6 }).transfer({ tx: b.tx, length: 4 }), ESP_ERR_NOT_SUPPORTED);
    await sim.dispose();
  });
});

describe("SPI master: the SPI's own DMA (ESP32, ESP32-S2)", () => {
  it('esp32: two channels shared by SPI2 and SPI3; a named channel already taken is ESP_ERR_NOT_FOUND', async () => {
    const sim = await createSimulation({ target: 'esp32' });
    const spi = sim.get(Spi);
    const a = spi.busInitialize('SPI2', { dma: 2, loopback: true });
    expectEsp(() => spi.busInitialize('SPI3', { dma: 2 }), ESP_ERR_NOT_FOUND, /no available dma channel/);
    const c = spi.busInitialize('SPI3', { dma: 'auto', loopback: true });
    const da = a.addDevice({ clockSpeedHz: 10e6 });
    const dc = c.addDevice({ clockSpeedHz: 10e6 });
    const b1 = buffers(sim, 3000, 1);
    const b2 = buffers(sim, 3000, 2);
    await run(sim, async () => {
      await Promise.all([
        da.transmit({ tx: b1.tx, rx: b1.rx, length: 3000 }),
        dc.transmit({ tx: b2.tx, rx: b2.rx, length: 3000 }),
      ]);
    });
    expect(sim.memory.read(b1.rx, 3000)).to.deep.equal(b1.data);
    expect(sim.memory.read(b2.rx, 3000)).to.deep.equal(b2.data);
    await sim.dispose();
    // one channel only (a custom target): the second bus with DMA finds none
    const one = extendTarget(esp32, {
      name: 'esp32-one-spi-dma',
      caps: { spi: { dmaChannels: 1 } },
      beyondSilicon: ['one SPI DMA channel'],
    });
    const s2 = await createSimulation({ target: one });
    s2.get(Spi).busInitialize('SPI2', {});
    expectEsp(() => s2.get(Spi).busInitialize('SPI3', {}), ESP_ERR_NOT_FOUND, /no available dma channel/);
    s2.get(Spi).busInitialize('SPI3', { dma: 'disabled' });
    await s2.dispose();
  });

  it('esp32s2: one DMA per controller; the descriptors are the 12-byte format, written back by the engine', async () => {
    const sim = await createSimulation({ target: 'esp32s2' });
    const spi = sim.get(Spi);
    expectEsp(() => spi.busInitialize('SPI2', { dma: 1 }), ESP_ERR_INVALID_ARG);
    const buses = (['SPI2', 'SPI3'] as const).map((h) => spi.busInitialize(h, { loopback: true }));
    const eofs: SimEvent[] = [];
    sim.bus.all$.subscribe((e) => {
      if (e.source === 'spi-dma' && e.type === 'eof') eofs.push(e);
    });
    const devs = buses.map((b) => b.addDevice({ clockSpeedHz: 40e6 }));
    const bufs = [buffers(sim, 1000, 3), buffers(sim, 1000, 4)];
    await run(sim, async () => {
      await Promise.all(devs.map((d, i) => d.transmit({ tx: bufs[i]!.tx, rx: bufs[i]!.rx, length: 1000 })));
    });
    bufs.forEach((b) => expect(sim.memory.read(b.rx, 1000)).to.deep.equal(b.data));
    expect(
      eofs.map((e) => `${(e.data as { pair: number }).pair}${(e.data as { dir: string }).dir}`).sort(),
    ).to.deep.equal(['0rx', '0tx', '1rx', '1tx']);
    await sim.dispose();
  });
});

describe('SPI master: DMA failures', () => {
  it('a TX descriptor taken back by the CPU mid-transaction: a descriptor error, the transaction fails with ESP_FAIL, the bus goes on', async () => {
    const { DescriptorMemory } = await import('../dma/engine/descriptor.js');
    const sim = await createSimulation({ target: 'esp32' });
    const dm = new DescriptorMemory(sim.get(Core.Memory) as MemoryMap);
    const bus = sim.get(Spi).busInitialize('SPI2', { loopback: true, maxTransferSize: 8184 });
    const dev = bus.addDevice({ clockSpeedHz: 10e6 });
    const b = buffers(sim, 5000);
    let sabotage = true;
    sim.bus.all$.subscribe((e) => {
      const d = e.data as { dir: string; descriptor: number };
      if (sabotage && e.source === 'spi-dma' && e.type === 'channel-start' && d.dir === 'tx') {
        const second = dm.read(d.descriptor).next;
        dm.write(second, { ...dm.read(second), owner: 0 });
        sabotage = false;
      }
    });
    let err: unknown;
    await run(sim, async () => {
      try {
        await dev.transmit({ tx: b.tx, rx: b.rx, length: 5000 });
      } catch (e) {
        err = e;
      }
      await dev.transmit({ tx: b.tx, rx: b.rx, length: 5000 });
    });
    expect(err).to.be.instanceOf(EspError);
    expect((err as EspError).code).to.equal(-1);
    expect((err as Error).message).to.match(/descriptor error: .*owned by the CPU/);
    expect(sim.memory.read(b.rx, 5000)).to.deep.equal(b.data);
    expect((sim.get(Core.Memory) as MemoryMap).leases.size).to.equal(0);
    await sim.dispose();
  });
});

describe('SPI master: GDMA trigger IDs and async memcpy (ESP-IDF issue #10575)', () => {
  it("esp32c3, memcpy first: async memcpy takes SPI2's ID 0, spi_bus_initialize still succeeds, the bus sends zeros and receives nothing", async () => {
    const { AsyncMemcpy } = await import('../async-memcpy/index.js');
    const { GdmaDriver } = await import('../dma/gdma/index.js');
    const sim = await createSimulation({ target: 'esp32c3' });
    const events: SimEvent[] = [];
    sim.bus.all$.subscribe((e) => {
      if (e.source === 'gdma' && e.type === 'connect-refused') events.push(e);
    });
    const gdma = sim.get(GdmaDriver);
    const drv = sim.get(AsyncMemcpy).install();
    // the lowest ID of 0x1CD is 0, SPI2's: gdma.c's __builtin_ctz takes it
    expect(gdma.freeM2mTriggerMask()).to.equal(0x1cc);
    const bus = sim.get(Spi).busInitialize('SPI2', { loopback: true });
    expect(events.map((e) => e.data)).to.deep.equal([
      {
        pair: 1,
        dir: 'tx',
        owner: 'spi SPI2',
        trigger: 'SPI2',
        triggerId: 0,
        heldBy: { pair: 0, dir: 'tx', owner: 'async-memcpy', trigger: 'm2m 0' },
      },
      {
        pair: 1,
        dir: 'rx',
        owner: 'spi SPI2',
        trigger: 'SPI2',
        triggerId: 0,
        heldBy: { pair: 0, dir: 'rx', owner: 'async-memcpy', trigger: 'm2m 0' },
      },
    ]);
    const dev = bus.addDevice({ clockSpeedHz: 20e6 });
    const s = buffers(sim, 64, 5);
    const m = buffers(sim, 4096, 6);
    const stale = pattern(64, 9);
    sim.memory.write(s.rx, stale);
    await run(sim, async () => {
      await Promise.all([dev.transmit({ tx: s.tx, rx: s.rx, length: 64 }), drv.memcpy(m.rx, m.tx, 4096)]);
    });
    // the transaction "succeeded": the RX buffer kept its stale bytes (the RX channel took nothing)
    expect(sim.memory.read(s.rx, 64)).to.deep.equal(stale);
    expect(sim.memory.read(m.rx, 4096)).to.deep.equal(m.data);
    await sim.dispose();
  });

  it("a TX channel left unconnected sends zeros: with only ID 0's TX side taken, a loopback bus receives 0x00 for every byte", async () => {
    const { GdmaDriver } = await import('../dma/gdma/index.js');
    const sim = await createSimulation({ target: 'esp32c3' });
    const gdma = sim.get(GdmaDriver);
    const tx = gdma.newChannel('tx', { m2m: true, owner: 'test' });
    tx.connect({ m2m: 0 });
    const bus = sim.get(Spi).busInitialize('SPI2', { loopback: true });
    const dev = bus.addDevice({ clockSpeedHz: 20e6 });
    const b = buffers(sim, 256, 3);
    sim.memory.write(b.rx, pattern(256, 8));
    await run(sim, () => dev.transmit({ tx: b.tx, rx: b.rx, length: 256 }));
    expect(sim.memory.read(b.rx, 256)).to.deep.equal(new Uint8Array(256));
    await sim.dispose();
  });

  it("esp32c3, SPI first: SPI2 holds ID 0 and async memcpy takes ID 2 (UHCI0's); both work", async () => {
    const { AsyncMemcpy } = await import('../async-memcpy/index.js');
    const { GdmaDriver } = await import('../dma/gdma/index.js');
    const sim = await createSimulation({ target: 'esp32c3' });
    const gdma = sim.get(GdmaDriver);
    const bus = sim.get(Spi).busInitialize('SPI2', { loopback: true });
    const drv = sim.get(AsyncMemcpy).install();
    expect(gdma.freeM2mTriggerMask()).to.equal(0x1cd & ~0b101);
    const dev = bus.addDevice({ clockSpeedHz: 20e6 });
    const s = buffers(sim, 4096, 5);
    const m = buffers(sim, 4096, 6);
    await run(sim, async () => {
      await Promise.all([dev.transmit({ tx: s.tx, rx: s.rx, length: 4092 }), drv.memcpy(m.rx, m.tx, 4096)]);
    });
    expect(sim.memory.read(s.rx, 4092)).to.deep.equal(s.data.subarray(0, 4092));
    expect(sim.memory.read(m.rx, 4096)).to.deep.equal(m.data);
    // a direct conflicting connect through GdmaDriver is refused with gdma.c's message
    const p = gdma.newChannelPair({ m2m: true });
    expectEsp(() => p.tx.connect({ m2m: 0 }), ESP_ERR_INVALID_STATE, /peripheral 0 is already used/);
    expectEsp(() => p.rx.connect({ peripheral: 'SPI2' }), ESP_ERR_INVALID_STATE, /already used/);
    expect(p.tx.trigger).to.equal(undefined);
    await sim.dispose();
  });
});

describe('SPI master: ETM start task (beyond silicon)', () => {
  it('is not offered on built-in targets', async () => {
    const sim = await createSimulation({ target: 'esp32c6' });
    const bus = sim.get(Spi).busInitialize('SPI2', {});
    const dev: SpiDevice = bus.addDevice({ clockSpeedHz: 1e6 });
    const b = buffers(sim, 16);
    expectEsp(() => bus.newEtmTask('start-transaction'), ESP_ERR_NOT_SUPPORTED, /beyond silicon/);
    expectEsp(() => dev.prepareEtmTransaction({ tx: b.tx, length: 16 }), ESP_ERR_NOT_SUPPORTED);
    await sim.dispose();
  });

  it("a custom target's ETM task starts the prepared transaction with no CPU; a second prepare is refused", async () => {
    const { etm, Etm } = await import('../etm/index.js');
    void etm;
    const target = extendTarget(esp32c3, {
      name: 'c3-spi-etm',
      plugins: (p) => [...p, etm()],
      caps: { etm: { channels: 50 }, spi: { etm: { startTaskIds: { SPI2: 200 } } } },
      beyondSilicon: ['ETM', 'SPI ETM task'],
    });
    const sim = await createSimulation({ target });
    const bus = sim.get(Spi).busInitialize('SPI2', { loopback: true });
    const dev = bus.addDevice({ clockSpeedHz: 10e6 });
    expect(bus.newEtmTask('start-transaction').id).to.equal(200);
    expect(sim.get(Etm).taskName(200)).to.equal('SPI2_TASK_START_TRANS');
    const b = buffers(sim, 300);
    const tr = dev.prepareEtmTransaction({ tx: b.tx, rx: b.rx, length: 300 });
    expectEsp(
      () => dev.prepareEtmTransaction({ tx: b.tx + 1000, length: 4 }),
      ESP_ERR_INVALID_STATE,
      /already prepared/,
    );
    await sim.run();
    expect(tr.isDone()).to.equal(false);
    const sinks = (sim as unknown as { container: { getAll<T>(t: unknown): T[] } }).container;
    const { EtmTaskSinks } = await import('../contracts/etm.js');
    const sink = sinks
      .getAll<{ name: string; runEtmTask(id: number): void }>(EtmTaskSinks)
      .find((s) => s.name === 'spi')!;
    const ignored: unknown[] = [];
    sim.bus.all$.subscribe((e) => {
      if (e.source === 'spi' && e.type === 'etm-start-ignored') ignored.push(e.data);
    });
    // the host busy with another transaction: the start is ignored and the transaction stays prepared
    const other = buffers(sim, 64, 9);
    await run(sim, async () => {
      await dev.queueTrans({ tx: other.tx, rx: other.rx, length: 64 }); // on the bus from here
      sink.runEtmTask(200);
      expect(ignored).to.deep.equal([{ host: 'SPI2', reason: 'the host is busy' }]);
      await dev.getTransResult();
    });
    expect(tr.isDone()).to.equal(false);
    const at = sim.now;
    sink.runEtmTask(200);
    sink.runEtmTask(200); // nothing prepared any more (and the host busy): ignored
    expect(ignored).to.have.length(2);
    await sim.run();
    expect(tr.isDone()).to.equal(true);
    await run(sim, () => tr.wait());
    expect(sim.memory.read(b.rx, 300)).to.deep.equal(b.data);
    expect(at).to.be.greaterThan(0);
    await sim.dispose();
  });
});

describe('SPI master: trace model', () => {
  it("shows each transaction as the host's active wire and chip select, and a slice on its track", async () => {
    const sim = await createSimulation({ target: 'esp32s3' });
    const model = spiTraceModel(sim.target.caps.spi!.hosts);
    expect(model.signals().map((s) => `${s.scope}.${s.name}`)).to.deep.equal([
      'spi/SPI2.active',
      'spi/SPI2.cs',
      'spi/SPI3.active',
      'spi/SPI3.cs',
    ]);
    const calls: string[] = [];
    const out = {
      set: (i: number, v: number | undefined) => calls.push(`set ${i}=${String(v)}`),
      begin: (track: string, _k: string | number, name: string) => calls.push(`begin ${track} ${name}`),
      end: (track: string) => calls.push(`end ${track}`),
      mark: (track: string, name: string) => calls.push(`mark ${track} ${name}`),
      counter: () => undefined,
      newFlow: () => 0,
    };
    sim.bus.all$.subscribe((e) => {
      if (model.sources.includes(e.source)) model.onEvent(e, out);
    });
    const bus = sim.get(Spi).busInitialize('SPI3', { loopback: true });
    bus.addDevice({ clockSpeedHz: 1e6 });
    const dev = bus.addDevice({ clockSpeedHz: 8e6 });
    const b = buffers(sim, 40);
    await run(sim, () => dev.transmit({ tx: b.tx, rx: b.rx, length: 40 }));
    expect(calls).to.deep.equal([
      'set 2=1',
      'set 3=1',
      'begin SPI3 CS1 40 B DMA',
      'set 2=0',
      'set 3=undefined',
      'end SPI3',
    ]);
    await sim.dispose();
  });
});

describe('SPI master: ESP32-S2 specifics (SOC_SPI_MAXIMUM_BUFFER_SIZE 72, SOC_PSRAM_DMA_CAPABLE)', () => {
  it('without DMA the S2 FIFO holds 72 bytes (64 elsewhere): 72 go, 73 are refused', async () => {
    for (const [target, fifo] of [
      ['esp32s2', 72],
      ['esp32s3', 64],
    ] as const) {
      const sim = await createSimulation({ target });
      const bus = sim.get(Spi).busInitialize('SPI2', { dma: 'disabled', loopback: true });
      expect(bus.maxTransferSize, target).to.equal(fifo);
      const dev = bus.addDevice({ clockSpeedHz: 10e6 });
      const b = buffers(sim, 80, 4);
      await run(sim, () => dev.transmit({ tx: b.tx, rx: b.rx, length: fifo }));
      expect(sim.memory.read(b.rx, fifo)).to.deep.equal(b.data.subarray(0, fifo));
      expectEsp(
        () => dev.pollingTransmit({ tx: b.tx, length: fifo + 1 }),
        ESP_ERR_INVALID_ARG,
        /txdata transfer > host maximum/,
      );
      await sim.dispose();
    }
  });

  it("the S2 SPI DMA reaches PSRAM: a transfer() from a PSRAM buffer runs without a bounce; the ESP32's is refused", async () => {
    const s2 = await createSimulation({ target: 'esp32s2' });
    const bus = s2.get(Spi).busInitialize('SPI2', { loopback: true });
    const dev = bus.addDevice({ clockSpeedHz: 10e6 });
    const tx = s2.memory.alloc(256, { caps: ['spiram'], align: 4 });
    const rx = s2.memory.alloc(256, { caps: ['spiram'], align: 4 });
    const data = pattern(256, 2);
    s2.memory.write(tx, data);
    const tr = dev.transfer({ tx, rx, length: 256 });
    await run(s2, () => tr.wait());
    expect(s2.memory.read(rx, 256)).to.deep.equal(data);
    await s2.dispose();
    const e = await createSimulation({ target: 'esp32' });
    const ebus = e.get(Spi).busInitialize('SPI2', { loopback: true });
    const edev = ebus.addDevice({ clockSpeedHz: 10e6 });
    const etx = e.memory.alloc(256, { caps: ['spiram'], align: 4 });
    expectEsp(() => edev.transfer({ tx: etx, length: 256 }), ESP_ERR_INVALID_ARG, /UnsupportedMemoryRegion/);
    await e.dispose();
  });

  it('queueSize 0 is ESP_ERR_NO_MEM, as xQueueCreate(0) returns NULL in spi_bus_add_device', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const bus = sim.get(Spi).busInitialize('SPI2', {});
    expectEsp(() => bus.addDevice({ clockSpeedHz: 1e6, queueSize: 0 }), ESP_ERR_NO_MEM, /queueSize 0/);
    await sim.dispose();
  });
});
