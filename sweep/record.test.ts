import { expect } from 'chai';
import { parseResults, recordLine, type SweepRecord } from './record.js';

const rec = (index: number, extra: Partial<SweepRecord> = {}): SweepRecord => ({
  sweep: 's',
  index,
  params: { n: index, name: 'ä"\n' },
  seed: 3,
  metrics: { m: index * 2 },
  simulatedPs: 10,
  wallMs: 1.5,
  faults: [],
  ...extra,
});

describe('sweep result lines', () => {
  it('round-trip through JSONL, an error kept and absent alike', () => {
    const rs = [
      rec(0),
      rec(1, { error: 'boom', metrics: null }),
      rec(2, { faults: [{ time: 1, source: 'k', message: 'f' }] }),
    ];
    const text = rs.map((r) => `${recordLine(r)}\n`).join('');
    const parsed = parseResults(text, 'f.jsonl');
    expect(parsed.records).to.deep.equal(rs);
    expect(parsed.truncated).to.equal(undefined);
    expect(parsed.completeBytes).to.equal(Buffer.byteLength(text));
  });

  it('a cut-off last line (an interrupted run) is set apart, with the length of the whole lines before it', () => {
    const whole = `${recordLine(rec(0))}\n${recordLine(rec(1))}\n`;
    const line = recordLine(rec(2));
    for (let cut = 1; cut < line.length; cut++) {
      const parsed = parseResults(whole + line.slice(0, cut), 'f.jsonl');
      expect(parsed.records.map((r) => r.index)).to.deep.equal([0, 1]);
      expect(parsed.completeBytes).to.equal(Buffer.byteLength(whole));
      expect(parsed.truncated).to.equal(line.slice(0, cut));
    }
  });

  it('a bad line elsewhere is an error naming file and line', () => {
    expect(() => parseResults(`${recordLine(rec(0))}\n{"sweep\n${recordLine(rec(1))}\n`, 'f.jsonl')).to.throw(
      /f\.jsonl:2: not JSON/,
    );
    expect(() => parseResults('{"sweep":"s"}\n', 'g.jsonl')).to.throw(
      /g\.jsonl:1: not a sweep result \(index should be a number\)/,
    );
  });
});
