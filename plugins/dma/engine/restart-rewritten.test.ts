import { expect } from 'chai';
import { createSimulation } from '../../../create-simulation.js';
import { Core } from '../../../core/tokens.js';
import { GdmaDriver } from '../gdma/index.js';
import { DescriptorMemory, writeLinearList } from './descriptor.js';

describe('GDMA engine: a restart that cuts a transfer whose descriptor software rewrote shorter', () => {
  it('ends the rewritten descriptor where the channel is, then runs the new list (it used to plan a negative-length segment and throw)', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const drv = sim.get(GdmaDriver);
    const dm = new DescriptorMemory(sim.get(Core.Memory));
    const { tx, rx } = drv.newChannelPair({ m2m: true });
    tx.connect({ m2m: 2 });
    rx.connect({ m2m: 2 });
    const src = sim.memory.alloc(64, { caps: ['dma'], align: 4 });
    const dst = sim.memory.alloc(64, { caps: ['dma'], align: 4 });
    const txd = sim.memory.alloc(12, { caps: ['dma', 'internal'], align: 4 });
    const rxd = sim.memory.alloc(12, { caps: ['dma', 'internal'], align: 4 });
    let eofs = 0;
    rx.registerCallbacks({ onRecvEof: () => void eofs++ });
    const copy = (n: number): void => {
      writeLinearList(dm, txd, src, n, 4092, true);
      writeLinearList(dm, rxd, dst, n, 4092, false);
      rx.start(rxd);
      tx.start(txd);
    };
    copy(17);
    await sim.run({ until: 560_050 }); // 16 of the 17 bytes moved
    expect(() => copy(1)).not.to.throw();
    await sim.run();
    expect(sim.faults).to.deep.equal([]);
    expect(eofs).to.be.greaterThan(0);
    await sim.dispose();
  });
});
