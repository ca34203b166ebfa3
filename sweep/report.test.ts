import { expect } from 'chai';
import { chartSeries, mergeResults, resultCsv } from './report.js';
import { recordLine, type SweepRecord } from './record.js';

const rec = (sweep: string, index: number, params: SweepRecord['params'], metrics: SweepRecord['metrics'], error?: string): SweepRecord =>
  ({ sweep, index, params, seed: index, metrics, simulatedPs: 5, wallMs: 1, faults: [], ...(error ? { error } : {}) });
const jsonl = (rs: SweepRecord[]): string => rs.map((r) => `${recordLine(r)}\n`).join('');

describe('sweep-report merging and output', () => {
  it('merges files into one result per point, by sweep then index, whatever the file order', () => {
    const a = [rec('s', 2, { n: 2 }, { m: 1 }), rec('s', 0, { n: 0 }, { m: 1 })];
    const b = [rec('t', 0, { n: 0 }, { m: 1 }), rec('s', 1, { n: 1 }, { m: 1 }), rec('s', 0, { n: 0 }, { m: 9 })];
    const m = mergeResults([{ file: 'a', text: jsonl(a) }, { file: 'b', text: jsonl(b) }]);
    expect(m.records.map((r) => `${r.sweep}${r.index}`)).to.deep.equal(['s0', 's1', 's2', 't0']);
    expect(m.records[0]!.metrics).to.deep.equal({ m: 1 }); // the first file's line for a point is kept
    expect(m.duplicates).to.equal(1);
  });

  it('writes CSV with quoted cells where a comma, quote or newline is in them', () => {
    const csv = resultCsv([rec('s', 0, { name: 'a,b' }, { m: 'say "hi"' }), rec('s', 1, { name: 'x' }, null, 'line1\nline2')]);
    expect(csv).to.equal('sweep,name,seed,m,simulated_ps,faults,error\r\ns,"a,b",0,"say ""hi""",5,0,\r\ns,x,1,,5,0,"line1\nline2"\r\n');
  });

  it('chart series: grouped by the series parameters, the metric averaged per x, failed points left out', () => {
    const rs = [
      rec('s', 0, { x: 2, t: 'a', seed: 1 }, { y: 10 }), rec('s', 1, { x: 2, t: 'a', seed: 2 }, { y: 20 }),
      rec('s', 2, { x: 1, t: 'a', seed: 1 }, { y: 4 }), rec('s', 3, { x: 1, t: 'b', seed: 1 }, null, 'boom'),
      rec('s', 4, { x: 1, t: 'b', seed: 2 }, { y: 7 }),
    ];
    expect(chartSeries(rs, { x: 'x', y: 'y' })).to.deep.equal([
      { name: 't=a', points: [[1, 4], [2, 15]] },
      { name: 't=b', points: [[1, 7]] },
    ]);
  });
});
