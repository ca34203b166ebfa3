import { expect } from 'chai';
import { createSimulation } from '../../../create-simulation.js';
import { type Simulation } from '../../../core/simulation.js';
import { Core } from '../../../core/tokens.js';
import { AHB_DESCRIPTOR, AXI_DESCRIPTOR, DescriptorMemory, writeLinearList } from '../engine/descriptor.js';
import type { DmaChannel, DmaChannelDriver } from '../engine/channel-api.js';
import { ESP_ERR_INVALID_ARG, ESP_ERR_NOT_SUPPORTED, EspError } from '../../../core/errors.js';
import { Etm } from '../../etm/index.js';
import { Spi } from '../../spi/index.js';
import { GdmaAxiDriver, GdmaDriver } from './index.js';
import { pattern } from '../../../test/helpers/sim.js';

function m2mPair(drv: DmaChannelDriver): { tx: DmaChannel; rx: DmaChannel } {
  const p = drv.newChannelPair({ m2m: true });
  const mask = drv.freeM2mTriggerMask();
  const id = 31 - Math.clz32(mask & -mask);
  p.tx.connect({ m2m: id });
  p.rx.connect({ m2m: id });
  // what a driver applies (a new GDMA channel has owner check, write-back and burst off, as gdma.c leaves them)
  for (const c of [p.tx, p.rx]) {
    c.applyStrategy({ ownerCheck: true, autoUpdateDesc: true });
    c.configTransfer({ maxDataBurstSize: 16 });
  }
  return p;
}

