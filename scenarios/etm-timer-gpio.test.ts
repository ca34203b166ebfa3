import { expect } from 'chai';
import { runScenario } from '../cli/run-scenario.js';
import config from '../sim.config.js';

describe('scenario etm-timer-gpio', () => {
  it('shows the timer -> ETM -> GPIO chain as a timeline', async () => {
    const lines: string[] = [];
    const result = await runScenario(config, { scenario: 'etm-timer-gpio' }, (l) => lines.push(l));
    expect(result.target).to.equal('esp32c6');
    expect(result.faults).to.deep.equal([]);
    const gpio = lines.filter((l) => l.includes('GPIO4 ->')).map((l) => l.trim());
    expect(gpio).to.deep.equal([
      '100.05us    GPIO4 -> 1',
      '200.05us    GPIO4 -> 0',
      '300.05us    GPIO4 -> 1',
      '400.05us    GPIO4 -> 0',
    ]);
    expect(
      lines.some((l) => l.includes('etm ch0: TIMER0_EVT_CNT_CMP_TIMER0 (48) ==> GPIO_TASK_CH0_TOGGLE (17)')),
    ).to.equal(true);
    expect(lines.some((l) => l.includes('channel 1: event 48 ==> task 90'))).to.equal(true);
    expect(lines.at(-2)).to.match(/450us\s+app: timer stopped; GPIO4 is 0/);
  });
});
