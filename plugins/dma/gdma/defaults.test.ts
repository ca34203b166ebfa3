import { expect } from 'chai';
import { createSimulation } from '../../../create-simulation.js';
import type { Simulation } from '../../../core/simulation.js';
import { Core } from '../../../core/tokens.js';
import { DescriptorMemory, writeLinearList } from '../engine/descriptor.js';
import type { DmaChannel } from '../engine/channel-api.js';
import { GdmaDriver } from './index.js';

/** A raw M2M pair on the lowest free trigger, with nothing applied: what gdma_new_ahb_channel + gdma_connect leave. */
function rawPair(sim: Simulation): { tx: DmaChannel; rx: DmaChannel } {
  const gdma = sim.get(GdmaDriver);
  const p = gdma.newChannelPair({ m2m: true });
  const free = gdma.freeM2mTriggerMask();
  const id = 31 - Math.clz32(free & -free);
  p.tx.connect({ m2m: id });
  p.rx.connect({ m2m: id });
  return p;
}

async function copy(
  sim: Simulation,
  p: { tx: DmaChannel; rx: DmaChannel },
  n: number,
  cpuOwnedTx = false,
): Promise<{ endPs: number; errors: string[]; txd: number; dst: number }> {
  const dm = new DescriptorMemory(sim.get(Core.Memory));
  const src = sim.memory.alloc(n, { caps: ['dma', 'internal'], align: 4 });
  const dst = sim.memory.alloc(n, { caps: ['dma', 'internal'], align: 4 });
  sim.memory.write(src, new Uint8Array(n).fill(7));
  const txd = sim.memory.alloc(12 * Math.ceil(n / 4092), { caps: ['dma', 'internal'], align: 4 });
  const rxd = sim.memory.alloc(12 * Math.ceil(n / 4092), { caps: ['dma', 'internal'], align: 4 });
  writeLinearList(dm, txd, src, n, 4092, true);
  writeLinearList(dm, rxd, dst, n, 4092, false);
  if (cpuOwnedTx) dm.write(txd, { ...dm.read(txd), owner: 0 });
  const errors: string[] = [];
  let endPs = -1;
  const t0 = sim.now;
  p.rx.registerCallbacks({
    onRecvEof: () => {
      endPs = sim.now - t0;
    },
    onDescrErr: (_c, e) => {
      errors.push(e.reason);
    },
  });
  p.tx.registerCallbacks({
    onDescrErr: (_c, e) => {
      errors.push(e.reason);
    },
  });
  p.rx.start(rxd);
  p.tx.start(txd);
  await sim.run();
  return { endPs, errors, txd, dst };
}

describe('GDMA channel defaults: what gdma.c leaves until gdma_apply_strategy / gdma_config_transfer', () => {
  it('a new channel has no owner check: a CPU-owned TX descriptor is used, not refused', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const r = await copy(sim, rawPair(sim), 256, true);
    expect(r.errors).to.deep.equal([]);
    expect(sim.memory.read(r.dst, 256).every((b) => b === 7)).to.equal(true);
    await sim.dispose();
  });

  it('applyStrategy({ ownerCheck: true }) turns the check on: the same descriptor is a descriptor error', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const p = rawPair(sim);
    p.tx.applyStrategy({ ownerCheck: true });
    p.rx.applyStrategy({ ownerCheck: true });
    const r = await copy(sim, p, 256, true);
    expect(r.errors[0]).to.match(/owned by the CPU/);
    await sim.dispose();
  });

  it('a new TX channel does not write its descriptors back (owner stays DMA) until autoUpdateDesc', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const dm = new DescriptorMemory(sim.get(Core.Memory));
    const r = await copy(sim, rawPair(sim), 256);
    expect(dm.read(r.txd).owner).to.equal(1);
    const p = rawPair(sim);
    p.tx.applyStrategy({ autoUpdateDesc: true });
    const r2 = await copy(sim, p, 256);
    expect(dm.read(r2.txd).owner).to.equal(0);
    await sim.dispose();
  });

  it('burst is off until gdma_config_transfer: a default pair is noBurstFactor slower than one given burst 16', async () => {
    const a = await createSimulation({ target: 'esp32s3' });
    const slow = await copy(a, rawPair(a), 8184);
    await a.dispose();
    const b = await createSimulation({ target: 'esp32s3' });
    const p = rawPair(b);
    p.tx.configTransfer({ maxDataBurstSize: 16 });
    p.rx.configTransfer({ maxDataBurstSize: 16 });
    const fast = await copy(b, p, 8184);
    await b.dispose();
    const t = (await import('../engine/timing.js')).ESP32S3_GDMA_TIMING;
    const fixed = (2 * 2 * t.descriptorFetchCycles + t.startCycles) * 12_500;
    expect((slow.endPs - fixed) / (fast.endPs - fixed)).to.be.closeTo(t.noBurstFactor, 0.001);
  });
});
