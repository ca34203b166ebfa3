import { expect } from 'chai';
import { createSimulation } from '../create-simulation.js';
import { Checkers, type Checker } from '../core/diagnostics/checker.js';
import { Diagnostics } from '../core/diagnostics/tokens.js';
import type { MemoryMap } from '../core/memory/memory.js';
import { definePlugin } from '../core/plugin/plugin.js';
import { extendTarget, type TargetDefinition } from '../core/target/target.js';
import { Core } from '../core/tokens.js';
import * as targets from '../targets/index.js';
import { AsyncMemcpy } from '../plugins/async-memcpy/index.js';
import { Spi } from '../plugins/spi/index.js';

/**
 * "With checkers off, nothing": checked by structure, not by time (the time is bench/diagnostics.bench.ts).
 * With checks off no checker factory runs, nothing subscribes to the sources the checkers watch, no memory
 * write watcher exists, and a workload publishes no event of those sources. With checks on (the control, so
 * these assertions can fail), the checkers subscribe to only the event types they need.
 */
const WATCHED = ['gdma', 'gdma-axi', 'cpdma', 'etm', 'etm-config', 'spi'];
const ENGINES = ['gdma', 'gdma-axi', 'cpdma'];

/** A checker contributed by a plugin that counts how often its factory and its start ran. */
const calls = { factory: 0, start: 0 };
const spyPlugin = definePlugin({
  name: 'spy-checker',
  load: ({ bind }) => {
    bind(Checkers).toDynamicValue((): Checker => {
      calls.factory++;
      return {
        name: 'spy',
        rules: [{ id: 'spy.never', summary: 'never fires' }],
        start: () => {
          calls.start++;
        },
      };
    });
  },
});

function writeWatchers(memory: MemoryMap): number {
  // private to MemoryMap: the diagnostics hook every software write pays for when it is set
  return (memory as unknown as { writeWatchers: readonly unknown[] }).writeWatchers.length;
}

const all = Object.values(targets) as TargetDefinition[];

describe('diagnostics cost nothing with checks off', () => {
  beforeEach(() => {
    calls.factory = 0;
    calls.start = 0;
  });

  for (const base of all) {
    it(`${base.name}: no checker factory runs, nothing subscribes, no write watcher, copies publish nothing watched`, async () => {
      const target = extendTarget(base, { name: `${base.name}-spy`, plugins: (p) => [...p, spyPlugin] });
      const sim = await createSimulation({ target });
      expect(sim.has(Diagnostics)).to.equal(false);
      for (const name of WATCHED) expect(sim.bus.source(name).observed, name).to.equal(false);
      expect(writeWatchers(sim.get(Core.Memory))).to.equal(0);
      expect(calls).to.deep.equal({ factory: 0, start: 0 });
      if (!sim.has(AsyncMemcpy)) return await sim.dispose(); // (the ESP32 has no GDMA: nothing more to run)
      // a workload on the engines: nothing it does may build an event of a watched source
      const built: string[] = [];
      const bus = sim.bus as unknown as { deliver: (source: string, ...rest: unknown[]) => void };
      const deliver = bus.deliver.bind(sim.bus);
      bus.deliver = (source, ...rest) => {
        if (WATCHED.includes(source)) built.push(source);
        deliver(source, ...rest);
      };
      const drv = sim.get(AsyncMemcpy).install({ backlog: 4 });
      const src = sim.memory.alloc(256, { caps: ['dma'], align: 64 });
      const dst = sim.memory.alloc(256, { caps: ['dma'], align: 64 });
      sim.spawn('copies', async () => {
        for (let i = 0; i < 4; i++) await drv.memcpy(dst, src, 64 * (i + 1));
      });
      await sim.run();
      expect(built).to.deep.equal([]);
      expect(calls).to.deep.equal({ factory: 0, start: 0 });
      expect(sim.diagnostics).to.deep.equal([]);
      // the control: once someone listens, the same copy does build the engine's events
      for (const name of WATCHED) sim.bus.source(name).listen(() => undefined);
      sim.spawn('again', () => drv.memcpy(dst, src, 64));
      await sim.run();
      expect(built.length, 'a copy publishes engine events once someone listens').to.be.greaterThan(0);
      await sim.dispose();
    });
  }
});

describe('diagnostics with checks on subscribe to what they need', () => {
  beforeEach(() => {
    calls.factory = 0;
    calls.start = 0;
  });

  for (const base of all) {
    it(`${base.name}: every checker starts; the engines publish channel starts for them, not every batch's moved or EOF`, async () => {
      const target = extendTarget(base, { name: `${base.name}-spy`, plugins: (p) => [...p, spyPlugin] });
      const sim = await createSimulation({ target, checks: true });
      expect(calls).to.deep.equal({ factory: 1, start: 1 });
      if (!sim.has(AsyncMemcpy)) return await sim.dispose(); // (the ESP32 has no GDMA: no DMA checker)
      expect(writeWatchers(sim.get(Core.Memory))).to.be.greaterThan(0);
      const engines = ENGINES.filter((n) => sim.bus.source(n).observed);
      expect(engines.length, 'a checker watches an engine').to.be.greaterThan(0);
      for (const n of engines) {
        const src = sim.bus.source(n);
        expect([n, src.observes('channel-start'), src.observes('descr-error')]).to.deep.equal([n, true, true]);
        expect([n, src.observes('moved'), src.observes('eof'), src.observes('channel-stop')]).to.deep.equal([
          n,
          false,
          false,
          false,
        ]);
      }
      await sim.dispose();
    });
  }

  it("a channel started on a peripheral's trigger makes the trigger checker hear ends (to report it unserved)", async () => {
    const sim = await createSimulation({ target: 'esp32c3', checks: true });
    const gdma = sim.bus.source('gdma');
    expect(gdma.observes('eof')).to.equal(false);
    const dev = sim.get(Spi).busInitialize('SPI2', { maxTransferSize: 256 }).addDevice({ clockSpeedHz: 20_000_000 });
    const buf = sim.memory.alloc(64, { caps: ['dma'] });
    sim.spawn('spi', () => dev.transmit({ tx: buf, length: 64 }));
    await sim.run();
    expect([gdma.observes('eof'), gdma.observes('channel-stop'), gdma.observes('moved')]).to.deep.equal([
      true,
      true,
      false,
    ]);
    expect(sim.diagnostics.filter((f) => f.rule === 'dma.trigger-unserved')).to.deep.equal([]);
    await sim.dispose();
  });
});
