import { expect } from 'chai';
import fc from 'fast-check';
import { EspError, ESP_ERR_INVALID_ARG } from '../../../core/errors.js';
import { assembleSimulation } from '../../../core/simulation.js';
import { extendTarget } from '../../../core/target/target.js';
import { Core } from '../../../core/tokens.js';
import { esp32c6, esp32p4 } from '../../../targets/index.js';
import { DmaEngine } from './engine.js';
import { ESP32S3_GDMA_TIMING } from './timing.js';
import type { DmaEtmIds } from './etm-ids.js';

/** The oracle: bases a and b of one namespace give n IDs each; they collide iff they are less than n apart. */
const collide = (a: number, b: number, n: number): boolean => n > 0 && Math.abs(a - b) < n;

const idsArb = fc.record({
  inSucEofBase: fc.integer({ min: 0, max: 40 }),
  outEofBase: fc.integer({ min: 0, max: 40 }),
  inStartTaskBase: fc.integer({ min: 0, max: 40 }),
  outStartTaskBase: fc.integer({ min: 0, max: 40 }),
});

function errorOf(fn: () => unknown): EspError | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(EspError);
    return e as EspError;
  }
  return undefined;
}

describe('GDMA ETM IDs: an ID given twice is refused, for any pair count and ID bases', () => {
  const sim = assembleSimulation(esp32c6);
  const kernel = sim.get(Core.Kernel);
  const memory = sim.get(Core.Memory);
  const bus = sim.get(Core.Bus);
  const engine = (pairs: number, etm: DmaEtmIds): DmaEngine =>
    new DmaEngine(
      {
        name: 'gdma',
        pairs,
        m2mPairMask: 0,
        freeM2mTriggerMask: 0,
        peripheralTriggers: {},
        priorities: 1,
        maxDescriptorBytes: 4095,
        reaches: () => true,
        burstNeedsAlignment: false,
        timing: ESP32S3_GDMA_TIMING,
        etm,
      },
      kernel,
      memory,
      bus,
      () => undefined,
    );

  it('extendTarget refuses overlapping bases naming both IDs; the engine offers every ID once otherwise', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), idsArb, (pairs, ids) => {
        const evClash = collide(ids.inSucEofBase, ids.outEofBase, pairs);
        const taskClash = collide(ids.inStartTaskBase, ids.outStartTaskBase, pairs);
        const err = errorOf(() =>
          extendTarget(esp32c6, {
            name: 'c6-pairs',
            caps: { gdma: { ahbPairs: pairs, m2mPairMask: 0, etmIds: ids } },
          }),
        );
        expect(err !== undefined, `pairs ${pairs} ${JSON.stringify(ids)}`).to.equal(evClash || taskClash);
        if (err) {
          expect(err.code).to.equal(ESP_ERR_INVALID_ARG);
          expect(err.message).to.match(
            /caps\.gdma\.etmIds: ETM (event|task) ID \d+ is both GDMA_\w+_CH\d+ and GDMA_\w+_CH\d+/,
          );
          if (taskClash)
            expect(err.message).to.match(/TASK_IN_START.* and .*TASK_OUT_START|TASK_OUT_START.* and .*TASK_IN_START/);
        }
        const e = engine(pairs, ids);
        const tasks = errorOf(() => e.etmTaskNames());
        const events = errorOf(() => e.etmEventNames());
        expect(tasks !== undefined).to.equal(taskClash);
        expect(events !== undefined).to.equal(evClash);
        if (!taskClash) expect(e.etmTaskNames().size).to.equal(2 * pairs);
        if (!evClash) expect(e.etmEventNames().size).to.equal(2 * pairs);
      }),
      { numRuns: 300 },
    );
  });

  it('the ESP32-C6 with 5 pairs (its bases 159/162 are 3 apart) is refused at extendTarget, naming both starts', () => {
    const err = errorOf(() =>
      extendTarget(esp32c6, { name: 'c6-5', caps: { gdma: { ahbPairs: 5, m2mPairMask: 0x1f } } }),
    );
    expect(err?.message).to.include(
      'caps.gdma.etmIds: ETM task ID 162 is both GDMA_TASK_OUT_START_CH0 and GDMA_TASK_IN_START_CH3',
    );
  });

  it("the ESP32-P4's AHB and AXI IDs are checked together (one target, one ETM)", () => {
    const ahb = esp32p4.caps.gdma!.etmIds!;
    const err = errorOf(() =>
      extendTarget(esp32p4, { name: 'p4-clash', caps: { gdma: { axi: { etmIds: { ...ahb } } } } }),
    );
    expect(err?.message).to.match(
      /caps\.gdma\.axi\.etmIds: ETM event ID \d+ is both GDMA_AHB_EVT_IN_SUC_EOF_CH0 and GDMA_AXI_EVT_IN_SUC_EOF_CH0/,
    );
  });
});
