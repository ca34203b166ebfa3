import { expect } from 'chai';
import { createSimulation } from '../../../create-simulation.js';
import type { Simulation } from '../../../core/simulation.js';
import { GdmaDriver, GdmaZephyrEsp32 } from '../gdma/index.js';
import type { DmaChannel } from '../engine/channel-api.js';
import { DMA_STATUS_COMPLETE } from './api.js';

const N = 2048; // one descriptor per direction

interface Call {
  ch: number;
  status: number;
  at: number;
  /** Whether the new transfer's destination held its data when the callback ran. */
  newDataThere: boolean;
}

/** Two transfers on pair 0 of `target`'s Zephyr face: A (configured), then B after a stop. */
async function setup(target: string) {
  const sim = await createSimulation({ target, checks: true });
  const z = sim.get(GdmaZephyrEsp32);
  const alloc = (): number => sim.memory.alloc(N, { caps: ['dma', 'internal'], align: 4 });
  const a = { src: alloc(), dst: alloc() };
  const b = { src: alloc(), dst: alloc() };
  const dataB = Uint8Array.from({ length: N }, (_, i) => (i * 13 + 5) & 0xff);
  sim.memory.write(a.src, new Uint8Array(N).fill(0x11));
  sim.memory.write(b.src, dataB);
  const calls: Call[] = [];
  const config = (blk: { src: number; dst: number }) =>
    z.config(0, {
      direction: 'memory-to-memory',
      blocks: [{ src: blk.src, dst: blk.dst, size: N }],
      callback: (ch, status) => {
        const got = sim.memory.read(b.dst, N);
        calls.push({ ch, status, at: sim.now, newDataThere: got.every((x, i) => x === dataB[i]) });
      },
    });
  const hw = sim.get(GdmaDriver) as unknown as { rx: DmaChannel[]; tx: DmaChannel[] };
  return { sim, z, a, b, dataB, calls, config, rx: hw.rx[0]!, tx: hw.tx[0]! };
}

function staleFindings(sim: Simulation): string[] {
  return sim.diagnostics.filter((f) => f.rule === 'dma.stale-interrupt').map((f) => f.objects.join());
}

