import { expect } from 'chai';
import { renderTable } from '../cli/table.js';
import { chartSeries, mergeResults, resultChartSvg, resultCsv, resultTable } from './report.js';
import { allElements, parseXml } from '../test/helpers/xml.js';
import { recordLine, type SweepRecord } from './record.js';

const rec = (
  sweep: string,
  index: number,
  params: SweepRecord['params'],
  metrics: SweepRecord['metrics'],
  error?: string,
): SweepRecord => ({
  sweep,
  index,
  params,
  seed: index,
  metrics,
  simulatedPs: 5,
  wallMs: 1,
  faults: [],
  ...(error ? { error } : {}),
});
const jsonl = (rs: SweepRecord[]): string => rs.map((r) => `${recordLine(r)}\n`).join('');

describe('sweep-report merging and output', () => {
  it('merges files into one result per point, by sweep then index, whatever the file order', () => {
    const a = [rec('s', 2, { n: 2 }, { m: 1 }), rec('s', 0, { n: 0 }, { m: 1 })];
    const b = [rec('t', 0, { n: 0 }, { m: 1 }), rec('s', 1, { n: 1 }, { m: 1 }), rec('s', 0, { n: 0 }, { m: 9 })];
    const m = mergeResults([
      { file: 'a', text: jsonl(a) },
      { file: 'b', text: jsonl(b) },
    ]);
    expect(m.records.map((r) => `${r.sweep}${r.index}`)).to.deep.equal(['s0', 's1', 's2', 't0']);
    expect(m.records[0]!.metrics).to.deep.equal({ m: 1 }); // the first file's line for a point is kept
    expect(m.duplicates).to.equal(1);
  });

  it('writes CSV with quoted cells where a comma, quote or newline is in them', () => {
    const csv = resultCsv([
      rec('s', 0, { name: 'a,b' }, { m: 'say "hi"' }),
      rec('s', 1, { name: 'x' }, null, 'line1\nline2'),
    ]);
    expect(csv).to.equal(
      'sweep,name,seed,m,simulated_ps,faults,error\r\ns,"a,b",0,"say ""hi""",5,0,\r\ns,x,1,,5,0,"line1\nline2"\r\n',
    );
  });

  it('tables show fractions to 4 significant digits and integers whole; CSV keeps every digit', () => {
    const rs = [rec('s', 0, { n: 1 }, { ratio: 1.286390523237982, ps: 72466667 })];
    const table = resultTable(rs, renderTable).split('\n')[2]!;
    expect(table).to.match(/^1\s+0\s+1\.286\s+72466667\s/);
    expect(resultCsv(rs)).to.include(',1.286390523237982,72466667,');
  });

  it('the chart labels power-of-two sizes exactly on a log axis', () => {
    const rs = [16, 1024, 65_536].map((x, i) => rec('s', i, { x }, { y: x / 2 }));
    const svg = parseXml(resultChartSvg('s', rs, { x: 'x', y: 'y', logX: true }));
    const labels = allElements(svg)
      .filter((e) => e.name === 'text')
      .map((e) => e.text);
    for (const size of ['16', '1024', '16384', '65536']) expect(labels).to.include(size);
  });

  it('chart series: grouped by the series parameters, the metric averaged per x, failed points left out', () => {
    const rs = [
      rec('s', 0, { x: 2, t: 'a', seed: 1 }, { y: 10 }),
      rec('s', 1, { x: 2, t: 'a', seed: 2 }, { y: 20 }),
      rec('s', 2, { x: 1, t: 'a', seed: 1 }, { y: 4 }),
      rec('s', 3, { x: 1, t: 'b', seed: 1 }, null, 'boom'),
      rec('s', 4, { x: 1, t: 'b', seed: 2 }, { y: 7 }),
    ];
    expect(chartSeries(rs, { x: 'x', y: 'y' })).to.deep.equal([
      {
        name: 't=a',
        points: [
          [1, 4],
          [2, 15],
        ],
      },
      { name: 't=b', points: [[1, 7]] },
    ]);
  });
});
