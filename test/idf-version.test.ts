import { expect } from 'chai';
import { createSimulation, extendTarget, ESP_ERR_INVALID_ARG, EspError, DEFAULT_IDF } from '../index.js';
import { Core } from '../core/tokens.js';
import { esp32c6 } from '../targets/index.js';

describe('ESP-IDF version option', () => {
  it('defaults to the current release and is visible to plugins through Core.Idf and Core.Target', async () => {
    const sim = await createSimulation({ target: 'esp32c6' });
    expect(DEFAULT_IDF).to.equal('5.5');
    expect(sim.idf.version).to.equal('5.5');
    expect(sim.get(Core.Idf).version).to.equal('5.5');
    expect(sim.get(Core.Target).idf!.version).to.equal('5.5');
    await sim.dispose();
  });

  it('takes the createSimulation option over the target field, and the target field over the default', async () => {
    const old = extendTarget(esp32c6, { name: 'c6-idf51', idf: '5.1' });
    const a = await createSimulation({ target: old });
    expect(a.idf.version).to.equal('5.1');
    expect(a.idf.atLeast('5.2')).to.equal(false);
    expect(a.idf.between('5.0', '5.2')).to.equal(true);
    const b = await createSimulation({ target: old, idf: 'master' });
    expect(b.idf.version).to.equal('master');
    expect(b.idf.atLeast('5.5')).to.equal(true);
    await a.dispose();
    await b.dispose();
  });

  it('refuses an unknown version with ESP_ERR_INVALID_ARG naming the choices', async () => {
    let err: unknown;
    try {
      await createSimulation({ target: 'esp32c6', idf: '4.4' as never });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(EspError);
    expect((err as EspError).code).to.equal(ESP_ERR_INVALID_ARG);
    expect((err as Error).message).to.match(/idf must be one of '5\.0'.*'master'.*got "4\.4"/);
  });
});
