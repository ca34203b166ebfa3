import { expect } from 'chai';
import { createSimulation } from '../create-simulation.js';
import { extendTarget } from '../core/target/target.js';
import { definePlugin } from '../core/plugin/plugin.js';
import { Lifecycle } from '../core/plugin/lifecycle.js';
import type { MemoryMap } from '../core/memory/memory.js';
import type { Simulation } from '../core/simulation.js';
import { us } from '../core/time.js';
import { AsyncMemcpy } from '../plugins/async-memcpy/index.js';
import { Gdma, GdmaDriver } from '../plugins/dma/gdma/index.js';
import { DescriptorMemory, writeLinearList } from '../plugins/dma/engine/descriptor.js';
import { EtmTaskSinks, EtmEventSources } from '../plugins/contracts/etm.js';
import { Etm } from '../plugins/etm/index.js';
import { Gpio } from '../plugins/gpio/index.js';
import { GpTimer } from '../plugins/gptimer/index.js';
import { esp32c6 } from '../targets/esp32c6.js';

/**
 * Issue 11, fault isolation: an exception from any user callback, subscriber or plugin hook becomes a fault
 * naming its source, and the kit's state is whole afterwards (the same thing works again). One case per kind.
 */
const boom = (what: string) => (): never => {
  throw new Error(`${what} fails`);
};
const buf = (sim: Simulation, n: number): number => sim.memory.alloc(n, { caps: ['dma', 'internal'] });

function expectOneFault(sim: Simulation, source: RegExp, message: RegExp): void {
  expect(sim.faults.map((f) => `${f.source}: ${f.error.message}`)).to.have.length(1);
  expect(sim.faults[0]!.source).to.match(source);
  expect(sim.faults[0]!.error.message).to.match(message);
}

