import { expect } from 'chai';
import { createSimulation } from '../../../../create-simulation.js';
import type { Simulation } from '../../../../core/simulation.js';
import { type EspError, ESP_ERR_INVALID_STATE } from '../../../../core/errors.js';
import { us } from '../../../../core/time.js';
import { Core } from '../../../../core/tokens.js';
import { AXI_DESCRIPTOR, DescriptorMemory, writeLinearList } from '../descriptor.js';
import { extendTarget } from '../../../../core/target/target.js';
import { esp32c3, esp32s2 } from '../../../../targets/index.js';
import { CpDmaDriver } from '../../cpdma/index.js';
import { GdmaDriver } from '../../gdma/index.js';
import { AsyncMemcpy } from '../../../async-memcpy/index.js';
import { Spi } from '../../../spi/index.js';

const rules = (sim: Simulation): string[] => sim.diagnostics.map((f) => f.rule);

describe('DMA checkers: trigger ownership', () => {
  let sim: Simulation;
  afterEach(() => sim.dispose());

  it('two channels connected to one trigger ID: the refused gdma_connect is an error naming both channels', async () => {
    sim = await createSimulation({ target: 'esp32c3', checks: true });
    const drv = sim.get(GdmaDriver);
    const a = drv.newChannelPair();
    const b = drv.newChannelPair();
    a.tx.connect({ peripheral: 'SPI2' });
    try {
      b.tx.connect({ peripheral: 'SPI2' });
      expect.fail('expected a refusal');
    } catch (e) {
      expect((e as EspError).code).to.equal(ESP_ERR_INVALID_STATE);
    }
    expect(rules(sim)).to.deep.equal(['dma.trigger-conflict']);
    const f = sim.diagnostics[0]!;
    expect(f.severity).to.equal('error');
    expect(f.objects).to.deep.equal(['gdma pair 1 TX (user)', 'gdma pair 0 TX (user, SPI2)']);
    expect(f.message).to.include('trigger ID 0 (SPI2)');
    expect(f.refs.join()).to.include('10575');
  });

  it('channels on distinct trigger IDs, and the same ID on TX and RX, give no finding', async () => {
    sim = await createSimulation({ target: 'esp32c3', checks: true });
    const drv = sim.get(GdmaDriver);
    const a = drv.newChannelPair();
    a.tx.connect({ peripheral: 'SPI2' });
    a.rx.connect({ peripheral: 'SPI2' });
    const b = drv.newChannelPair({ m2m: true });
    b.tx.connect({ m2m: 3 });
    b.rx.connect({ m2m: 3 });
    expect(sim.diagnostics).to.deep.equal([]);
  });

  // esp-idf#10575: on silicon async memcpy takes the lowest free M2M ID, 0 on the ESP32-C3, which is SPI2's.
  it("an M2M channel on SPI2's trigger 0 (ESP32-C3, esp-idf#10575) is a warning once SPI2 tries to connect; SPI first is clean", async () => {
    sim = await createSimulation({ target: 'esp32c3', checks: ['dma'] });
    const m = sim.get(GdmaDriver).newChannelPair({ m2m: true });
    m.tx.connect({ m2m: 0 });
    m.rx.connect({ m2m: 0 });
    // a program that never uses SPI2 is correct: ID 0 is free for M2M use until SPI2's driver wants it
    await sim.run({ until: us(10) });
    expect(rules(sim)).to.deep.equal([]);
    // as on silicon, spi_bus_initialize ignores gdma_connect's error: the bus comes up without a connected DMA
    sim.get(Spi).busInitialize('SPI2', {});
    expect(rules(sim)).to.deep.equal([
      'dma.m2m-takes-peripheral-id',
      'dma.m2m-takes-peripheral-id',
      'dma.trigger-conflict',
      'dma.trigger-conflict',
    ]); // the pair's TX and RX, then SPI2's TX and RX
    expect(sim.diagnostics.slice(0, 2).map((f) => f.objects[0])).to.deep.equal(['gdma pair 0 TX', 'gdma pair 0 RX']);
    expect(sim.diagnostics[0]!.message).to.include("trigger ID 0, which is SPI2's on esp32c3");
    expect(sim.diagnostics[2]!.message).to.include('trigger ID 0 (SPI2)');
    expect(sim.diagnostics[2]!.message).to.include('SPI2 sends garbage');
    await sim.dispose();

    // another M2M user refused on that ID is a plain conflict: SPI2 has not asked for it
    sim = await createSimulation({ target: 'esp32c3', checks: ['dma'] });
    const a = sim.get(GdmaDriver).newChannelPair({ m2m: true });
    a.tx.connect({ m2m: 0 });
    const b = sim.get(GdmaDriver).newChannelPair({ m2m: true });
    expect(() => b.tx.connect({ m2m: 0 })).to.throw(/already used/);
    expect(rules(sim)).to.deep.equal(['dma.trigger-conflict']);
    // released before SPI2 comes: nothing to report
    a.tx.disconnect();
    sim.get(Spi).busInitialize('SPI2', {});
    expect(rules(sim)).to.deep.equal(['dma.trigger-conflict']);
    await sim.dispose();

    sim = await createSimulation({ target: 'esp32c3', checks: ['dma'] });
    sim.get(Spi).busInitialize('SPI2', {});
    sim.get(AsyncMemcpy).install();
    expect(sim.diagnostics).to.deep.equal([]);
    await sim.dispose();

    // async memcpy first: the driver itself takes ID 0, and SPI2's connect is refused (and ignored)
    sim = await createSimulation({ target: 'esp32c3', checks: ['dma'] });
    sim.get(AsyncMemcpy).install();
    sim.get(Spi).busInitialize('SPI2', {});
    expect(rules(sim)).to.deep.equal([
      'dma.m2m-takes-peripheral-id',
      'dma.m2m-takes-peripheral-id',
      'dma.trigger-conflict',
      'dma.trigger-conflict',
    ]);
    expect(sim.diagnostics[2]!.objects[1]).to.match(/\(async-memcpy, m2m 0\)/);
  });

  it('a channel started without gdma_connect is an error; connected, it is not', async () => {
    for (const connect of [false, true]) {
      sim = await createSimulation({ target: 'esp32c3', checks: ['dma.start-unconnected'] });
      const dm = new DescriptorMemory(sim.get(Core.Memory));
      const { tx, rx } = sim.get(GdmaDriver).newChannelPair({ m2m: true });
      if (connect) {
        tx.connect({ m2m: 3 });
        rx.connect({ m2m: 3 });
      }
      const src = sim.memory.alloc(64, { caps: ['dma'] });
      const dst = sim.memory.alloc(64, { caps: ['dma'] });
      const txd = sim.memory.alloc(24, { caps: ['dma'] });
      writeLinearList(dm, txd, src, 64, 4092, true);
      writeLinearList(dm, txd + 12, dst, 64, 4092, false);
      rx.start(txd + 12);
      tx.start(txd);
      await sim.run({ until: us(100) });
      expect(rules(sim)).to.deep.equal(connect ? [] : ['dma.start-unconnected', 'dma.start-unconnected']);
      if (!connect) await sim.dispose();
    }
  });

  it('an M2M channel whose pair partner is on another ID, and a peripheral channel nobody serves, are reported', async () => {
    sim = await createSimulation({ target: 'esp32c3', checks: ['dma.trigger-unserved'] });
    const dm = new DescriptorMemory(sim.get(Core.Memory));
    const drv = sim.get(GdmaDriver);
    const m = drv.newChannelPair({ m2m: true });
    m.tx.connect({ m2m: 3 });
    m.rx.connect({ m2m: 6 });
    const buf = sim.memory.alloc(64, { caps: ['dma'] });
    const d = sim.memory.alloc(24, { caps: ['dma'] });
    writeLinearList(dm, d, buf, 64, 4092, true);
    m.tx.start(d);
    const p = drv.newChannelPair();
    p.rx.connect({ peripheral: 'SPI2' });
    writeLinearList(dm, d + 12, buf, 64, 4092, false);
    p.rx.start(d + 12);
    await sim.run({ until: us(50) });
    expect(sim.diagnostics.map((f) => [f.rule, f.severity, f.objects[0]])).to.deep.equal([
      ['dma.trigger-unserved', 'error', 'gdma pair 0 TX'],
      ['dma.trigger-unserved', 'warning', 'gdma pair 1 RX'],
    ]);
    await sim.run({ until: us(60) });
    expect(sim.diagnostics).to.have.length(2); // reported once, not at every run's end
  });

  it('an SPI transaction that completes leaves no unserved channel', async () => {
    sim = await createSimulation({ target: 'esp32c3', checks: true });
    const dev = sim.get(Spi).busInitialize('SPI2', {}).addDevice({ clockSpeedHz: 10_000_000 });
    const tx = sim.memory.alloc(32, { caps: ['dma'] });
    const rx = sim.memory.alloc(32, { caps: ['dma'] });
    sim.spawn('t', () => dev.transmit({ tx, rx, length: 32 }));
    await sim.run();
    expect(sim.diagnostics).to.deep.equal([]);
  });
});

