import { expect } from 'chai';
import { ChromeTraceWriter } from './chrome-trace-writer.js';

describe('ChromeTraceWriter', () => {
  it('writes JSON that parses, with named tracks, slices in microseconds, counters and v2 flows (bind_id) bound to slices', () => {
    let text = '';
    const w = new ChromeTraceWriter((t) => {
      text += t;
    });
    w.slice('gdma ch0', 'copy 4096 B', 1_500_000, 2_000_001, { bytes: 4096 });
    w.counter('memcpy queue', 1_500_000, { depth: 2 });
    w.slice('gdma ch0', 'EOF', 3_500_001, 0, undefined, { id: 7, direction: 'out' });
    w.slice('gpio', 'toggle pin 4', 3_520_001, 1, undefined, { id: 7, direction: 'in' });
    w.close();
    const json = JSON.parse(text) as { displayTimeUnit: string; traceEvents: Record<string, unknown>[] };
    expect(json.displayTimeUnit).to.equal('ns');
    const ev = json.traceEvents;
    const names = ev.filter((e) => e['name'] === 'thread_name').map((e) => (e['args'] as { name: string }).name);
    expect(names).to.deep.equal(['gdma ch0', 'gpio']);
    const slice = ev.find((e) => e['ph'] === 'X' && e['name'] === 'copy 4096 B')!;
    expect(slice).to.deep.include({ ts: 1.5, dur: 2.000001, pid: 1, tid: 1 });
    expect(ev.find((e) => e['ph'] === 'C')).to.deep.include({ name: 'memcpy queue', ts: 1.5, args: { depth: 2 } });
    const out = ev.find((e) => e['flow_out'] === true)!;
    const into = ev.find((e) => e['flow_in'] === true)!;
    expect([out['ph'], out['bind_id'], out['tid'], into['ph'], into['bind_id'], into['tid']]).to.deep.equal([
      'X',
      7,
      1,
      'X',
      7,
      2,
    ]);
  });

  it('refuses events after close', () => {
    const w = new ChromeTraceWriter(() => undefined);
    w.close();
    expect(() => w.instant('t', 'x', 0)).to.throw(/closed/);
  });
});
