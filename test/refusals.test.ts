import { expect } from 'chai';
import { createSimulation } from '../create-simulation.js';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE } from '../core/errors.js';
import type { MemoryMap } from '../core/memory/memory.js';
import { us } from '../core/time.js';
import { AsyncMemcpy } from '../plugins/async-memcpy/index.js';
import { GdmaDriver } from '../plugins/dma/gdma/index.js';
import { DescriptorMemory, writeLinearList } from '../plugins/dma/engine/descriptor.js';
import { Etm } from '../plugins/etm/index.js';
import { Gpio } from '../plugins/gpio/index.js';
import { Spi } from '../plugins/spi/index.js';

/** Issue 11 items 2, 4, 5 and 6: refusals that changed state, came as TypeErrors or did not come at all. */
function expectEsp(fn: () => unknown, code: number, match?: RegExp): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, 'expected an EspError').to.be.instanceOf(EspError);
  expect((err as EspError).code, (err as Error).message).to.equal(code);
  if (match) expect((err as Error).message).to.match(match);
}

type Worker = { work(cycles: number): Promise<void> };

describe('refused calls change nothing and come with the C code (issue 11)', () => {
  it('item 2: cpu.work(1e30) is refused and the core stays free: later work and copies run at their times', async () => {
    const sim = await createSimulation({ target: 'esp32s3' });
    const cpu = sim.cpu as unknown as Worker;
    expectEsp(() => cpu.work(1e30), ESP_ERR_INVALID_ARG, /past the last exact picosecond/);
    const src = sim.memory.alloc(64);
    const dst = sim.memory.alloc(64);
    let doneAt = -1;
    sim.spawn('t', async () => {
      await cpu.work(240);
      doneAt = sim.now;
      await sim.cpu.memcpy(dst, src, 64);
    });
    await sim.run();
    expect(doneAt).to.equal(1_000_000); // 240 cycles at 240 MHz
    expect(sim.faults).to.deep.equal([]);
    await sim.dispose();
  });

  it('item 4: an SPI clock that is not a whole number of Hz is refused; 1 Hz takes the slowest divider and completes', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const bus = sim.get(Spi).busInitialize('SPI2', { loopback: true });
    for (const hz of [0.001, 0.5, 1.5, 10_000_000.25])
      expectEsp(() => bus.addDevice({ clockSpeedHz: hz }), ESP_ERR_INVALID_ARG, /invalid sclk speed/);
    const dev = bus.addDevice({ clockSpeedHz: 1 });
    expect(dev.actualClockHz).to.equal(80_000_000 / (16 * 64));
    const tx = sim.memory.alloc(4, { caps: ['dma'] });
    const rx = sim.memory.alloc(4, { caps: ['dma'] });
    sim.memory.write(tx, Uint8Array.of(1, 2, 3, 4));
    let done = false;
    sim.spawn('t', async () => {
      await dev.transmit({ tx, rx, length: 4 });
      done = true;
    });
    await sim.run();
    expect(done).to.equal(true);
    expect([...sim.memory.read(rx, 4)]).to.deep.equal([1, 2, 3, 4]);
    expect(sim.faults).to.deep.equal([]);
    bus.removeDevice(dev);
    bus.free();
    await sim.dispose();
  });

  it('item 5: alloc options of the wrong kind, foreign ETM handles and bad descriptor addresses are EspErrors', async () => {
    const sim = await createSimulation({ target: 'esp32c6' });
    expectEsp(() => sim.memory.alloc(16, { caps: 5 as never }), ESP_ERR_INVALID_ARG, /caps must be an array/);
    expectEsp(() => sim.memory.alloc(16, null as never), ESP_ERR_INVALID_ARG, /options must be an object/);
    expectEsp(() => sim.memory.alloc(16, 'dma' as never), ESP_ERR_INVALID_ARG, /options must be an object/);
    const other = await createSimulation({ target: 'esp32c6' });
    const foreign = other.get(Gpio).newEtmEvent('pos');
    const ch = sim.get(Etm).newChannel();
    expectEsp(() => ch.connect(foreign, sim.get(Gpio).newEtmTask('set')), ESP_ERR_INVALID_ARG, /another simulation/);
    ch.connect(sim.get(Gpio).newEtmEvent('pos'), null); // its own handles still work
    await other.dispose();
    const { tx } = sim.get(GdmaDriver).newChannelPair({ m2m: true });
    for (const bad of [NaN, 'abc', 2 ** 40, 0])
      expectEsp(() => tx.start(bad as number), ESP_ERR_INVALID_ARG, /descriptor address/);
    expect(tx.state).to.equal('idle');
    await sim.dispose();
  });

  it('item 6: buffers of a queued or running async memcpy and of a low-level GDMA transfer cannot be freed or written until done', async () => {
    const sim = await createSimulation({ target: 'esp32c6' });
    const drv = sim.get(AsyncMemcpy).install({ backlog: 4 });
    const n = 8192;
    const src = sim.memory.alloc(n, { caps: ['dma', 'internal'] });
    const d1 = sim.memory.alloc(n, { caps: ['dma', 'internal'] });
    const d2 = sim.memory.alloc(n, { caps: ['dma', 'internal'] });
    sim.memory.write(src, new Uint8Array(n).fill(9));
    void drv.memcpy(d1, src, n);
    void drv.memcpy(d2, src, n); // queued behind the first
    for (const a of [d1, d2, src]) {
      expectEsp(() => sim.memory.free(a), ESP_ERR_INVALID_STATE, /held by/);
      expectEsp(() => sim.memory.write(a, new Uint8Array(1)), ESP_ERR_INVALID_STATE, /held by/);
    }
    expect(sim.memory.read(src, 4)).to.deep.equal(new Uint8Array(4).fill(9)); // reading a source is harmless
    await sim.run();
    for (const a of [d1, d2]) {
      expect(sim.memory.read(a, n).every((b) => b === 9)).to.equal(true);
      sim.memory.free(a);
    }

    const gdma = sim.get(GdmaDriver);
    const { tx, rx } = gdma.newChannelPair({ m2m: true });
    const id = 31 - Math.clz32(gdma.freeM2mTriggerMask() & -gdma.freeM2mTriggerMask());
    tx.connect({ m2m: id });
    rx.connect({ m2m: id });
    const dm = new DescriptorMemory(sim.memory as MemoryMap);
    const txd = sim.memory.alloc(36, { caps: ['dma', 'internal'] });
    const rxd = sim.memory.alloc(36, { caps: ['dma', 'internal'] });
    const dst = sim.memory.alloc(n, { caps: ['dma', 'internal'] });
    writeLinearList(dm, txd, src, n, 4092, true);
    writeLinearList(dm, rxd, dst, n, 4092, false);
    rx.start(rxd);
    tx.start(txd);
    await sim.run({ until: sim.now + us(5) });
    expectEsp(() => sim.memory.free(dst), ESP_ERR_INVALID_STATE, /gdma pair \d RX transfer/);
    tx.stop();
    rx.stop();
    expectEsp(() => sim.memory.free(dst), ESP_ERR_INVALID_STATE, /held by/); // halted, not reset: it may go on
    tx.append();
    rx.append();
    await sim.run();
    expect(sim.memory.read(dst, n).every((b) => b === 9)).to.equal(true);
    sim.memory.free(dst);
    sim.memory.free(src);
    expect((sim.memory as MemoryMap).leases.size).to.equal(0);
    await sim.dispose();
  });
});
