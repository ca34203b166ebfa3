import { expect } from 'chai';
import fc from 'fast-check';
import { formatTime, ms, parseTime, us } from './time.js';

describe('time formatting', () => {
  it('prints every digit of an instant: two different instants never print alike', () => {
    expect(formatTime(ms(1) + ns50())).to.equal('1.00005ms');
    expect(formatTime(us(172.371125))).to.equal('172.371125us');
    expect(formatTime(0)).to.equal('0ps');
    expect(formatTime(3_000_000_000)).to.equal('3ms');
    expect(formatTime(-1500)).to.equal('-1.5ns');
  });

  it('parseTime reads back exactly what formatTime prints, for any instant up to 2^53 ps', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (ps) => parseTime(formatTime(ps)) === ps),
      { numRuns: 2000 },
    );
  });
});

function ns50(): number {
  return 50_000;
}