describe('DMA checkers: descriptor chains', () => {
  let sim: Simulation;
  let dm: DescriptorMemory;
  beforeEach(async () => {
    sim = await createSimulation({ target: 'esp32c3', checks: ['dma-descriptors'] });
    dm = new DescriptorMemory(sim.get(Core.Memory));
  });
  afterEach(() => sim.dispose());

  /** An M2M pair on ID 3 and `n` bytes of buffers, TX list at `txd` (2 descriptors room), RX list at `rxd`. */
  function setup(n: number) {
    const drv = sim.get(GdmaDriver);
    const { tx, rx } = drv.newChannelPair({ m2m: true });
    const free = drv.freeM2mTriggerMask();
    const id = 31 - Math.clz32(free & -free);
    tx.connect({ m2m: id });
    rx.connect({ m2m: id });
    const src = sim.memory.alloc(n, { caps: ['dma'] });
    const dst = sim.memory.alloc(n, { caps: ['dma'] });
    const txd = sim.memory.alloc(48, { caps: ['dma'] });
    const rxd = sim.memory.alloc(48, { caps: ['dma'] });
    return { tx, rx, src, dst, txd, rxd };
  }

  it('a TX list looping without suc_eof is an error; the same loop with suc_eof is not', async () => {
    for (const eof of [false, true]) {
      const before = sim.diagnostics.length;
      const c = setup(64);
      dm.write(c.txd, { size: 32, length: 32, owner: 1, buffer: c.src, next: c.txd + 12 });
      dm.write(c.txd + 12, { size: 32, length: 32, owner: 1, sucEof: eof, buffer: c.src + 32, next: c.txd });
      c.tx.applyStrategy({ ownerCheck: false, autoUpdateDesc: false });
      writeLinearList(dm, c.rxd, c.dst, 64, 4092, false);
      c.rx.start(c.rxd);
      c.tx.start(c.txd);
      await sim.run({ until: us(20) });
      const loops = sim.diagnostics.slice(before).filter((f) => f.rule === 'dma.descriptor-loop');
      expect(loops.length, `eof ${eof}`).to.equal(eof ? 0 : 1);
      c.tx.stop();
      c.rx.stop();
      if (!eof) expect(loops[0]!.message).to.include('loops (through');
    }
  });

  it('a TX list ending without suc_eof is an error: the copy never completes', async () => {
    const c = setup(64);
    writeLinearList(dm, c.txd, c.src, 64, 4092, true, false);
    writeLinearList(dm, c.rxd, c.dst, 64, 4092, false);
    c.rx.start(c.rxd);
    c.tx.start(c.txd);
    await sim.run({ until: us(20) });
    expect(rules(sim)).to.deep.equal(['dma.descriptor-no-eof']);
  });

  it('a descriptor owned by the CPU is a descriptor error whose fix names the owner bit; owner = DMA runs clean', async () => {
    for (const owner of [0, 1] as const) {
      const c = setup(64);
      c.tx.applyStrategy({ ownerCheck: true, autoUpdateDesc: true });
      dm.write(c.txd, { size: 64, length: 64, owner, sucEof: true, buffer: c.src, next: 0 });
      writeLinearList(dm, c.rxd, c.dst, 64, 4092, false);
      c.rx.start(c.rxd);
      c.tx.start(c.txd);
      await sim.run({ until: sim.now + us(20) });
    }
    expect(rules(sim)).to.deep.equal(['dma.descriptor-error']);
    expect(sim.diagnostics[0]!.fix).to.include('owner = DMA (1)');
    expect(sim.diagnostics[0]!.objects[0]).to.equal('gdma pair 0 TX');
  });

  it('software writing a descriptor the running DMA owns is a warning; writing it once the DMA handed it back is not', async () => {
    const c = setup(8000);
    writeLinearList(dm, c.txd, c.src, 8000, 4000, true);
    writeLinearList(dm, c.rxd, c.dst, 8000, 4000, false);
    c.rx.start(c.rxd);
    c.tx.start(c.txd);
    // the second TX descriptor, still the DMA's: rewritten with its own bytes (a re-arm racing the DMA)
    sim.memory.write(c.txd + 12, sim.memory.read(c.txd + 12, 12));
    expect(rules(sim)).to.deep.equal(['dma.descriptor-modified']);
    expect(sim.diagnostics[0]!.objects[1]).to.equal(`descriptor 0x${(c.txd + 12).toString(16)}`);
    await sim.run();
    sim.memory.write(c.txd + 12, sim.memory.read(c.txd + 12, 12)); // handed back (owner = CPU) after the copy
    expect(rules(sim)).to.deep.equal(['dma.descriptor-modified']);
  });

  it('a TX length of 4100 keeps its low 12 bits: the DMA sends 4 bytes, and the write is dma.descriptor-too-long', async () => {
    const c = setup(4100);
    sim.memory.write(c.src, new Uint8Array(4100).fill(0x5a));
    dm.write(c.txd, { size: 4100, length: 4100, owner: 1, sucEof: true, buffer: c.src, next: 0 });
    expect(rules(sim)).to.deep.equal(['dma.descriptor-too-long']);
    const f = sim.diagnostics[0]!;
    expect(f.objects).to.deep.equal([`descriptor 0x${c.txd.toString(16)}`]);
    expect(f.message).to.include('size 4100 and length 4100');
    expect(f.message).to.include('holds size 4 and length 4');
    expect(f.message).to.include('sends 4 of the 4100 bytes');
    writeLinearList(dm, c.rxd, c.dst, 4100, 4092, false);
    c.rx.start(c.rxd);
    c.tx.start(c.txd);
    await sim.run({ until: us(100) });
    const got = sim.memory.read(c.dst, 4100);
    expect(got.filter((b) => b === 0x5a).length).to.equal(4); // silicon copies what the field holds
    expect(rules(sim)).to.deep.equal(['dma.descriptor-too-long']);
  });

  it('an RX size of 4096 is stored as 0: the finding, then the descriptor error; 4095 and a list split at 4092 are clean', async () => {
    const c = setup(8192);
    dm.write(c.rxd, { size: 4096, length: 0, owner: 1, buffer: c.dst, next: 0 });
    expect(
      sim.diagnostics.map((f) => [f.rule, f.message.includes('size 4096'), f.message.includes('size 0')]),
    ).to.deep.equal([['dma.descriptor-too-long', true, true]]);
    expect(sim.diagnostics[0]!.message).to.include('an RX channel stops on it with a descriptor error (size 0)');
    dm.write(c.txd, { size: 64, length: 64, owner: 1, sucEof: true, buffer: c.src, next: 0 });
    c.rx.start(c.rxd);
    c.tx.start(c.txd);
    await sim.run({ until: us(50) });
    expect(rules(sim)).to.deep.equal(['dma.descriptor-too-long', 'dma.descriptor-error']);
    c.tx.stop();
    c.rx.stop();

    const before = sim.diagnostics.length;
    const d = setup(8192);
    dm.write(d.rxd, { size: 4095, length: 0, owner: 1, buffer: d.dst, next: 0 });
    writeLinearList(dm, d.txd, d.src, 4095, 4092, true);
    d.rx.start(d.rxd);
    d.tx.start(d.txd);
    await sim.run({ until: sim.now + us(100) });
    expect(sim.diagnostics.slice(before)).to.deep.equal([]);
  });

  it('one finding per oversized write on the ESP32-P4, whose AHB and AXI GDMAs both watch its memory', async () => {
    await sim.dispose();
    sim = await createSimulation({ target: 'esp32p4', checks: ['dma.descriptor-too-long'] });
    dm = new DescriptorMemory(sim.get(Core.Memory));
    const at = sim.memory.alloc(32, { caps: ['dma', 'internal'], align: 8 });
    dm.write(at, { size: 5000, length: 0, owner: 1, buffer: 0, next: 0 }, AXI_DESCRIPTOR);
    dm.write(at, { size: 0, length: 8191, owner: 1, buffer: 0, next: 0 });
    expect(sim.diagnostics.map((f) => f.message.slice(0, 17))).to.deep.equal([
      'size 5000 written',
      'length 8191 writt',
    ]);
  });
});

