import { expect } from 'chai';
import { ChromeTraceWriter } from './chrome-trace-writer.js';

describe('ChromeTraceWriter', () => {
  it('writes JSON that parses, with named tracks, slices in microseconds, counters and bound flows', () => {
    let text = '';
    const w = new ChromeTraceWriter((t) => { text += t; });
    w.slice('gdma ch0', 'copy 4096 B', 1_500_000, 2_000_001, { bytes: 4096 });
    w.counter('memcpy queue', 1_500_000, { depth: 2 });
    w.flowStart(7, 'gdma ch0', 'etm ch1', 3_500_001);
    w.slice('gpio', 'toggle pin 4', 3_520_001, 1);
    w.flowEnd(7, 'gpio', 'etm ch1', 3_520_001);
    w.close();
    const json = JSON.parse(text) as { displayTimeUnit: string; traceEvents: Record<string, unknown>[] };
    expect(json.displayTimeUnit).to.equal('ns');
    const ev = json.traceEvents;
    const names = ev.filter((e) => e['name'] === 'thread_name').map((e) => (e['args'] as { name: string }).name);
    expect(names).to.deep.equal(['gdma ch0', 'gpio']);
    const slice = ev.find((e) => e['ph'] === 'X' && e['name'] === 'copy 4096 B')!;
    expect(slice).to.deep.include({ ts: 1.5, dur: 2.000001, pid: 1, tid: 1 });
    expect(ev.find((e) => e['ph'] === 'C')).to.deep.include({ name: 'memcpy queue', ts: 1.5, args: { depth: 2 } });
    const s = ev.find((e) => e['ph'] === 's')!;
    const f = ev.find((e) => e['ph'] === 'f')!;
    expect([s['id'], f['id'], f['bp'], s['tid'], f['tid']]).to.deep.equal([7, 7, 'e', 1, 2]);
  });

  it('refuses events after close', () => {
    const w = new ChromeTraceWriter(() => undefined);
    w.close();
    expect(() => w.instant('t', 'x', 0)).to.throw(/closed/);
  });
});
