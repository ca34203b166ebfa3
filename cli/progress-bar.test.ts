import { expect } from 'chai';
import { ProgressBar } from './progress-bar.js';

describe('ProgressBar', () => {
  it('stays silent for the first second and then redraws at most every 100 ms', () => {
    let t = 0;
    const out: string[] = [];
    const bar = new ProgressBar({ untilPs: 10_000_000_000, write: (s) => out.push(s), clock: () => t });
    bar.update(1, 10);
    t = 999;
    bar.update(2, 20);
    expect(out).to.deep.equal([]);
    t = 1000;
    bar.update(5_000_000_000, 1_000_000);
    t = 1050;
    bar.update(6_000_000_000, 1_200_000);
    t = 1100;
    bar.update(7_000_000_000, 1_400_000);
    expect(out).to.have.length(2);
    // eslint-disable-next-line no-control-regex -- the bar ends with the terminal's erase-line escape (ESC [K)
    expect(out[0]).to.match(/^\r\[#+-+\] {2}50% 5ms \/ 10ms simulated, 1\.00 M events\/s\x1b\[K$/);
    expect(out[1]).to.match(/ 70% 7ms \/ 10ms/);
    bar.clear();
    expect(out.at(-1)).to.equal('\r\x1b[K');
  });

  it('shows the simulated time and rate when the end is not known, and clears nothing it never drew', () => {
    const out: string[] = [];
    const bar = new ProgressBar({ write: (s) => out.push(s), clock: () => 0 });
    expect(bar.render(3_500_000, 7_000_000, 2)).to.equal('running: 3.5us simulated, 3.50 M events/s');
    bar.clear();
    expect(out).to.deep.equal([]);
  });

  it('fills the bar in proportion and never past 100%', () => {
    const bar = new ProgressBar({ untilPs: 100, write: () => undefined, columns: 80 });
    const quarter = bar.render(25, 1, 1);
    const hashes = (quarter.match(/#/g) ?? []).length;
    const dashes = (quarter.match(/-/g) ?? []).length;
    expect(hashes / (hashes + dashes)).to.be.closeTo(0.25, 0.03);
    expect(bar.render(500, 1, 1)).to.match(/^\[#+\] 100%/);
  });
});
