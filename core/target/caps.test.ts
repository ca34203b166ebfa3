import { expect } from 'chai';
import { z } from 'zod';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE } from '../errors.js';
import { definePlugin } from '../plugin/plugin.js';
import { assembleSimulation } from '../simulation.js';
import { bareTarget } from '../testing/bare-target.js';
import { defineCapsSection } from './caps.js';
import { defineTarget, extendTarget, type TargetDefinition } from './target.js';

// A user plugin's caps, declared the way the built-in plugins declare theirs.
const pulseCapsSchema = z.object({
  units: z.number().int().positive(),
  clockHz: z.number().int().positive().optional(),
});
const pulseCaps = defineCapsSection('pulseTest', pulseCapsSchema);
declare module './target.js' {
  interface TargetCaps {
    pulseTest?: z.infer<typeof pulseCapsSchema>;
  }
}
const pulse = (): ReturnType<typeof definePlugin> =>
  definePlugin({ name: 'pulse', caps: pulseCaps, load: () => undefined });

const bare: TargetDefinition = bareTarget();

function refused(fn: () => unknown, match: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(EspError);
    expect((e as EspError).code).to.equal(ESP_ERR_INVALID_ARG);
    expect((e as Error).message).to.match(match);
    return;
  }
  expect.fail('expected an EspError');
}

describe('caps sections declared by plugins', () => {
  it("a plugin's section is checked by its schema, with the field's path", () => {
    refused(
      () => defineTarget({ ...bare, plugins: [pulse()], caps: { ...bare.caps, pulseTest: { units: 0 } } }),
      /invalid target "bare": caps\.pulseTest\.units: Too small/,
    );
    refused(
      () =>
        extendTarget(bare, {
          name: 'b2',
          plugins: [pulse()],
          caps: { pulseTest: { units: 'two' as unknown as number } },
        }),
      /caps\.pulseTest\.units: Invalid input: expected number/,
    );
    refused(
      () =>
        assembleSimulation({
          ...bare,
          plugins: [pulse()],
          caps: { ...bare.caps, pulseTest: { units: 2, clockHz: -1 } },
        }),
      /caps\.pulseTest\.clockHz: Too small/,
    );
    const ok = defineTarget({ ...bare, plugins: [pulse()], caps: { ...bare.caps, pulseTest: { units: 2 } } });
    expect(ok.caps.pulseTest?.units).to.equal(2);
  });

  it('a target listing the plugin needs its section, unless the schema takes undefined', () => {
    refused(() => defineTarget({ ...bare, plugins: [pulse()] }), /caps\.pulseTest: required by plugin "pulse"/);
    const withDefaults = definePlugin({
      name: 'defaults',
      caps: defineCapsSection('defaultsTest', z.object({ n: z.number() }).optional()),
      load: () => undefined,
    });
    expect(defineTarget({ ...bare, plugins: [withDefaults] }).plugins).to.have.length(1);
    refused(
      () => defineTarget({ ...bare, plugins: [withDefaults], caps: { ...bare.caps, defaultsTest: { n: 'x' } } }),
      /caps\.defaultsTest\.n: Invalid input/,
    );
  });

  it('a declared section is checked even on a target without its plugin; an undeclared one passes', () => {
    refused(
      () => defineTarget({ ...bare, caps: { ...bare.caps, pulseTest: { units: -3 } } }),
      /caps\.pulseTest\.units: Too small/,
    );
    expect(
      defineTarget({ ...bare, caps: { ...bare.caps, somethingElse: { anything: 1 } } }).caps['somethingElse'],
    ).to.deep.equal({ anything: 1 });
    expect(defineTarget(bare).caps.pulseTest).to.equal(undefined);
  });

  it("two plugins of a target cannot declare one section with different schemas; the core's fields are no plugin's", () => {
    const other = definePlugin({
      name: 'other',
      caps: { section: 'pulseTest', schema: z.object({}) },
      load: () => undefined,
    });
    refused(
      () => defineTarget({ ...bare, plugins: [pulse(), other], caps: { ...bare.caps, pulseTest: { units: 1 } } }),
      /caps\.pulseTest: plugins "pulse" and "other" both declare this section/,
    );
    const greedy = definePlugin({
      name: 'greedy',
      caps: { section: 'psram', schema: z.boolean() },
      load: () => undefined,
    });
    refused(
      () => defineTarget({ ...bare, plugins: [greedy] }),
      /caps\.psram: plugin "greedy" declares a section the core owns/,
    );
  });

  it('a section name is declared once', () => {
    expect(defineCapsSection('pulseTest', pulseCapsSchema)).to.deep.equal(pulseCaps);
    try {
      defineCapsSection('pulseTest', z.object({}));
      expect.fail('expected an EspError');
    } catch (e) {
      expect((e as EspError).code).to.equal(ESP_ERR_INVALID_STATE);
      expect((e as Error).message).to.match(/caps\.pulseTest is already declared/);
    }
  });
});
