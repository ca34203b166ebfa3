import { expect } from 'chai';
import fc from 'fast-check';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_NOT_SUPPORTED } from '../../core/errors.js';
import { ExperimentError } from '../src/apply.js';
import { defaultChain, type Experiment } from '../src/experiment.js';
import { runExperiment, setUpExperiment } from '../src/run.js';
import { experimentTarget } from '../src/targets.js';
import { decodeExperiment, encodeExperiment } from '../src/url.js';
import { edges, parseVcd } from '../src/vcd.js';
import { arbitraryExperiment } from './arbitrary.js';
import { parseVcd as parseVcdForTests, valuesOf } from '../../core/trace/vcd-reader.js';

async function refusal(x: Experiment): Promise<ExperimentError> {
  try {
    const { sim } = await setUpExperiment(x);
    await sim.dispose();
  } catch (e) {
    expect(e).to.be.instanceOf(ExperimentError);
    return e as ExperimentError;
  }
  throw new Error(`not refused: ${JSON.stringify(x)}`);
}

describe('playground: experiment model', () => {
  it('the URL carries any experiment exactly (base64url JSON, no padding)', () => {
    fc.assert(
      fc.property(arbitraryExperiment(), (x) => {
        const frag = encodeExperiment(x);
        expect(frag).to.match(/^x=[A-Za-z0-9_-]+$/);
        expect(decodeExperiment(`#${frag}`)).to.deep.equal(x);
      }),
      { numRuns: 200 },
    );
  });

  it('a URL that does not carry a valid experiment is refused with ESP_ERR_INVALID_ARG saying why', () => {
    const bad = (frag: string, what: RegExp): void => {
      expect(() => decodeExperiment(frag))
        .to.throw(EspError, what)
        .with.property('code', ESP_ERR_INVALID_ARG);
    };
    bad('#y=1', /carries no experiment/);
    bad('#x=***', /not base64url/);
    bad(`#${encodeExperiment(defaultChain()).slice(0, 20)}`, /not JSON|invalid/);
    bad(`#${encodeExperiment({ ...defaultChain(), untilUs: -1 })}`, /untilUs/);
    bad(
      `#${encodeExperiment({ ...defaultChain(), channels: [{ event: { kind: 'nope' }, task: { kind: 'gpio', pin: 1, action: 'toggle' } }] } as unknown as Experiment)}`,
      /channels\.0\.event/,
    );
  });

  it("invalid wiring is refused with the kit's own message, at the control it belongs to", async () => {
    const twoTasksOnOnePin: Experiment = {
      ...defaultChain(),
      channels: [
        ...defaultChain().channels,
        { event: { kind: 'timer-alarm', timer: 0 }, task: { kind: 'gpio', pin: 5, action: 'set' } },
      ],
    };
    let e = await refusal(twoTasksOnOnePin);
    expect(e.path).to.equal('channels.3.task');
    expect(e.message).to.match(/^ESP_ERR_INVALID_ARG: gpio_etm_task_add_gpio/);

    e = await refusal({ ...defaultChain(), etm: 'off' });
    expect(e.path).to.equal('channels.0');
    expect(e.message).to.equal('ESP_ERR_NOT_SUPPORTED: target "esp32c6-no-etm" has no Etm service');

    e = await refusal({ ...defaultChain(), target: 'esp32s3' });
    expect(e.path).to.equal('channels.0');
    expect(e.message).to.equal('ESP_ERR_NOT_SUPPORTED: target "esp32s3" has no Etm service');

    e = await refusal({
      ...defaultChain(),
      gdma: [
        { bytes: 64, atUs: 0 },
        { bytes: 64, atUs: 0 },
        { bytes: 64, atUs: 0 },
      ],
      gdmaPairs: 2,
    });
    expect(e.path).to.equal('gdma.2');
    expect(e.message).to.match(/^ESP_ERR_NOT_FOUND/);

    e = await refusal({ ...defaultChain(), untilUs: null });
    expect(e.path).to.equal('untilUs');
    expect(e.message).to.match(/^ESP_ERR_INVALID_ARG: run for: give a simulated time/);

    e = await refusal({
      ...defaultChain(),
      channels: [{ event: { kind: 'timer-alarm', timer: 3 }, task: { kind: 'gpio', pin: 1, action: 'set' } }],
    });
    expect(e.path).to.equal('channels.0.event');
    expect(e.message).to.match(/GPTimer 3 is not set up/);
  });

  it('derived targets: a pair count where the ETM IDs would overlap is refused; ETM on adds it, off removes it', () => {
    expect(() => experimentTarget({ target: 'esp32c6', gdmaPairs: 4 })).to.throw(EspError, /at most 3 pairs/);
    expect(experimentTarget({ target: 'esp32c6', gdmaPairs: 4, etm: 'off' }).caps.gdma).to.include({
      ahbPairs: 4,
      m2mPairMask: 0xf,
      etm: false,
    });
    expect(() => experimentTarget({ target: 'esp32', gdmaPairs: 2 }))
      .to.throw(EspError)
      .with.property('code', ESP_ERR_NOT_SUPPORTED);
    // switching the ETM on for a GDMA with more pairs than the added IDs leave room for is refused the same way
    expect(() => experimentTarget({ target: 'esp32s3', etm: 'on' })).to.throw(
      EspError,
      /5 GDMA pairs with ETM: .*at most 3 pairs/,
    );
    const on = experimentTarget({ target: 'esp32c3', etm: 'on' });
    expect(on.plugins.map((p) => p.name)).to.include('etm');
    expect(on.caps.beyondSilicon.join(' ')).to.match(/ETM matrix/);
    expect(experimentTarget({ target: 'esp32c6', etm: 'off' }).plugins.map((p) => p.name)).not.to.include('etm');
    expect(experimentTarget({ target: 'esp32c6' }).name).to.equal('esp32c6');
  });

  it("the page's VCD reader agrees with the tests' reader on every signal of a run", async () => {
    for (const x of [
      defaultChain(),
      { ...defaultChain(), copies: [{ bytes: 512, atUs: 2 }], spi: [{ bytes: 64, clockHz: 20_000_000, atUs: 1 }] },
    ]) {
      const r = await runExperiment(x);
      const mine = parseVcd(r.vcd);
      const theirs = parseVcdForTests(r.vcd);
      expect(mine.signals.map((s) => s.name).sort()).to.deep.equal([...theirs.vars.keys()].sort());
      expect(mine.endPs).to.equal(theirs.end);
      for (const s of mine.signals) {
        const expected = valuesOf(theirs, s.name).map(([t, v]) => [t, typeof v === 'number' ? v : NaN]);
        expect(
          s.times.map((t, i) => [t, s.values[i]]),
          s.name,
        ).to.deep.equal(expected);
      }
      expect(edges(mine.signals.find((s) => s.name === 'gpio.gpio5')!)).to.deep.equal([169_043_240]);
    }
  });
});
