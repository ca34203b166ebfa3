import { expect } from 'chai';
import { createSimulation } from '../create-simulation.js';
import { runTask } from '../test/helpers/sim.js';
import { ESP32S3_COPY_TABLE, measureCopyRates, type CopyRates } from './dma-vs-cpu-copy.js';

describe('DMA timing calibration (ESP32-S3, 100 KiB, 32-byte aligned, MiB/s, default config)', () => {
  let rows: CopyRates[];
  before(async () => {
    const sim = await createSimulation({ target: 'esp32s3' });
    await runTask(
      sim,
      async () => {
        rows = await measureCopyRates(sim);
      },
      'measure',
    );
    await sim.dispose();
  });

  for (const [direction, ref] of Object.entries(ESP32S3_COPY_TABLE)) {
    it(`${direction}: async memcpy within 3% of ${ref.dma} MiB/s and CPU within 3% of ${ref.cpu} MiB/s`, () => {
      const r = rows.find((x) => x.direction === direction)!;
      expect(r, direction).to.not.equal(undefined);
      expect(r.ok).to.equal(true);
      expect(Math.abs(r.dmaMiBps / ref.dma - 1)).to.be.lessThan(0.03);
      expect(Math.abs(r.cpuMiBps / ref.cpu - 1)).to.be.lessThan(0.03);
    });
  }

  it('other targets take their DMA timing from their bus clocks and say so in caps.estimates', async () => {
    for (const target of ['esp32s2', 'esp32c3', 'esp32c5', 'esp32c6', 'esp32c61', 'esp32h2', 'esp32p4']) {
      const sim = await createSimulation({ target });
      expect(
        sim.target.caps.estimates.some((e) => /DMA timing/.test(e)),
        target,
      ).to.equal(true);
      let r: CopyRates[] = [];
      await runTask(
        sim,
        async () => {
          r = await measureCopyRates(sim, 8192);
        },
        'measure',
      );
      const timing = sim.target.caps.gdma?.timing ?? sim.target.caps.cpdma?.timing;
      if (timing === undefined) throw new Error(`${target}: no DMA timing in caps`);
      const clock = timing.clockHz;
      // the S3's SRAM cycles per byte at this clock: MiB/s scales with the clock (fetch, start, call and ISR costs aside)
      expect(r[0]!.dmaMiBps / ((56.85 * clock) / 80e6)).to.be.closeTo(1, 0.04);
      await sim.dispose();
    }
  });
});