describe('an exception from user code is a fault naming its source; state stays whole (issue 11)', () => {
  it('async memcpy onDone: the copy completes, its promise resolves, the next copy runs', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const drv = sim.get(AsyncMemcpy).install({ backlog: 2 });
    const src = buf(sim, 256);
    const dst = buf(sim, 256);
    sim.memory.write(src, new Uint8Array(256).fill(3));
    let resolved = 0;
    sim.spawn('t', async () => {
      await drv.memcpy(dst, src, 256, boom('onDone'));
      resolved++;
      await drv.memcpy(dst, src, 256);
      resolved++;
    });
    await sim.run();
    expectOneFault(sim, /esp_async_memcpy: on_done callback/, /onDone fails/);
    expect(resolved).to.equal(2);
    expect((sim.memory as MemoryMap).leases.size).to.equal(0);
    drv.uninstall(); // nothing pending: accepted
    await sim.dispose();
  });

  it('GDMA channel on_recv_eof: the channel ends its list, its leases go, it restarts', async () => {
    const sim = await createSimulation({ target: 'esp32c6' });
    const g = sim.get(GdmaDriver);
    const { tx, rx } = g.newChannelPair({ m2m: true });
    const id = 31 - Math.clz32(g.freeM2mTriggerMask() & -g.freeM2mTriggerMask());
    tx.connect({ m2m: id });
    rx.connect({ m2m: id });
    const dm = new DescriptorMemory(sim.memory as MemoryMap);
    const txd = buf(sim, 12);
    const rxd = buf(sim, 12);
    const src = buf(sim, 64);
    const dst = buf(sim, 64);
    let eofs = 0;
    rx.registerCallbacks({
      onRecvEof: () => {
        eofs++;
        throw new Error('eof callback fails');
      },
    });
    for (let round = 0; round < 2; round++) {
      writeLinearList(dm, txd, src, 64, 4092, true);
      writeLinearList(dm, rxd, dst, 64, 4092, false);
      rx.start(rxd);
      tx.start(txd);
      await sim.run();
    }
    expect(eofs).to.equal(2);
    expect(sim.faults.map((f) => f.source)).to.deep.equal(['gdma: on_recv_eof callback', 'gdma: on_recv_eof callback']);
    expect(tx.state).to.equal('idle');
    expect((sim.memory as MemoryMap).leases.size).to.equal(0);
    await sim.dispose();
  });

  it('Zephyr DMA callback (COMPLETE and -ECANCELED): the channel is configured again after each', async () => {
    const sim = await createSimulation({ target: 'esp32s3' });
    const dma = sim.get(Gdma);
    const src = buf(sim, 4096);
    const dst = buf(sim, 4096);
    dma.config(0, {
      direction: 'memory-to-memory',
      blocks: [{ src, dst, size: 4096 }],
      callback: boom('dma callback'),
    });
    dma.start(0);
    await sim.run({ until: us(2) });
    dma.stop(0); // -ECANCELED, thrown into
    dma.start(0);
    await sim.run(); // COMPLETE, thrown into
    expect(sim.faults.map((f) => f.source)).to.deep.equal([
      'gdma: dma callback of channel 0',
      'gdma: dma callback of channel 0',
    ]);
    expect(dma.getStatus(0)).to.include({ busy: false, pendingLength: 0, totalCopied: 4096 });
    dma.releaseChannel(0);
    expect(dma.requestChannel()).to.equal(0);
    await sim.dispose();
  });

  it('GPTimer alarm callback: auto-reload alarms keep coming', async () => {
    const sim = await createSimulation({ target: 'esp32c6' });
    const t = sim.get(GpTimer).newTimer({ resolutionHz: 1_000_000 });
    t.setAlarmAction({ alarmCount: 10, reloadCount: 0, autoReloadOnAlarm: true });
    let alarms = 0;
    t.registerEventCallbacks({
      onAlarm: () => {
        alarms++;
        throw new Error('alarm callback fails');
      },
    });
    t.enable();
    t.start();
    await sim.run({ until: us(35) });
    expect(alarms).to.equal(3);
    expect(sim.faults).to.have.length(3);
    expect(sim.faults[0]!.source).to.equal('gptimer0: on_alarm callback');
    t.stop();
    t.disable();
    t.delete();
    await sim.dispose();
  });

  it('a bus subscriber: the other subscribers and later events are still delivered', async () => {
    const sim = await createSimulation({ target: 'esp32c6' });
    const seen: string[] = [];
    sim.bus.all$.subscribe(boom('subscriber'));
    sim.bus.all$.subscribe((e) => seen.push(`${e.source}/${e.type}`));
    const gpio = sim.get(Gpio);
    sim.schedule(10, () => gpio.setLevel(3, 1));
    sim.schedule(20, () => gpio.setLevel(3, 0));
    await sim.run();
    expect(seen.filter((s) => s.startsWith('gpio'))).to.have.length(2);
    expect(sim.faults).to.have.length(2);
    expect(sim.faults[0]!.source).to.equal('gpio');
    await sim.dispose();
  });

  it('an ETM task sink of a plugin: a fault naming the ETM channel, event and task; the channel keeps routing', async () => {
    let runs = 0;
    const flaky = definePlugin({
      name: 'flaky-sink',
      load: ({ bind }) => {
        bind(EtmTaskSinks).toConstantValue({
          name: 'flaky',
          tasks: new Map([[250, 'FLAKY_TASK']]),
          runEtmTask: () => {
            runs++;
            throw new Error('sink fails');
          },
        });
        bind(EtmEventSources).toConstantValue({ name: 'none', events: new Map(), attachEtm: () => undefined });
      },
    });
    const sim = await createSimulation({
      target: extendTarget(esp32c6, {
        name: 'c6-flaky',
        plugins: [...esp32c6.plugins, flaky],
        beyondSilicon: ['a flaky ETM task'],
      }),
    });
    const gpio = sim.get(Gpio);
    const ev = gpio.newEtmEvent('any');
    ev.bindGpio(2);
    const ch = sim.get(Etm).newChannel();
    ch.connect(ev, { id: 250 });
    ch.enable();
    sim.schedule(100, () => gpio.setLevel(2, 1));
    sim.schedule(200_000, () => gpio.setLevel(2, 0));
    await sim.run();
    expect(runs).to.equal(2);
    expect(sim.faults).to.have.length(2);
    expect(sim.faults[0]!.source).to.match(/^etm ch0 \(GPIO_EVT_CH0_ANY_EDGE -> FLAKY_TASK\)$/);
    await sim.dispose();
  });

  it('a plugin lifecycle hook: a throwing start fails createSimulation naming the plugin; a throwing dispose is a fault naming it', async () => {
    const plugin = (hook: 'start' | 'dispose') =>
      definePlugin({
        name: `bad-${hook}`,
        load: ({ bind }) => {
          bind(Lifecycle).toConstantValue({ [hook]: boom(`${hook} hook`) });
        },
      });
    let err: unknown;
    try {
      await createSimulation({
        target: extendTarget(esp32c6, {
          name: 'c6-bad-start',
          plugins: [...esp32c6.plugins, plugin('start')],
          beyondSilicon: ['x'],
        }),
      });
    } catch (e) {
      err = e;
    }
    expect(String(err)).to.match(/plugin "bad-start" failed to start: start hook fails/);
    const sim = await createSimulation({
      target: extendTarget(esp32c6, {
        name: 'c6-bad-dispose',
        plugins: [...esp32c6.plugins, plugin('dispose')],
        beyondSilicon: ['x'],
      }),
    });
    await sim.dispose();
    expectOneFault(sim, /plugin "bad-dispose": dispose/, /dispose hook fails/);
  });
});
