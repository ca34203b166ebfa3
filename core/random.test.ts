import { expect } from 'chai';
import { EspError, ESP_ERR_INVALID_ARG } from './errors.js';
import { Random } from './random.js';
import { assembleSimulation } from './simulation.js';
import { bareTarget } from './testing/bare-target.js';

const draw = (r: Random, n: number): number[] => Array.from({ length: n }, () => r.u32());

describe('Random', () => {
  it('gives the same sequence for the same seed', () => {
    expect(draw(new Random(42), 100)).to.deep.equal(draw(new Random(42), 100));
  });

  it('gives different sequences for different seeds, including neighbouring ones and 0', () => {
    const seqs = [0, 1, 2, 42, 0xffffffff].map((s) => draw(new Random(s), 8).join(','));
    expect(new Set(seqs).size).to.equal(seqs.length);
  });

  it('draws unsigned 32-bit integers and floats in [0, 1)', () => {
    const r = new Random(7);
    let high = false;
    for (let i = 0; i < 1000; i++) {
      const u = r.u32();
      expect(Number.isInteger(u) && u >= 0 && u <= 0xffffffff).to.equal(true);
      if (u >= 0x80000000) high = true;
      const f = r.float();
      expect(f >= 0 && f < 1).to.equal(true);
    }
    expect(high, 'the top bit is used').to.equal(true);
  });

  it('keeps int(min, max) within its inclusive bounds and reaches both ends', () => {
    const r = new Random(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.int(-2, 3);
      expect(v).to.be.within(-2, 3);
      expect(Number.isInteger(v)).to.equal(true);
      seen.add(v);
    }
    expect([...seen].sort((a, b) => a - b)).to.deep.equal([-2, -1, 0, 1, 2, 3]);
    expect(r.int(5, 5)).to.equal(5);
    for (let i = 0; i < 100; i++) expect(r.int(0, 0xffffffff)).to.be.within(0, 0xffffffff);
  });

  it('refuses bounds that are not integers, reversed, or wider than 2^32 values, and draws nothing', () => {
    const r = new Random(9);
    const ref = new Random(9);
    for (const [a, b] of [
      [1, 0],
      [0.5, 2],
      [0, Number.NaN],
      [0, 2 ** 32],
      [-(2 ** 31), 2 ** 31],
    ] as const) {
      expect(() => r.int(a, b))
        .to.throw(EspError)
        .with.property('code', ESP_ERR_INVALID_ARG);
    }
    expect(r.u32()).to.equal(ref.u32());
  });

  it('is seeded per simulation from assembleSimulation(def, { seed })', async () => {
    const [a, b, c] = [1, 1, 2].map((seed) => assembleSimulation(bareTarget(), { seed }));
    try {
      const sa = draw(a!.random, 16);
      expect(draw(b!.random, 16)).to.deep.equal(sa);
      expect(draw(c!.random, 16)).to.not.deep.equal(sa);
      expect(a!.seed).to.equal(1);
    } finally {
      await Promise.all([a!, b!, c!].map((s) => s.dispose()));
    }
  });
});
