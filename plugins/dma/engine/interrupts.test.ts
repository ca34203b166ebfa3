import { expect } from 'chai';
import { createSimulation } from '../../../create-simulation.js';
import { Core } from '../../../core/tokens.js';
import { EspError, ESP_ERR_INVALID_ARG } from '../../../core/errors.js';
import { GdmaDriver } from '../gdma/index.js';
import { DescriptorMemory, writeLinearList } from './descriptor.js';
import type { DmaChannel, DmaChannelDriver, DmaRxInterruptBits, DmaTxInterruptBits } from './channel-api.js';
import { GDMA_INTERRUPTS, GDMA_INTERRUPTS_C3 } from './interrupts.js';

const N = 256;

/** A memory-to-memory pair of `target`'s GDMA and a function that copies N bytes (one descriptor each way). */
async function pair(target: string) {
  const sim = await createSimulation({ target });
  const drv = sim.get(GdmaDriver);
  const dm = new DescriptorMemory(sim.get(Core.Memory));
  const { tx, rx } = drv.newChannelPair({ m2m: true });
  let free = drv.freeM2mTriggerMask();
  for (const pid of Object.values(sim.target.caps.gdma?.peripheralTriggers ?? {})) free &= ~(1 << pid);
  const id = 31 - Math.clz32(free & -free);
  tx.connect({ m2m: id });
  rx.connect({ m2m: id });
  const src = sim.memory.alloc(N, { caps: ['dma'], align: 4 });
  const dst = sim.memory.alloc(N, { caps: ['dma'], align: 4 });
  const txd = sim.memory.alloc(12, { caps: ['dma', 'internal'], align: 4 });
  const rxd = sim.memory.alloc(12, { caps: ['dma', 'internal'], align: 4 });
  const copy = (): void => {
    writeLinearList(dm, txd, src, N, 4092, true);
    writeLinearList(dm, rxd, dst, N, 4092, false);
    rx.start(rxd);
    tx.start(txd);
  };
  return { sim, drv, tx, rx, copy, dm, txd, rxd, src, dst };
}

function bitsOf(ch: DmaChannel) {
  return ch.interrupts.bits as DmaRxInterruptBits & DmaTxInterruptBits;
}

function espErr(fn: () => unknown): number {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(EspError);
    return (e as EspError).code;
  }
  return 0;
}

