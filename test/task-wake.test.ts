import { expect } from 'chai';
import { createSimulation } from '../create-simulation.js';
import type { Simulation } from '../core/simulation.js';
import { us } from '../core/time.js';
import { AsyncMemcpy } from '../plugins/async-memcpy/index.js';
import { Gdma, GdmaDriver } from '../plugins/dma/gdma/index.js';
import { DescriptorMemory, writeLinearList } from '../plugins/dma/engine/descriptor.js';
import type { MemoryMap } from '../core/memory/memory.js';
import { GpTimer } from '../plugins/gptimer/index.js';
import { Etm } from '../plugins/etm/index.js';

/**
 * Issue 11 item 9: a task awaiting a plain Promise resolved from a kit callback resumes at that simulated
 * instant, before time moves on, with no Kernel.deferred(). Each case resolves a plain promise in a callback,
 * keeps the kernel busy afterwards (a far event), and checks that the task saw the callback's instant and
 * that its next delay lands exactly after it.
 */
type Arm = (sim: Simulation, done: () => void) => Promise<void> | void;

async function resumesAtCallback(target: string, arm: Arm): Promise<void> {
  const sim = await createSimulation({ target });
  let calledAt = -1;
  let resolvePlain!: () => void;
  const plain = new Promise<void>((r) => {
    resolvePlain = r;
  });
  const seen: number[] = [];
  sim.schedule(us(5000), () => undefined); // time goes on after the callback
  sim.spawn('waiter', async () => {
    await plain;
    seen.push(sim.now);
    await sim.delay(us(1));
    seen.push(sim.now);
  });
  await arm(sim, () => {
    calledAt = sim.now;
    resolvePlain();
  });
  await sim.run();
  expect(sim.faults.map((f) => f.error.message)).to.deep.equal([]);
  expect(calledAt).to.be.greaterThan(0);
  expect(seen).to.deep.equal([calledAt, calledAt + us(1)]);
  await sim.dispose();
}

const buf = (sim: Simulation, n: number): number => sim.memory.alloc(n, { caps: ['dma', 'internal'] });

describe('a task awaiting a plain promise settled by a kit callback resumes at that instant (issue 11 item 9)', () => {
  it('async memcpy onDone', () =>
    resumesAtCallback('esp32c3', (sim, done) => {
      const drv = sim.get(AsyncMemcpy).install();
      void drv.memcpy(buf(sim, 256), buf(sim, 256), 256, () => {
        done();
      });
    }));

  it('Zephyr DMA callback', () =>
    resumesAtCallback('esp32s3', (sim, done) => {
      const dma = sim.get(Gdma);
      dma.config(0, {
        direction: 'memory-to-memory',
        blocks: [{ src: buf(sim, 512), dst: buf(sim, 512), size: 512 }],
        callback: () => done(),
      });
      dma.start(0);
    }));

  it('GDMA channel on_recv_eof (GdmaDriver)', () =>
    resumesAtCallback('esp32c6', (sim, done) => {
      const drv = sim.get(GdmaDriver);
      const { tx, rx } = drv.newChannelPair({ m2m: true });
      const id = 31 - Math.clz32(drv.freeM2mTriggerMask() & -drv.freeM2mTriggerMask());
      tx.connect({ m2m: id });
      rx.connect({ m2m: id });
      const txd = buf(sim, 12);
      const rxd = buf(sim, 12);
      writeLinearList(new DescriptorMemory(sim.memory as MemoryMap), txd, buf(sim, 128), 128, 4092, true);
      writeLinearList(new DescriptorMemory(sim.memory as MemoryMap), rxd, buf(sim, 128), 128, 4092, false);
      rx.registerCallbacks({
        onRecvEof: () => {
          done();
        },
      });
      rx.start(rxd);
      tx.start(txd);
    }));

  it('GPTimer alarm callback', () =>
    resumesAtCallback('esp32c6', (sim, done) => {
      const t = sim.get(GpTimer).newTimer({ resolutionHz: 1_000_000 });
      t.setAlarmAction({ alarmCount: 100 });
      t.registerEventCallbacks({
        onAlarm: () => {
          done();
        },
      });
      t.enable();
      t.start();
    }));

  it('a bus subscriber', () =>
    resumesAtCallback('esp32c3', (sim, done) => {
      let once = false;
      sim.bus.all$.subscribe((e) => {
        if (!once && e.type === 'copy-done') {
          once = true;
          done();
        }
      });
      const drv = sim.get(AsyncMemcpy).install();
      void drv.memcpy(buf(sim, 64), buf(sim, 64), 64);
    }));

  it('an ETM-driven peripheral: a timer alarm starts a GDMA copy through the ETM, its EOF callback settles the promise', () =>
    resumesAtCallback('esp32c6', (sim, done) => {
      const drv = sim.get(GdmaDriver);
      const { tx, rx } = drv.newChannelPair({ m2m: true });
      const id = 31 - Math.clz32(drv.freeM2mTriggerMask() & -drv.freeM2mTriggerMask());
      tx.connect({ m2m: id });
      rx.connect({ m2m: id });
      const txd = buf(sim, 12);
      const rxd = buf(sim, 12);
      writeLinearList(new DescriptorMemory(sim.memory as MemoryMap), txd, buf(sim, 64), 64, 4092, true);
      writeLinearList(new DescriptorMemory(sim.memory as MemoryMap), rxd, buf(sim, 64), 64, 4092, false);
      tx.setDescriptorAddr(txd);
      rx.setDescriptorAddr(rxd);
      rx.registerCallbacks({
        onRecvEof: () => {
          done();
        },
      });
      const t = sim.get(GpTimer).newTimer({ resolutionHz: 1_000_000 });
      t.setAlarmAction({ alarmCount: 50 });
      const etm = sim.get(Etm);
      for (const task of [drv.newEtmTask(rx, 'start'), drv.newEtmTask(tx, 'start')]) {
        const ch = etm.newChannel();
        ch.connect(t.newEtmEvent('alarm-match'), task);
        ch.enable();
      }
      t.enable();
      t.start();
    }));
});
