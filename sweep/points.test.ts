import { expect } from 'chai';
import fc from 'fast-check';
import { defineConfig } from '../core/config/config.js';
import type { SweepDefinition, SweepValue } from '../core/config/sweep.js';
import { EspError, ESP_ERR_INVALID_ARG } from '../core/errors.js';
import { esp32c3, esp32s3 } from '../targets/index.js';
import { defineSweep } from './define.js';
import { enumeratePoints, overrideSweep, parseParamOption, pointKey, pointSeed } from './points.js';

const config = defineConfig({ targets: [esp32c3, esp32s3], defaultTarget: 'esp32c3' });
const sweep = (params: SweepDefinition['params'], extra: Partial<SweepDefinition> = {}): SweepDefinition => ({
  name: 's',
  params,
  run: () => ({}),
  ...extra,
});

function refused(fn: () => unknown, re: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(EspError);
    expect((e as EspError).code).to.equal(ESP_ERR_INVALID_ARG);
    expect((e as Error).message).to.match(re);
    return;
  }
  expect.fail(`expected a refusal matching ${re}`);
}

const value = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean());
const params = fc.dictionary(fc.string({ minLength: 1 }), value, { maxKeys: 5 });

describe('sweep points', () => {
  it('are the cartesian product, first parameter slowest, then filtered, indexed from 0 in order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 4 }),
        fc.uniqueArray(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 3 }),
        fc.uniqueArray(fc.boolean(), { minLength: 1, maxLength: 2 }),
        fc.integer({ min: 1, max: 3 }),
        (n, s, b, mod) => {
          const pts = enumeratePoints(sweep({ n, s, b }, { filter: (p) => Number(p['n']) % mod === 0 }), config);
          const expected: Record<string, SweepValue>[] = [];
          for (const x of n)
            for (const y of s) for (const z of b) if (x % mod === 0) expected.push({ n: x, s: y, b: z });
          expect(pts.map((p) => p.params)).to.deep.equal(expected);
          expect(pts.map((p) => p.index)).to.deep.equal(expected.map((_, i) => i));
          expect(new Set(pts.map((p) => p.key)).size).to.equal(pts.length);
        },
      ),
    );
  });

  it('each have a seed that depends only on the sweep seed and the point, not on key order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), params, (seed, p) => {
        const reversed = Object.fromEntries(Object.entries(p).reverse());
        expect(pointSeed(seed, reversed)).to.equal(pointSeed(seed, p));
        expect(pointKey(reversed)).to.equal(pointKey(p));
        const s = pointSeed(seed, p);
        expect(Number.isInteger(s) && s >= 0 && s <= 0xffffffff).to.equal(true);
      }),
    );
  });

  it('seeds differ between the points of a grid and between sweep seeds', () => {
    const pts = enumeratePoints(
      sweep({ a: [...Array(40).keys()], b: ['x', 'y', 'z'], c: [1.5, 2.5, 3.5, 4.5, 5.5] }),
      config,
    );
    expect(new Set(pts.map((p) => p.seed)).size).to.equal(pts.length);
    const other = enumeratePoints(
      sweep({ a: [...Array(40).keys()], b: ['x', 'y', 'z'], c: [1.5, 2.5, 3.5, 4.5, 5.5] }, { seed: 2 }),
      config,
    );
    expect(other.filter((p, i) => p.seed === pts[i]!.seed)).to.have.length(0);
    // a value's type is part of the point: 1 and "1" are different points
    expect(pointSeed(1, { a: 1 })).to.not.equal(pointSeed(1, { a: '1' }));
  });

  it('refuse a target the config does not define, before anything runs', () => {
    refused(
      () => enumeratePoints(sweep({ target: ['esp32c3', 'esp99'] }), config),
      /unknown target "esp99"; the config defines esp32c3, esp32s3/,
    );
    refused(() => enumeratePoints(sweep({ n: [1] }, { target: 'nope' }), config), /unknown target "nope"/);
  });
});

describe('--param', () => {
  it('parses NAME=V1,V2 and refuses what is not', () => {
    expect(parseParamOption('size=64, 256')).to.deep.equal(['size', ['64', '256']]);
    refused(() => parseParamOption('size'), /expected NAME=VALUE\[,VALUE\.\.\.\]/);
    refused(() => parseParamOption('size=1,,2'), /a value is empty/);
    refused(() => parseParamOption('size=1,1'), /value "1" is listed twice/);
  });

  it('replaces a declared parameter with values of its declared type, and refuses unknown names and bad values', () => {
    const s = sweep({ size: [1, 2], name: ['a'], on: [true] });
    const o = overrideSweep(s, { size: ['16', '1e3'], name: ['64'], on: ['false'] }, 9);
    expect(o.params).to.deep.equal({ size: [16, 1000], name: ['64'], on: [false] });
    expect(o.seed).to.equal(9);
    expect(s.params['size']).to.deep.equal([1, 2]); // the declared sweep is left as it was
    refused(() => overrideSweep(s, { sise: ['1'] }), /sweep "s" has no parameter "sise"; it has size, name, on/);
    refused(() => overrideSweep(s, { size: ['big'] }), /--param size: "big" is not a number/);
    refused(() => overrideSweep(s, { on: ['yes'] }), /--param on: "yes" is not true or false/);
    // a scenario's parameters are open: numbers and booleans where the text reads as one
    expect(overrideSweep(sweep({}), { n: ['3', 'x', 'true'] }, undefined, true).params).to.deep.equal({
      n: [3, 'x', true],
    });
  });
});

describe('defineSweep', () => {
  it('returns a good sweep as given and refuses a bad one naming the field', () => {
    const good = sweep({ a: [1, 2] }, { axes: { x: 'a', y: 'm' } });
    expect(defineSweep(good)).to.equal(good);
    refused(() => defineSweep(sweep({ a: [] })), /invalid sweep "s": params\.a: needs at least one value/);
    refused(() => defineSweep(sweep({ a: [1, 1] })), /params\.a\[1\]: value 1 is listed twice/);
    refused(() => defineSweep(sweep({ a: [Infinity] })), /params\.a\[0\]/);
    refused(() => defineSweep({ ...sweep({ a: [1] }), name: 'a b' }), /name: must be letters/);
    refused(() => defineSweep(sweep({ a: [1] }, { axes: { x: 'b', y: 'm' } })), /axes\.x: no parameter named "b"/);
    refused(() => defineSweep({ ...sweep({ a: [1] }), run: 3 } as unknown as SweepDefinition), /run/);
  });

  it('a config accepts sweeps and refuses two of one name', () => {
    const s = sweep({ a: [1] });
    expect(defineConfig({ targets: [esp32c3], sweeps: [s] }).sweeps).to.deep.equal([s]);
    refused(
      () => defineConfig({ targets: [esp32c3], sweeps: [s, s] }),
      /sweeps\[1\]\.name: sweep "s" is defined twice/,
    );
  });
});
