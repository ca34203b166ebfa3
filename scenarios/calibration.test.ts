import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, repoRoot } from '../test/helpers/cli.js';
import { assembleSimulation } from '../core/simulation.js';
import { extendTarget } from '../core/target/target.js';
import { esp32s2 } from '../targets/index.js';
import { IDF_SPI_DRIVER_CYCLES_BY_CHIP } from '../plugins/spi/index.js';
import { measureSpiTransactions, SPI_TRANSACTION_US, type CalibrationRow } from './calibration.js';

describe('calibration: every published figure, run now (soc-fabric calibrate --json)', () => {
  let rows: CalibrationRow[];
  before(async () => {
    const r = await cli('calibrate', '--json');
    expect(r.code, r.err.join('\n')).to.equal(0);
    rows = JSON.parse(r.out.join('\n')) as CalibrationRow[];
  });

  it('has the 8 ESP32-S3 copy figures and the 24 SPI figures', () => {
    expect(rows.filter((r) => r.kind === 'copy')).to.have.length(8);
    expect(rows.filter((r) => r.kind === 'spi')).to.have.length(24);
    expect(new Set(rows.filter((r) => r.kind === 'spi').map((r) => r.target))).to.deep.equal(
      new Set(Object.keys(SPI_TRANSACTION_US)),
    );
  });

  it('keeps every copy figure within 3% (MiB/s) and every SPI figure within 8%', () => {
    for (const r of rows) {
      const tol = r.kind === 'copy' ? 3 : 8;
      expect(
        Math.abs(r.kit / r.published - 1) * 100,
        `${r.target} ${r.figure}: kit ${r.kit} vs ${r.published} ${r.unit}`,
      ).to.be.lessThan(tol);
    }
  });

  it('the 100 KiB SRAM -> SRAM CPU memcpy takes 269.4 us (362.48 MiB/s, not MB/s)', () => {
    const r = rows.find((x) => x.figure === 'CPU memcpy SRAM -> SRAM')!;
    expect(((100 * 1024) / (r.kit * 1024 * 1024)) * 1e6).to.be.closeTo(269.4, 0.5);
  });

  it("the SPI fit is each chip's own: the ESP32's cycles on the ESP32-C3's 160 MHz clock miss the C3 row", async () => {
    const { esp32c3 } = await import('../targets/index.js');
    const wrong = extendTarget(esp32c3, {
      name: 'c3-with-esp32-cycles',
      caps: { spi: { driverCycles: IDF_SPI_DRIVER_CYCLES_BY_CHIP.esp32 } },
    });
    const sim = assembleSimulation(wrong);
    const t = await measureSpiTransactions(sim);
    await sim.dispose();
    expect(Math.abs(t['interrupt + CPU'] / SPI_TRANSACTION_US.esp32c3![1] - 1)).to.be.greaterThan(0.08);
    // and the S2's own target reproduces its row
    const s2 = assembleSimulation(esp32s2);
    const u = await measureSpiTransactions(s2);
    await s2.dispose();
    expect(u['interrupt + CPU']).to.be.closeTo(22, 22 * 0.08);
  });

  it('prints a table with published, kit and error, the one README.md shows', async () => {
    const r = await cli('calibrate');
    expect(r.code).to.equal(0);
    const text = r.out.join('\n');
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    expect(readme, "README.md's calibration table is stale: paste the output of soc-fabric calibrate").to.include(text);
    expect(text).to.match(/esp32s3\s+async memcpy SRAM -> SRAM\s+56\.85 MiB\/s\s+\d+\.\d\d MiB\/s\s+[+-]\d+\.\d\d%/);
    expect(text).to.match(/esp32h2\s+SPI polling \+ CPU\s+24\.00 us/);
    expect(text).to.match(/largest error: copies \d+\.\d\d% \(tolerance 3%\), SPI \d+\.\d\d% \(tolerance 8%\)/);
  });
});
