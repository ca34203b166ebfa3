import { expect } from 'chai';
import {
  assembleSimulation,
  DescriptorMemory,
  esp32c6,
  type EspError,
  ESP_ERR_INVALID_STATE,
  writeLinearList,
  type Memory,
} from 'soc-fabric';

describe('sim.memory for tests: leases and descriptors without Core.Memory', () => {
  it("sim.memory.leases shows and enforces a driver's claim; DescriptorMemory(sim.memory) reads the ring under it", () => {
    const sim = assembleSimulation(esp32c6);
    const ring = sim.memory.alloc(24, { caps: ['dma'], align: 4 });
    const buf = sim.memory.alloc(64, { caps: ['dma'] });
    const dm = new DescriptorMemory(sim.memory);
    writeLinearList(dm, ring, buf, 64, 32, false);
    const lease = sim.memory.leases.take(ring, 24, 'adc ring');
    expect(sim.memory.leases.size).to.equal(1);
    expect(sim.memory.leases.find(ring + 12, 1)?.holder).to.equal('adc ring');
    try {
      sim.memory.write(ring, new Uint8Array(4));
      expect.fail('expected a refusal');
    } catch (e) {
      expect((e as EspError).code).to.equal(ESP_ERR_INVALID_STATE);
      expect((e as Error).message).to.match(/write: 0x[0-9a-f]+ is in a buffer held by adc ring until it completes/);
    }
    // the test observes the descriptors as a debugger would, lease or not
    expect(dm.read(ring + 12)).to.deep.include({ size: 32, buffer: buf + 32, next: 0, owner: 1 });
    lease.release();
    expect(sim.memory.leases.size).to.equal(0);
    sim.memory.write(ring, new Uint8Array(4));
    expect(dm.read(ring).size).to.equal(0);
  });

  it("DescriptorMemory refuses a memory that is not a simulation's", () => {
    expect(() => new DescriptorMemory({} as Memory)).to.throw(TypeError, /expected the memory of a simulation/);
  });
});