describe('GDMA interrupt registers: INT_RAW latches, INT_ST = raw & enable, INT_CLR, the ISR (gdma_ll.h, gdma.c)', () => {
  it('every event latches its raw bit whether or not it is enabled; with nothing enabled the status stays 0', async () => {
    const { sim, tx, rx, copy, txd, rxd } = await pair('esp32s3');
    copy();
    await sim.run();
    const r = bitsOf(rx);
    const t = bitsOf(tx);
    expect(rx.interrupts.raw).to.equal(r.done | r.sucEof);
    expect(tx.interrupts.raw).to.equal(t.done | t.eof | t.totalEof);
    expect([rx.interrupts.enabled, rx.interrupts.status, tx.interrupts.status]).to.deep.equal([0, 0, 0]);
    expect([rx.interrupts.eofDescriptor, tx.interrupts.eofDescriptor]).to.deep.equal([rxd, txd]);
    await sim.dispose();
  });

  it("gdma_register_*_event_callbacks enables the callbacks' events; gdma.c's ISR reads (RX: raw, TX: status), clears, then calls back at the EOF", async () => {
    const { sim, tx, rx, copy } = await pair('esp32s3');
    const r = bitsOf(rx);
    const t = bitsOf(tx);
    const seen: string[] = [];
    const eofAt: number[] = [];
    sim.bus
      .source('gdma')
      .on('eof')
      .subscribe(() => eofAt.push(sim.now));
    rx.registerCallbacks({
      onRecvEof: (c) => {
        seen.push(`rx@${sim.now} raw=${c.interrupts.raw}`);
      },
      onDescrErr: () => {
        seen.push('rx err');
      },
    });
    tx.registerCallbacks({
      onTransEof: (c) => {
        seen.push(`tx@${sim.now} raw=${c.interrupts.raw}`);
      },
    });
    expect(rx.interrupts.enabled).to.equal(r.sucEof | r.errEof | r.descrErr);
    expect(tx.interrupts.enabled).to.equal(t.eof);
    copy();
    await sim.run();
    const end = eofAt[0]!;
    // TX's ISR clears only what it read (EOF; DONE and TOTAL_EOF stay raw); RX's read and cleared the whole raw word
    expect(seen).to.deep.equal([`tx@${end} raw=${t.done | t.totalEof}`, `rx@${end} raw=0`]);
    expect(tx.interrupts.raw).to.equal(t.done | t.totalEof);
    expect(rx.interrupts.raw).to.equal(0);
    // re-registering without on_recv_eof disables its events
    rx.registerCallbacks({});
    expect(rx.interrupts.enabled).to.equal(0);
    await sim.dispose();
  });

  it('a masked source keeps the EOF pending; unmasking runs the ISR in a kernel event at that instant, never inside the call', async () => {
    const { sim, rx, copy } = await pair('esp32c3');
    const calls: number[] = [];
    rx.registerCallbacks({ onRecvEof: () => void calls.push(sim.now) });
    rx.interrupts.setSourceEnabled(false);
    copy();
    await sim.run();
    expect(calls).to.deep.equal([]);
    expect(rx.interrupts.status).to.equal(bitsOf(rx).sucEof);
    await sim.run({ until: sim.now + 1_000_000 });
    const t = sim.now;
    rx.interrupts.setSourceEnabled(true);
    expect(calls).to.deep.equal([]); // not inside setSourceEnabled
    await sim.run();
    expect(calls).to.deep.equal([t]);
    expect(rx.interrupts.raw).to.equal(0);
    await sim.dispose();
  });

  it('enabling an event already raw runs the ISR; clearing it first does not', async () => {
    for (const clearFirst of [false, true]) {
      const { sim, rx, copy } = await pair('esp32s3');
      const calls: number[] = [];
      rx.registerCallbacks({ onRecvEof: () => void calls.push(sim.now) });
      rx.interrupts.enable(0xffff_ffff, false);
      copy();
      await sim.run();
      if (clearFirst) rx.interrupts.clear(bitsOf(rx).sucEof);
      rx.interrupts.enable(bitsOf(rx).sucEof, true);
      await sim.run();
      expect(calls.length).to.equal(clearFirst ? 0 : 1);
      await sim.dispose();
    }
  });

  it('the ESP32-C3 has its own layout (one register per pair: RX DESC_ERROR bit 5, TX bit 6); the S3/C6/P4 share one', async () => {
    const c3 = await pair('esp32c3');
    expect(c3.rx.interrupts.bits).to.deep.equal(GDMA_INTERRUPTS_C3.rx);
    expect(c3.tx.interrupts.bits).to.deep.equal(GDMA_INTERRUPTS_C3.tx);
    // a TX descriptor owned by the CPU with the owner check on: OUT_DSCR_ERR, bit 6 on the C3
    c3.tx.applyStrategy({ ownerCheck: true });
    writeLinearList(c3.dm, c3.txd, c3.src, N, 4092, true);
    const w = c3.sim.memory.read(c3.txd, 4);
    w[3]! &= 0x7f;
    c3.sim.memory.write(c3.txd, w);
    writeLinearList(c3.dm, c3.rxd, c3.dst, N, 4092, false);
    c3.rx.start(c3.rxd);
    c3.tx.start(c3.txd);
    await c3.sim.run();
    expect(c3.tx.interrupts.raw & (1 << 6)).to.equal(1 << 6);
    await c3.sim.dispose();
    for (const target of ['esp32s3', 'esp32c6', 'esp32p4']) {
      const s = await createSimulation({ target });
      const drv: DmaChannelDriver = s.get(GdmaDriver);
      const { tx, rx } = drv.newChannelPair();
      expect([rx.interrupts.bits, tx.interrupts.bits]).to.deep.equal([GDMA_INTERRUPTS.rx, GDMA_INTERRUPTS.tx]);
      await s.dispose();
    }
  });

  it('refuses a mask that is no 32-bit register value, or an ISR that is no function, with ESP_ERR_INVALID_ARG, changing nothing', async () => {
    const { sim, rx, copy } = await pair('esp32s3');
    copy();
    await sim.run();
    const before = [rx.interrupts.raw, rx.interrupts.enabled];
    expect(espErr(() => rx.interrupts.enable(-1, true))).to.equal(ESP_ERR_INVALID_ARG);
    expect(espErr(() => rx.interrupts.enable(2 ** 32, true))).to.equal(ESP_ERR_INVALID_ARG);
    expect(espErr(() => rx.interrupts.clear(1.5))).to.equal(ESP_ERR_INVALID_ARG);
    expect(espErr(() => rx.interrupts.clear('all' as never))).to.equal(ESP_ERR_INVALID_ARG);
    expect(espErr(() => rx.interrupts.setHandler(5 as never))).to.equal(ESP_ERR_INVALID_ARG);
    expect(espErr(() => rx.interrupts.setSourceEnabled(1 as never))).to.equal(ESP_ERR_INVALID_ARG);
    expect([rx.interrupts.raw, rx.interrupts.enabled]).to.deep.equal(before);
    await sim.dispose();
  });

  it('gdma_del_channel disables and clears everything; a new channel on the pair starts with nothing latched', async () => {
    const { sim, drv, tx, rx, copy } = await pair('esp32s3');
    copy();
    await sim.run();
    rx.delete();
    tx.delete();
    const again = drv.newChannelPair({ pair: rx.pair });
    expect([again.rx.interrupts.raw, again.tx.interrupts.raw, again.rx.interrupts.enabled]).to.deep.equal([0, 0, 0]);
    await sim.dispose();
  });
});