describe('DMA checkers: a circular list on a DMA that cannot follow one', () => {
  let sim: Simulation;
  afterEach(() => sim.dispose());

  /** Two-descriptor TX and RX rings (TX suc_eof on the second), or the same lists ending, on an M2M pair. */
  async function ring(target: string | ReturnType<typeof extendTarget>, circular: boolean): Promise<string[]> {
    sim = await createSimulation({ target, checks: ['dma-descriptors'] });
    const dm = new DescriptorMemory(sim.get(Core.Memory));
    const { tx, rx } = sim.get(GdmaDriver).newChannelPair({ m2m: true });
    tx.connect({ m2m: 3 });
    rx.connect({ m2m: 3 });
    const src = sim.memory.alloc(64, { caps: ['dma'] });
    const dst = sim.memory.alloc(64, { caps: ['dma'] });
    const txd = sim.memory.alloc(24, { caps: ['dma'] });
    const rxd = sim.memory.alloc(24, { caps: ['dma'] });
    dm.write(txd, { size: 32, length: 32, owner: 1, buffer: src, next: txd + 12 });
    dm.write(txd + 12, { size: 32, length: 32, owner: 1, sucEof: true, buffer: src + 32, next: circular ? txd : 0 });
    dm.write(rxd, { size: 32, length: 0, owner: 1, buffer: dst, next: rxd + 12 });
    dm.write(rxd + 12, { size: 32, length: 0, owner: 1, buffer: dst + 32, next: circular ? rxd : 0 });
    rx.start(rxd);
    tx.start(txd);
    await sim.run({ until: us(20) });
    return rules(sim);
  }
  const noLoop = extendTarget(esp32c3, { name: 'c3-no-loop', caps: { gdma: { circularLists: false } } });

  it('a custom target whose GDMA declares circularLists: false reports a ring; a linear list there is clean', async () => {
    expect(await ring(noLoop, true)).to.deep.equal(['dma.circular-unsupported', 'dma.circular-unsupported']);
    expect(sim.diagnostics.map((f) => f.objects[0])).to.deep.equal(['gdma pair 0 RX', 'gdma pair 0 TX']);
    const f = sim.diagnostics[1]!;
    expect(f.severity).to.equal('error');
    expect(f.message).to.include('circularLists: false');
    await sim.dispose();
    expect(await ring(noLoop, false)).to.deep.equal([]);
  });

  it('caps.cpdma.circularLists: false makes a ring on the ESP32-S2 CP DMA a finding; the built-in S2 follows it', async () => {
    for (const circularLists of [false, true]) {
      const target = extendTarget(esp32s2, { name: `s2-loop-${circularLists}`, caps: { cpdma: { circularLists } } });
      sim = await createSimulation({ target, checks: ['dma.circular-unsupported'] });
      const dm = new DescriptorMemory(sim.get(Core.Memory));
      const { tx, rx } = sim.get(CpDmaDriver).newChannelPair({ m2m: true });
      tx.connect({ m2m: 0 });
      rx.connect({ m2m: 0 });
      const buf = sim.memory.alloc(64, { caps: ['dma'] });
      const d = sim.memory.alloc(24, { caps: ['dma'] });
      dm.write(d, { size: 32, length: 0, owner: 1, buffer: buf, next: d + 12 });
      dm.write(d + 12, { size: 32, length: 0, owner: 1, buffer: buf + 32, next: d });
      rx.start(d);
      expect(rules(sim), String(circularLists)).to.deep.equal(circularLists ? [] : ['dma.circular-unsupported']);
      if (!circularLists) expect(sim.diagnostics[0]!.objects[0]).to.equal('cpdma pair 0 RX');
      await sim.dispose();
    }
    sim = await createSimulation({ target: 'esp32s2' });
  });

  it('every built-in GDMA follows a ring (caps default): the same ring on the ESP32-C3 is clean', async () => {
    expect(await ring('esp32c3', true)).to.deep.equal([]);
  });
});

describe("DMA checkers on the SPI's own DMA (ESP32, ESP32-S2)", () => {
  let sim: Simulation;
  afterEach(() => sim.dispose());

  it('the descriptor rules watch the ESP32 SPI DMA: an oversized descriptor is reported; SPI transactions run clean', async () => {
    sim = await createSimulation({ target: 'esp32', checks: true });
    const dev = sim.get(Spi).busInitialize('SPI2', { loopback: true, maxTransferSize: 8000 });
    const d = dev.addDevice({ clockSpeedHz: 10_000_000 });
    const tx = sim.memory.alloc(6000, { caps: ['dma'] });
    const rx = sim.memory.alloc(6000, { caps: ['dma'] });
    sim.spawn('t', () => d.transmit({ tx, rx, length: 6000 }));
    await sim.run();
    expect(sim.diagnostics).to.deep.equal([]);
    const at = sim.memory.alloc(12, { caps: ['dma'] });
    new DescriptorMemory(sim.get(Core.Memory)).write(at, { size: 4096, length: 4096, owner: 1, buffer: tx, next: 0 });
    expect(rules(sim)).to.deep.equal(['dma.descriptor-too-long']);
  });
});
