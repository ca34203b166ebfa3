import { expect } from 'chai';
import * as api from 'soc-fabric';

// The runtime names DESIGN.md's public contract promises from the package root ('soc-fabric').
const VALUES: Record<string, string> = {
  ns: 'function',
  us: 'function',
  ms: 'function',
  createSimulation: 'function',
  ESP_OK: 'number',
  ESP_FAIL: 'number',
  ESP_ERR_NO_MEM: 'number',
  ESP_ERR_INVALID_ARG: 'number',
  ESP_ERR_INVALID_STATE: 'number',
  ESP_ERR_INVALID_SIZE: 'number',
  ESP_ERR_NOT_FOUND: 'number',
  ESP_ERR_NOT_SUPPORTED: 'number',
  ESP_ERR_TIMEOUT: 'number',
  EspError: 'function',
  DmaError: 'function',
  AsyncMemcpy: 'symbol',
  Etm: 'symbol',
  Gpio: 'symbol',
  Gdma: 'symbol',
  CpDma: 'symbol',
  GpTimer: 'symbol',
  Spi: 'symbol',
  defineTarget: 'function',
  extendTarget: 'function',
  defineConfig: 'function',
};

describe('public contract (DESIGN.md)', () => {
  for (const [name, type] of Object.entries(VALUES)) {
    it(`exports ${name} (${type})`, () => {
      expect(typeof (api as Record<string, unknown>)[name]).to.equal(type);
    });
  }

  it('has the ESP-IDF error code values', () => {
    expect([
      api.ESP_OK,
      api.ESP_FAIL,
      api.ESP_ERR_NO_MEM,
      api.ESP_ERR_INVALID_ARG,
      api.ESP_ERR_INVALID_STATE,
      api.ESP_ERR_INVALID_SIZE,
      api.ESP_ERR_NOT_FOUND,
      api.ESP_ERR_NOT_SUPPORTED,
      api.ESP_ERR_TIMEOUT,
    ]).to.deep.equal([0, -1, 0x101, 0x102, 0x103, 0x104, 0x105, 0x106, 0x107]);
    expect([api.ns(1), api.us(1), api.ms(1)]).to.deep.equal([1e3, 1e6, 1e9]);
  });

  it('EspError carries its code and starts its message with the code name; DmaError carries a negative errno', () => {
    const e = new api.EspError(api.ESP_ERR_NOT_FOUND, 'no free channel');
    expect(e.code).to.equal(0x105);
    expect(e.message).to.equal('ESP_ERR_NOT_FOUND: no free channel');
    const d = new api.DmaError(-22, 'bad channel 9');
    expect(d.errno).to.equal(-22);
    expect(d.message).to.match(/EINVAL/);
  });
});
