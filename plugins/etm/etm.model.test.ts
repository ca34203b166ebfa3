import { expect } from 'chai';
import fc from 'fast-check';
import { createSimulation } from '../../create-simulation.js';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE, ESP_ERR_NOT_FOUND, ESP_OK } from '../../core/errors.js';
import { extendTarget } from '../../core/target/target.js';
import { esp32c6 } from '../../targets/index.js';
import { Gpio } from '../gpio/index.js';
import { Etm, type EtmChannel } from './index.js';

/** What esp_etm.c would do, as a plain model: per handle its slot and state. */
interface ModelChan {
  slot: number;
  state: 'init' | 'enable' | 'deleted';
  event: number;
  task: number;
}

type Op =
  | { op: 'new' }
  | { op: 'connect'; h: number; event: number; task: number }
  | { op: 'enable' | 'disable' | 'delete'; h: number };

const CHANNELS = 4;

describe('etm channels against a model of esp_etm.c', () => {
  it('return the same codes and dump the same text for any sequence of calls', async () => {
    const target = extendTarget(esp32c6, { name: 'c6-etm4', caps: { etm: { channels: CHANNELS } } });
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      fc.constant<Op>({ op: 'new' }),
      fc.record({ op: fc.constant('connect' as const), h: fc.nat(7), event: fc.nat(2), task: fc.nat(2) }),
      fc.record({ op: fc.constantFrom('enable' as const, 'disable' as const, 'delete' as const), h: fc.nat(7) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 40 }), async (ops) => {
        const sim = await createSimulation({ target });
        const etm = sim.get(Etm);
        const gpio = sim.get(Gpio);
        // the ops pick an event / task by index: 0 = none (null), 1 and 2 = these GPIO handles
        const ev = [null, gpio.newEtmEvent('pos'), gpio.newEtmEvent('any')];
        const tk = [null, gpio.newEtmTask('clear'), gpio.newEtmTask('toggle')];
        expect([ev[1]!.id, ev[2]!.id, tk[1]!.id, tk[2]!.id]).to.deep.equal([1, 18, 9, 18]);
        const handles: EtmChannel[] = [];
        const model: ModelChan[] = [];
        const slots: (ModelChan | null)[] = new Array<ModelChan | null>(CHANNELS).fill(null);
        for (const o of ops) {
          let want = ESP_OK;
          const m = 'h' in o ? model[o.h] : undefined;
          if (o.op === 'new') {
            const free = slots.indexOf(null);
            if (free < 0) want = ESP_ERR_NOT_FOUND;
          } else if (m === undefined || m.state === 'deleted') {
            want = ESP_ERR_INVALID_ARG;
          } else if (o.op === 'enable' && m.state !== 'init') want = ESP_ERR_INVALID_STATE;
          else if ((o.op === 'disable' || o.op === 'delete') && m.state !== (o.op === 'disable' ? 'enable' : 'init'))
            want = ESP_ERR_INVALID_STATE;
          if ('h' in o && o.h >= handles.length) continue; // no such handle yet: nothing to call
          let got = ESP_OK;
          try {
            if (o.op === 'new') handles.push(etm.newChannel());
            else if (o.op === 'connect') handles[o.h]!.connect(ev[o.event] ?? null, tk[o.task] ?? null);
            else handles[o.h]![o.op]();
          } catch (e) {
            if (!(e instanceof EspError)) throw e;
            got = e.code;
          }
          expect(got, `${JSON.stringify(o)}`).to.equal(want);
          if (want !== ESP_OK) continue;
          if (o.op === 'new') {
            const c: ModelChan = { slot: slots.indexOf(null), state: 'init', event: 0, task: 0 };
            slots[c.slot] = c;
            model.push(c);
          } else if (o.op === 'connect') {
            m!.event = ev[o.event]?.id ?? 0;
            m!.task = tk[o.task]?.id ?? 0;
          } else if (o.op === 'enable') m!.state = 'enable';
          else if (o.op === 'disable') m!.state = 'init';
          else {
            m!.state = 'deleted';
            slots[m!.slot] = null;
          }
        }
        const lines = slots.flatMap((c, i) =>
          c === null
            ? []
            : [
                c.state === 'enable'
                  ? `channel ${i}: event ${c.event} ==> task ${c.task}`
                  : `channel ${i} is created but not enabled`,
              ],
        );
        expect(etm.dump()).to.equal(
          ['===========ETM Dump Start==========', ...lines, '===========ETM Dump End============'].join('\r\n') +
            '\r\n',
        );
        await sim.dispose();
      }),
      { numRuns: 150 },
    );
  });
});
