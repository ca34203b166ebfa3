import { expect } from 'chai';
import { writeFileSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../test/helpers/cli.js';

describe('soc-fabric run --check', () => {
  it('prints the findings after the timeline and exits 1 when one is an error', async () => {
    const r = await cli('run', '--scenario', 'field-etm-task-id', '--check');
    expect(r.code).to.equal(1);
    const i = r.out.findIndex((l) => l.startsWith('finding summary: 1 finding(s), 1 error(s)'));
    expect(i).to.be.greaterThan(r.out.findIndex((l) => l.includes('counter at 100us')));
    expect(r.out[i + 1]).to.match(/^finding error +etm\.unknown-id at 0ps: etm ch0: /);
    expect(r.err.join('\n')).to.include('1 error finding(s)');
  });

  it('exits 0 on a clean run and on warnings only; without --check prints no findings', async () => {
    const clean = await cli('run', '--scenario', 'field-etm-task-id-fixed', '--check');
    expect(clean.code).to.equal(0);
    expect(clean.out).to.include('finding summary: 0 finding(s), 0 error(s)');
    const warn = await cli('run', '--scenario', 'field-spi-psram-bounce', '--check', 'spi', '--quiet');
    expect(warn.code).to.equal(0);
    expect(warn.out[0]).to.equal('finding summary: 1 finding(s), 0 error(s)');
    const off = await cli('run', '--scenario', 'field-etm-task-id');
    expect(off.code).to.equal(0);
    expect(off.out.some((l) => l.startsWith('finding'))).to.equal(false);
  });

  it('a rule the target does not have is refused in one line', async () => {
    const r = await cli('run', '--scenario', 'field-etm-task-id', '--check', 'no-such-rule');
    expect(r.code).to.equal(1);
    expect(r.err).to.have.length(1);
    expect(r.err[0]).to.match(/ESP_ERR_INVALID_ARG: checks: "no-such-rule" is no checker or rule/);
  });

  it('--trace marks each finding as an instant event on a diagnostics track, --vcd counts them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soc-fabric-check-'));
    const trace = join(dir, 't.json');
    const vcd = join(dir, 't.vcd');
    writeFileSync(trace, '');
    const r = await cli('run', '--scenario', 'field-descriptor-owner-cpu', '--check', '--trace', trace, '--vcd', vcd);
    expect(r.code).to.equal(1);
    const text = readFileSync(trace, 'utf8');
    expect(text).to.include('error: dma.descriptor-error');
    expect(text).to.include('owned by the CPU');
    const wave = readFileSync(vcd, 'utf8');
    expect(wave).to.match(/\$scope module diagnostics \$end/);
  });
});
