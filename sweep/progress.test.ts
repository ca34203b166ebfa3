import { expect } from 'chai';
import { SweepProgress } from './progress.js';

describe('sweep progress bar', () => {
  it('shows points done of the total, the rate and the time left at that rate', () => {
    const p = new SweepProgress({ write: () => {}, columns: 100 });
    expect(p.render(50, 200, 10)).to.match(/^\[#{10}-{30}\] {2}25% 50\/200 points, 5\.0 points\/s, ETA 30s$/);
    expect(p.render(0, 200, 1)).to.match(/0\/200 points, 0\.0 points\/s, ETA \?$/);
    expect(p.render(1000, 10_000, 2)).to.match(/1000\/10000 points, 500 points\/s, ETA 18s$/);
    expect(p.render(10, 7210, 10)).to.match(/ETA 2h00m$/);
  });

  it('redraws at most every interval, always at the last point, and clears only what it drew', () => {
    let now = 0;
    const out: string[] = [];
    const p = new SweepProgress({ write: (t) => out.push(t), clock: () => now, intervalMs: 100 });
    p.clear();
    expect(out).to.deep.equal([]);
    p.update(1, 4);
    now = 50;
    p.update(2, 4);
    now = 120;
    p.update(3, 4);
    now = 130;
    p.update(4, 4);
    expect(out.map((t) => /(\d)\/4 points/.exec(t)?.[1])).to.deep.equal(['1', '3', '4']);
    p.clear();
    expect(out.at(-1)).to.equal('\r\x1b[K');
  });
});
