import { expect } from 'chai';
import fc from 'fast-check';
import { isDmaBurstSize } from './burst.js';

describe('DMA burst sizes', () => {
  it('accepts exactly 0, 1, 2, 4, ..., 64', () => {
    const allowed = new Set([0, 1, 2, 4, 8, 16, 32, 64]);
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -300, max: 300 }), fc.double(), fc.constantFrom(NaN, Infinity, 16.5, '16', null)),
        (n) => {
          expect(isDmaBurstSize(n), String(n)).to.equal(typeof n === 'number' && allowed.has(n));
        },
      ),
    );
    for (const n of allowed) expect(isDmaBurstSize(n), String(n)).to.equal(true);
  });
});