describe('Zephyr dma_esp32_gdma: dma_stop leaves raw interrupt bits latched, a later dma_start delivers them (zephyr#115726)', () => {
  it('esp32c3: the EOF of transfer A, latched while interrupts were locked and masked by stop, calls back COMPLETE at the start of B, before B moved a byte', async () => {
    const s = await setup('esp32c3');
    s.config(s.a);
    s.z.start(0);
    const key = s.z.irqLock(); // a driver's k_spin_lock around its abort path
    await s.sim.run(); // A completes inside the lock: TX EOF and RX SUC_EOF latch, the ISR cannot run
    expect(s.calls).to.deep.equal([]);
    const rb = s.rx.interrupts.bits as { sucEof: number };
    const tb = s.tx.interrupts.bits as { eof: number };
    expect(s.rx.interrupts.raw & rb.sucEof).to.equal(rb.sucEof);
    expect(s.tx.interrupts.raw & tb.eof).to.equal(tb.eof);
    s.z.stop(0); // esp_intr_disable (the C3's one source per pair), clears nothing
    s.z.irqUnlock(key);
    await s.sim.run();
    expect(s.calls).to.deep.equal([]); // masked at the source: still latched
    expect(s.rx.interrupts.status & rb.sucEof).to.equal(rb.sucEof);

    s.z.reload(0, s.b.src, s.b.dst, N);
    const startB = s.sim.now;
    s.z.start(0); // esp_intr_enable: A's latched EOFs fire now
    await s.sim.run();
    // the first two callbacks are A's, at B's start, and B's bytes are not there yet; B's own come after
    expect(s.calls.map((c) => [c.ch, c.status, c.at === startB, c.newDataThere])).to.deep.equal([
      [0, DMA_STATUS_COMPLETE, true, false],
      [1, DMA_STATUS_COMPLETE, true, false],
      [1, DMA_STATUS_COMPLETE, false, true],
      [0, DMA_STATUS_COMPLETE, false, true],
    ]);
    expect(s.sim.memory.read(s.b.dst, N)).to.deep.equal(s.dataB);
    expect(staleFindings(s.sim)).to.deep.equal(['gdma pair 0 RX', 'gdma pair 0 TX']);
    const f = s.sim.diagnostics.find((x) => x.rule === 'dma.stale-interrupt')!;
    expect(f.message).to.match(/IN_SUC_EOF, latched at .* \(channel stopped at .*\) and never cleared: the start at/);
    expect(f.refs.join()).to.include('zephyrproject-rtos/zephyr#115726');
    expect(f.time).to.equal(startB);
    await s.sim.dispose();
  });

  it('esp32c3, fixed: dma_config() again before dma_start() clears the bits; one COMPLETE per direction, after B moved, no finding', async () => {
    const s = await setup('esp32c3');
    s.config(s.a);
    s.z.start(0);
    const key = s.z.irqLock();
    await s.sim.run();
    s.z.stop(0);
    s.z.irqUnlock(key);
    s.config(s.b); // dma_esp32_config_rx/tx: gdma_ll_*_clear_interrupt_status(UINT32_MAX)
    expect(s.rx.interrupts.raw).to.equal(0);
    s.z.start(0);
    await s.sim.run();
    expect(s.calls.map((c) => [c.ch, c.status, c.newDataThere])).to.deep.equal([
      [1, DMA_STATUS_COMPLETE, true],
      [0, DMA_STATUS_COMPLETE, true],
    ]);
    expect(staleFindings(s.sim)).to.deep.equal([]);
    await s.sim.dispose();
  });

  it('esp32s3, no lock: a stop at the very instant A ends masks only the RX half (one source per half); the TX ISR runs, the RX EOF stays for the next start', async () => {
    // where A ends, from an identical run
    const probe = await setup('esp32s3');
    probe.config(probe.a);
    probe.z.start(0);
    await probe.sim.run();
    const end = probe.calls[0]!.at;
    await probe.sim.dispose();

    const s = await setup('esp32s3');
    s.config(s.a);
    s.sim.schedule(end, () => s.z.stop(0)); // queued before the DMA's own event at that instant
    s.z.start(0);
    await s.sim.run();
    // the TX half's source stayed enabled: its EOF called back; RX SUC_EOF latched after the RX source was masked
    expect(s.calls.map((c) => [c.ch, c.at])).to.deep.equal([[1, end]]);
    s.z.reload(0, s.b.src, s.b.dst, N);
    const startB = s.sim.now;
    s.z.start(0);
    await s.sim.run();
    expect(s.calls.slice(1).map((c) => [c.ch, c.status, c.at === startB, c.newDataThere])).to.deep.equal([
      [0, DMA_STATUS_COMPLETE, true, false],
      [1, DMA_STATUS_COMPLETE, false, true],
      [0, DMA_STATUS_COMPLETE, false, true],
    ]);
    expect(staleFindings(s.sim)).to.deep.equal(['gdma pair 0 RX']);
    await s.sim.dispose();
  });

  it('a stop that does not race the EOF (A finished and was called back) leaves nothing latched: B calls back once per direction', async () => {
    const s = await setup('esp32s3');
    s.config(s.a);
    s.z.start(0);
    await s.sim.run();
    s.z.stop(0);
    s.z.reload(0, s.b.src, s.b.dst, N);
    s.z.start(0);
    await s.sim.run();
    expect(s.calls.map((c) => c.ch)).to.deep.equal([1, 0, 1, 0]);
    expect(s.calls.slice(2).every((c) => c.newDataThere)).to.equal(true);
    expect(staleFindings(s.sim)).to.deep.equal([]);
    await s.sim.dispose();
  });

  it('irqUnlock refuses a key that is not the innermost lock (-EINVAL) and changes nothing', async () => {
    const s = await setup('esp32c3');
    const k1 = s.z.irqLock();
    const k2 = s.z.irqLock();
    expect(() => s.z.irqUnlock(k1)).to.throw(/not the innermost irq_lock/);
    s.z.irqUnlock(k2);
    s.z.irqUnlock(k1);
    expect(() => s.z.irqUnlock(k1)).to.throw(/no lock held/);
    await s.sim.dispose();
  });
});
