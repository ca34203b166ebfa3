import { expect } from 'chai';
import { createSimulation } from '../../../create-simulation.js';
import { ESP_ERR_INVALID_ARG, EspError } from '../../../core/errors.js';
import type { Simulation } from '../../../core/simulation.js';
import { defineTarget, extendTarget } from '../../../core/target/target.js';
import { Core } from '../../../core/tokens.js';
import { esp32s2 } from '../../../targets/index.js';
import { expectEsp, pattern } from '../../../test/helpers/sim.js';
import type { DmaChannel, DmaChannelDriver } from '../engine/channel-api.js';
import { DescriptorMemory, writeLinearList } from '../engine/descriptor.js';
import { CpDma, CpDmaDriver } from './index.js';

/** A memory-to-memory pair of the CP DMA, connected to its one trigger. */
function pair(drv: DmaChannelDriver): { tx: DmaChannel; rx: DmaChannel } {
  const p = drv.newChannelPair({ m2m: true });
  p.tx.connect({ m2m: 0 });
  p.rx.connect({ m2m: 0 });
  return p;
}

/** Lists for an n-byte copy from `src` to `dst`, 4095 bytes per descriptor at most (CP DMA's limit). */
function lists(sim: Simulation, src: number, dst: number, n: number): { txd: number; rxd: number } {
  const dm = new DescriptorMemory(sim.get(Core.Memory));
  const descs = Math.ceil(n / 4095);
  const txd = sim.memory.alloc(12 * descs, { caps: ['dma', 'internal'] });
  const rxd = sim.memory.alloc(12 * descs, { caps: ['dma', 'internal'] });
  writeLinearList(dm, txd, src, n, 4095, true);
  writeLinearList(dm, rxd, dst, n, 4095, false);
  return { txd, rxd };
}

describe('CP DMA plugin (ESP32-S2 copy DMA)', () => {
  let sim: Simulation;
  afterEach(() => sim?.dispose());

  it('takes its channel count from caps.cpdma', async () => {
    sim = await createSimulation({ target: 'esp32s2' });
    expect(sim.get(CpDma).channelCount).to.equal(esp32s2.caps.cpdma!.channels);
    await sim.dispose();
    sim = await createSimulation({
      target: extendTarget(esp32s2, {
        name: 's2-two',
        caps: { cpdma: { channels: 2 } },
        beyondSilicon: ['2 CP DMA channels'],
      }),
    });
    expect(sim.get(CpDma).channelCount).to.equal(2);
  });

  it('copies unaligned buffers with burst on (no alignment rule), 4095 bytes per descriptor', async () => {
    sim = await createSimulation({ target: 'esp32s2' });
    const drv = sim.get(CpDmaDriver);
    const n = 9001;
    const src = sim.memory.alloc(n + 3, { caps: ['dma', 'internal'] }) + 3;
    const dst = sim.memory.alloc(n + 1, { caps: ['dma', 'internal'] }) + 1;
    const data = pattern(n, 4);
    sim.memory.write(src, data);
    const { txd, rxd } = lists(sim, src, dst, n);
    const { tx, rx } = pair(drv);
    tx.configTransfer({ maxDataBurstSize: 16 });
    rx.configTransfer({ maxDataBurstSize: 16 });
    rx.start(rxd);
    tx.start(txd);
    await sim.run();
    expect(sim.memory.read(dst, n)).to.deep.equal(data);
    expect(drv.bytesMoved(tx.pair)).to.equal(n);
  });

  it('reaches internal SRAM only: a buffer in PSRAM is a descriptor error and nothing moves', async () => {
    sim = await createSimulation({ target: 'esp32s2' });
    const drv = sim.get(CpDmaDriver);
    const src = sim.memory.alloc(256, { caps: ['spiram'] });
    const dst = sim.memory.alloc(256, { caps: ['dma', 'internal'] });
    sim.memory.write(src, pattern(256));
    const { txd, rxd } = lists(sim, src, dst, 256);
    const { tx, rx } = pair(drv);
    const errs: string[] = [];
    tx.registerCallbacks({
      onDescrErr: (_ch, e) => {
        errs.push(e.reason);
      },
    });
    rx.start(rxd);
    tx.start(txd);
    await sim.run();
    expect(errs).to.have.length(1);
    expect(tx.state).to.equal('error');
    expect(sim.memory.read(dst, 256).every((b) => b === 0)).to.equal(true);
  });

  it('refuses a burst size that is not 0 or a power of two', async () => {
    sim = await createSimulation({ target: 'esp32s2' });
    const { tx } = pair(sim.get(CpDmaDriver));
    expectEsp(
      () => tx.configTransfer({ maxDataBurstSize: 24 }),
      ESP_ERR_INVALID_ARG,
      /burst size must be 0 or a power of two, got 24/,
    );
  });

  it("a target listing the plugin needs caps.cpdma, checked by the plugin's schema", () => {
    const { cpdma: _omit, ...withoutCpdma } = esp32s2.caps;
    expect(() => defineTarget({ ...esp32s2, caps: withoutCpdma })).to.throw(
      EspError,
      /caps\.cpdma: required by plugin "cpdma"/,
    );
    expect(() => extendTarget(esp32s2, { name: 's2-bad', caps: { cpdma: { maxDescriptorBytes: 0 } } })).to.throw(
      EspError,
      /caps\.cpdma\.maxDescriptorBytes: Too small/,
    );
    // the 12-bit size/length fields hold 4095 at most: a larger split would be stored truncated
    expect(() => extendTarget(esp32s2, { name: 's2-bad', caps: { cpdma: { maxDescriptorBytes: 4096 } } })).to.throw(
      EspError,
      /caps\.cpdma\.maxDescriptorBytes: Too big/,
    );
    expect(
      extendTarget(esp32s2, { name: 's2-ok', caps: { cpdma: { maxDescriptorBytes: 4095 } } }).caps.cpdma,
    ).to.deep.include({
      maxDescriptorBytes: 4095,
    });
  });
});