describe('the ESP32-P4 AXI GDMA (gdma-axi plugin)', () => {
  let sim: Simulation;
  let axi: DmaChannelDriver;
  let ahb: DmaChannelDriver;
  let dm: DescriptorMemory;
  beforeEach(async () => {
    sim = await createSimulation({ target: 'esp32p4' });
    axi = sim.get(GdmaAxiDriver);
    ahb = sim.get(GdmaDriver);
    dm = new DescriptorMemory(sim.get(Core.Memory));
  });
  afterEach(() => sim.dispose());

  it('walks 16-byte descriptors, writes back at 16-byte strides and leaves the padding word alone', async () => {
    expect(axi.descriptor).to.deep.equal({ bytes: 16, align: 8 });
    expect(ahb.descriptor).to.deep.equal({ bytes: 12, align: 4 });
    const n = 3 * 4092 + 10;
    const src = sim.memory.alloc(n, { caps: ['dma'] });
    const dst = sim.memory.alloc(n, { caps: ['dma'] });
    sim.memory.write(src, pattern(n));
    const txd = sim.memory.alloc(16 * 4, { caps: ['dma', 'internal'], align: 8 });
    const rxd = sim.memory.alloc(16 * 4, { caps: ['dma', 'internal'], align: 8 });
    expect(writeLinearList(dm, txd, src, n, 4092, true, true, AXI_DESCRIPTOR)).to.equal(4);
    expect(writeLinearList(dm, rxd, dst, n, 4092, false, true, AXI_DESCRIPTOR)).to.equal(4);
    const pad = Uint8Array.of(0xa5, 0x5a, 0xc3, 0x3c);
    for (let i = 0; i < 4; i++) {
      sim.memory.write(txd + 16 * i + 12, pad);
      sim.memory.write(rxd + 16 * i + 12, pad);
    }
    const { tx, rx } = m2mPair(axi);
    rx.start(rxd);
    tx.start(txd);
    await sim.run();
    expect(sim.memory.read(dst, n)).to.deep.equal(pattern(n));
    const rxs = [0, 1, 2, 3].map((i) => dm.read(rxd + 16 * i, AXI_DESCRIPTOR));
    expect(rxs.map((d) => [d.owner, d.length, d.sucEof])).to.deep.equal([
      [0, 4092, false],
      [0, 4092, false],
      [0, 4092, false],
      [0, 10, true],
    ]);
    expect([0, 1, 2, 3].map((i) => dm.read(txd + 16 * i, AXI_DESCRIPTOR).owner)).to.deep.equal([0, 0, 0, 0]);
    for (let i = 0; i < 4; i++) {
      expect(sim.memory.read(txd + 16 * i + 12, 4), `tx ${i} padding`).to.deep.equal(pad);
      expect(sim.memory.read(rxd + 16 * i + 12, 4), `rx ${i} padding`).to.deep.equal(pad);
    }
  });

  it('refuses a descriptor that is not 8-byte aligned (a list laid out for AHB), which the AHB GDMA takes', async () => {
    const n = 300;
    const run = async (drv: DmaChannelDriver): Promise<{ reason: string | undefined; data: Uint8Array }> => {
      const src = sim.memory.alloc(n, { caps: ['dma'] });
      const dst = sim.memory.alloc(n, { caps: ['dma'] });
      sim.memory.write(src, pattern(n, 3));
      // 12-byte descriptors from an 8-aligned base: the second one sits at +12, 4 mod 8
      const txd = sim.memory.alloc(48, { caps: ['dma', 'internal'], align: 8 });
      const rxd = sim.memory.alloc(48, { caps: ['dma', 'internal'], align: 8 });
      writeLinearList(dm, txd, src, n, 200, true, true, AHB_DESCRIPTOR);
      writeLinearList(dm, rxd, dst, n, 200, false, true, AHB_DESCRIPTOR);
      let reason: string | undefined;
      const { tx, rx } = m2mPair(drv);
      for (const c of [tx, rx])
        c.registerCallbacks({
          onDescrErr: (_c, e) => {
            reason ??= e.reason;
          },
        });
      rx.start(rxd);
      tx.start(txd);
      await sim.run();
      return { reason, data: sim.memory.read(dst, n) };
    };
    const onAxi = await run(axi);
    expect(onAxi.reason).to.match(/is not 8-byte aligned/);
    expect(onAxi.data.subarray(0, 200)).to.deep.equal(pattern(n, 3).subarray(0, 200));
    expect(onAxi.data.subarray(200).every((b) => b === 0)).to.equal(true);
    const onAhb = await run(ahb);
    expect(onAhb.reason).to.equal(undefined);
    expect(onAhb.data).to.deep.equal(pattern(n, 3));
  });

  it('reaches PSRAM; its ETM events and tasks carry the GDMA_AXI IDs of soc_etm_source.h', () => {
    const psram = sim.memory.regions.find((r) => r.kind === 'psram')!;
    expect(axi.canReach(psram.base, 4096)).to.equal(true);
    const { tx, rx } = m2mPair(axi);
    expect(axi.newEtmEvent(rx, 'eof').id).to.equal(231);
    expect(axi.newEtmEvent(tx, 'eof').id).to.equal(251);
    expect(axi.newEtmTask(rx, 'start').id).to.equal(218);
    expect(axi.newEtmTask(tx, 'start').id).to.equal(223);
    const etm = sim.get(Etm);
    expect(etm.eventName(231)).to.equal('GDMA_AXI_EVT_IN_SUC_EOF_CH0');
    expect(etm.eventName(202)).to.equal('GDMA_AHB_EVT_IN_SUC_EOF_CH0');
    expect(etm.taskName(227 - 2)).to.equal('GDMA_AXI_TASK_OUT_START_CH2');
    expect(etm.taskName(217)).to.equal('GDMA_AHB_TASK_OUT_START_CH2');
  });

  it('SPI2 and SPI3 take AXI GDMA pairs (SOC_GDMA_TRIG_PERIPH_SPI2/3_BUS = AXI); the AHB GDMA has no SPI trigger', async () => {
    const spi = sim.get(Spi);
    const starts: string[] = [];
    sim.bus.all$.subscribe((e) => {
      if (e.type === 'channel-start') starts.push(e.source);
    });
    const bus2 = spi.busInitialize('SPI2', { loopback: true, maxTransferSize: 8192 });
    const bus3 = spi.busInitialize('SPI3', { loopback: true });
    const dev = bus2.addDevice({ clockSpeedHz: 20_000_000 });
    const n = 5000;
    const txb = sim.memory.alloc(n, { caps: ['dma', 'internal'] });
    const rxb = sim.memory.alloc(n, { caps: ['dma', 'internal'] });
    sim.memory.write(txb, pattern(n, 4));
    const t = sim.spawn('t', async () => {
      await dev.transmit({ tx: txb, rx: rxb, length: n });
    });
    await sim.run();
    await t.done;
    expect(sim.memory.read(rxb, n)).to.deep.equal(pattern(n, 4));
    expect(new Set(starts)).to.deep.equal(new Set(['gdma-axi']));
    // two of the three AXI pairs are SPI's; all three AHB pairs are free
    m2mPair(axi);
    let err: unknown;
    try {
      m2mPair(axi);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(EspError);
    for (let i = 0; i < 2; i++) m2mPair(ahb); // the two M2M-capable AHB pairs
    const { tx } = ahb.newChannelPair();
    let refused: unknown;
    try {
      tx.connect({ peripheral: 'SPI2' });
    } catch (e) {
      refused = e;
    }
    expect((refused as EspError).code).to.equal(ESP_ERR_INVALID_ARG);
    bus2.removeDevice(dev);
    bus2.free();
    bus3.free();
  });
});

describe('gdma-axi elsewhere', () => {
  it('a target without AXI pairs has no GdmaAxiDriver; the AHB GDMA keeps 12-byte descriptors', async () => {
    const sim = await createSimulation({ target: 'esp32c5' });
    expect(sim.has(GdmaAxiDriver)).to.equal(false);
    expect(sim.has(GdmaDriver)).to.equal(true);
    expect(sim.get(GdmaDriver).descriptor).to.deep.equal({ bytes: 12, align: 4 });
    await sim.dispose();
  });

  it('gdma_new_etm_event on a GDMA without ETM: ESP_ERR_NOT_SUPPORTED', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const drv = sim.get(GdmaDriver);
    const { rx } = drv.newChannelPair({ m2m: true });
    let err: unknown;
    try {
      drv.newEtmEvent(rx, 'eof');
    } catch (e) {
      err = e;
    }
    expect((err as EspError).code).to.equal(ESP_ERR_NOT_SUPPORTED);
    await sim.dispose();
  });
});
