import { expect } from 'chai';
import { createSimulation } from '../create-simulation.js';
import { EspError, ESP_ERR_INVALID_STATE } from '../core/errors.js';
import { us } from '../core/time.js';
import { runScenario } from '../cli/run-scenario.js';
import config from '../sim.config.js';
import { Etm, type EtmFire } from '../plugins/etm/index.js';
import type { GpioLevel } from '../plugins/gpio/index.js';
import { GdmaDriver } from '../plugins/dma/gdma/index.js';
import { CHAIN_BYTES, CHAIN_PIN, wireTimerDmaGpioChain } from './etm-dma-chain.js';

/**
 * Each ETM chip's own IDs, from its soc_etm_source.h: timer 0's alarm event, the first M2M pair's IN_SUC_EOF
 * event and its IN/OUT START tasks (the ESP32-P4's first M2M-capable AHB pair is pair 1).
 */
const CHAIN_IDS: Record<string, { alarm: number; eof: number; starts: number[] }> = {
  esp32c5: { alarm: 47, eof: 109, starts: [131, 134] },
  esp32c6: { alarm: 48, eof: 141, starts: [159, 162] },
  esp32c61: { alarm: 49, eof: 90, starts: [125, 128] },
  esp32h2: { alarm: 48, eof: 141, starts: [159, 162] },
  esp32p4: { alarm: 56, eof: 203, starts: [213, 216] },
  'esp32c3-etm': { alarm: 48, eof: 141, starts: [159, 162] },
};

describe('ETM with the DMA engines', () => {
  for (const target of ['esp32c5', 'esp32c6', 'esp32c61', 'esp32h2', 'esp32p4']) {
    it(`${target}: async_memcpy_eof_event (ESP-IDF): 19 copies toggle the GPIO 19 times and leave it at 0`, async () => {
      const lines: string[] = [];
      const r = await runScenario(config, { scenario: 'async-memcpy-eof-event', target }, (l) => lines.push(l));
      expect(r.faults).to.deep.equal([]);
      expect(r.target).to.equal(target);
      expect(lines.join('\n')).to.match(/19 copies of 1024 B, 19 toggles; GPIO1 is 0/);
    });
  }

  for (const target of Object.keys(CHAIN_IDS)) {
    it(`${target}: GPTimer alarm -> ETM -> GDMA start; GDMA EOF -> ETM -> GPIO toggle, with no CPU in the chain`, async () => {
      const sim = await createSimulation({ target });
      const latency = sim.get(Etm).latencyPs;
      const fires: [number, EtmFire][] = [];
      const levels: [number, GpioLevel][] = [];
      const eofs: number[] = [];
      sim.bus.all$.subscribe((e) => {
        if (e.source === 'etm') fires.push([e.time, e.data as EtmFire]);
        if (e.source === 'gpio') levels.push([e.time, e.data as GpioLevel]);
        if (e.source === 'gdma' && e.type === 'eof' && (e.data as { dir: string }).dir === 'rx') eofs.push(e.time);
      });
      const chain = wireTimerDmaGpioChain(sim);
      await sim.run();
      expect(sim.memory.read(chain.dst, CHAIN_BYTES)).to.deep.equal(sim.memory.read(chain.src, CHAIN_BYTES));
      // both START tasks 1 latency after the 100 us alarm, the toggle 1 latency after the RX EOF
      expect(fires.slice(0, 2).map(([t]) => t)).to.deep.equal([us(100) + latency, us(100) + latency]);
      expect(eofs).to.have.length(1);
      expect(eofs[0]).to.be.greaterThan(us(100) + latency);
      expect(fires[2]![1].event).to.equal(chain.eofEventId);
      // the chip's own IDs: the timer's alarm starts both channels, the RX channel's IN_SUC_EOF toggles the pin
      const ids = CHAIN_IDS[target]!;
      expect(fires.slice(0, 2).map(([, f]) => f.event)).to.deep.equal([ids.alarm, ids.alarm]);
      expect(
        fires
          .slice(0, 2)
          .map(([, f]) => f.task)
          .sort((a, b) => a - b),
      ).to.deep.equal(ids.starts);
      expect(chain.eofEventId).to.equal(ids.eof);
      expect(levels).to.deep.equal([[eofs[0]! + latency, { pin: CHAIN_PIN, level: 1 }]]);
      await sim.dispose();
    });
  }

  it('a channel whose START belongs to the ETM refuses a software start with ESP_ERR_INVALID_STATE', async () => {
    const sim = await createSimulation({ target: 'esp32c6' });
    const dma = sim.get(GdmaDriver);
    const { tx } = dma.newChannelPair({ m2m: true });
    dma.newEtmTask(tx, 'start');
    let err: unknown;
    try {
      tx.start(0);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(EspError);
    expect((err as EspError).code).to.equal(ESP_ERR_INVALID_STATE);
    await sim.dispose();
  });

  it('the default scenario shows the timer -> DMA -> GPIO chain as a timeline', async () => {
    const lines: string[] = [];
    const r = await runScenario(config, {}, (l) => lines.push(l));
    expect(r.scenario).to.equal('etm-dma-chain');
    expect(r.faults).to.deep.equal([]);
    const text = lines.join('\n');
    expect(text).to.include('GDMA_TASK_IN_START_CH0');
    expect(text).to.include('IN_SUC_EOF');
    expect(text).to.match(/GPIO5 -> 1/);
    expect(text).to.match(/destination matches the source/);
    expect(toggleFollowsEof(lines)).to.equal(true);
  });
});

/** The GPIO toggle comes after the EOF line in the timeline. */
function toggleFollowsEof(lines: string[]): boolean {
  const eof = lines.findIndex((l) => l.includes('IN_SUC_EOF ('));
  const gpio = lines.findIndex((l) => l.includes(`GPIO${CHAIN_PIN} -> 1`));
  return eof >= 0 && gpio > eof;
}
