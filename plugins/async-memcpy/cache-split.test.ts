import { expect } from 'chai';
import fc from 'fast-check';
import { splitRx } from './cache-split.js';

describe('async memcpy: the RX split of a cached destination (esp_dma_split_rx_buffer_to_cache_aligned)', () => {
  it('examples: aligned, unaligned head and tail, and a buffer inside one line', () => {
    expect(splitRx(0x3d80_0000, 256, 32)).to.deep.equal({ head: 0, body: 256, tail: 0 });
    expect(splitRx(0x3d80_0010, 256, 32)).to.deep.equal({ head: 16, body: 224, tail: 16 });
    expect(splitRx(0x3d80_0004, 8, 32)).to.deep.equal({ head: 8, body: 0, tail: 0 });
    expect(splitRx(0x3d80_0000, 16, 32)).to.deep.equal({ head: 16, body: 0, tail: 0 });
  });

  it('property: the parts cover the buffer exactly, the body is whole lines, head and tail fit in one line each', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0x3d80_0000, max: 0x3d80_1000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.constantFrom(16, 32, 64, 128),
        (dst, n, line) => {
          const s = splitRx(dst, n, line);
          expect(s.head + s.body + s.tail).to.equal(n);
          expect(s.head).to.be.at.most(line);
          expect(s.tail).to.be.lessThan(line);
          if (s.body > 0) {
            expect((dst + s.head) % line).to.equal(0);
            expect(s.body % line).to.equal(0);
          }
        },
      ),
      { seed: 3 },
    );
  });
});
