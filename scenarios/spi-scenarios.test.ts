import { expect } from 'chai';
import { createSimulation } from '../create-simulation.js';
import { runScenario } from '../cli/run-scenario.js';
import config, { esp32c6SpiEtm } from '../sim.config.js';
import { Etm } from '../plugins/etm/index.js';
import { SPI_CHAIN_BYTES, SPI_CHAIN_CLOCK_HZ, wireMemcpySpiChain } from './spi-etm-chain.js';
import { crossoverSize, dmaWinRanges, sweepTarget, type SweepPoint } from './dma-or-cpu.js';

describe('scenario spi-etm-chain: async memcpy COPY_DONE -> ETM -> SPI DMA transaction', () => {
  it('runs the chain with no CPU between copy done and SPI done, one ETM latency from copy to SPI start', async () => {
    expect(esp32c6SpiEtm.caps.beyondSilicon.join(' ')).to.match(/SPI2_TASK_START_TRANS \(ID 200/);
    const sim = await createSimulation({ target: esp32c6SpiEtm });
    const cpuEvents: number[] = [];
    sim.bus.all$.subscribe((e) => {
      if (e.source === 'cpu') cpuEvents.push(e.time);
    });
    const chain = wireMemcpySpiChain(sim);
    const latency = sim.get(Etm).latencyPs;
    await sim.run();
    const t = chain.timeline;
    expect(chain.transfer.isDone()).to.equal(true);
    expect(t.copyStart).to.equal(0);
    expect(t.copyDone).to.be.greaterThan(0);
    expect(t.etmFire).to.equal(t.copyDone! + latency);
    expect(t.spiStart).to.equal(t.etmFire);
    expect(t.spiDone! - t.spiStart!).to.equal((SPI_CHAIN_BYTES * 8 * 1e12) / SPI_CHAIN_CLOCK_HZ);
    expect(cpuEvents.filter((x) => x > t.copyDone! && x <= t.spiDone!)).to.deep.equal([]);
    const w = sim.spawn('w', () => chain.transfer.wait());
    await sim.run();
    await w.done;
    expect(sim.memory.read(chain.rx, SPI_CHAIN_BYTES)).to.deep.equal(sim.memory.read(chain.src, SPI_CHAIN_BYTES));
    await sim.dispose();
  });

  it('prints the timeline with its latencies', async () => {
    const lines: string[] = [];
    const r = await runScenario(config, { scenario: 'spi-etm-chain' }, (l) => lines.push(l));
    expect(r.faults).to.deep.equal([]);
    const text = lines.join('\n');
    expect(text).to.match(/==> task 200/);
    expect(text).to.match(/timeline: copy start 0ps, copy done \S+, ETM fire \S+, SPI start \S+, SPI done \S+/);
    expect(text).to.match(/ETM task -> SPI start 0ps; SPI on the wire 819\.2us/);
    expect(text).to.match(/MISO \(looped back\) matches the copied source/);
  });

  it('is refused on a built-in target: its SPI has no ETM task', async () => {
    const sim = await createSimulation({ target: 'esp32c6' });
    expect(() => wireMemcpySpiChain(sim)).to.throw(/ESP_ERR_NOT_SUPPORTED/);
    await sim.dispose();
  });
});

describe('scenario dma-or-cpu', () => {
  const pts = (xs: [number, number, number][]): SweepPoint[] =>
    xs.map(([size, blockingPs, dmaPs]) => ({ size, blockingPs, dmaPs }));

  it('crossoverSize is the smallest size where DMA finishes first; dmaWinRanges gives the runs', () => {
    expect(
      crossoverSize(
        pts([
          [64, 5, 9],
          [16, 1, 9],
          [256, 20, 10],
          [1024, 80, 30],
        ]),
      ),
    ).to.equal(256);
    expect(
      crossoverSize(
        pts([
          [16, 1, 9],
          [64, 5, 5],
        ]),
      ),
    ).to.equal(undefined);
    expect(
      dmaWinRanges(
        pts([
          [16, 1, 9],
          [64, 9, 5],
          [256, 20, 10],
          [1024, 10, 30],
          [4096, 50, 40],
        ]),
      ),
    ).to.deep.equal([
      [64, 256],
      [4096, 4096],
    ]);
  });

  it('esp32c3: blocking wins the smallest transfers, DMA the larger SPI ones; memcpy DMA only wins where the work hides it', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const s = await sweepTarget(sim, { memcpySizes: [16, 2048, 65_536], spiSizes: [16, 4096] });
    await sim.dispose();
    const m = s.memcpy!;
    expect(m[0]!.blockingPs).to.be.lessThan(m[0]!.dmaPs);
    expect(m[1]!.dmaPs).to.be.lessThan(m[1]!.blockingPs);
    expect(m[2]!.blockingPs).to.be.lessThan(m[2]!.dmaPs); // the CPU copies faster than the DMA once the work is hidden
    expect(crossoverSize(m)).to.equal(2048);
    expect(s.spi[0]!.blockingPs).to.be.lessThan(s.spi[0]!.dmaPs);
    expect(crossoverSize(s.spi)).to.equal(4096);
    // the DMA variant overlaps the work with the wire: at 4 KiB it saves about the work's 62.5 us
    expect((s.spi[1]!.blockingPs - s.spi[1]!.dmaPs) / 1e6).to.be.greaterThan(40);
  });

  it('prints a table per built-in target and the crossovers', async () => {
    const lines: string[] = [];
    const r = await runScenario(config, { scenario: 'dma-or-cpu' }, (l) => lines.push(l));
    expect(r.faults).to.deep.equal([]);
    const text = lines.join('\n');
    for (const t of [
      'esp32',
      'esp32s2',
      'esp32s3',
      'esp32c3',
      'esp32c5',
      'esp32c6',
      'esp32c61',
      'esp32h2',
      'esp32p4',
    ]) {
      expect(text).to.match(new RegExp(`\\s${t}\\s+memcpy: .*; SPI: \\d+ (B|KiB)`));
    }
    expect(text).to.match(/esp32\s+memcpy: no async memcpy/);
  });
});
