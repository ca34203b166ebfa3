import { expect } from 'chai';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulation } from '../index.js';
import { repoRoot } from '../test/helpers/cli.js';
import { compileC, findToolchain } from './toolchain.js';

const OP = { end: 0, delay: 1, take: 2, give: 3, busy: 4 } as const;
const TICK_US = 10_000; // configTICK_RATE_HZ 100

interface Step {
  task: number;
  op: number;
  arg: number;
  r: number;
  k0: number;
  k1: number;
  t0: number;
  t1: number;
}

/**
 * FreeRTOS semantics of C tasks, for any script two tasks run (fast-check): delays end on tick boundaries n ticks
 * on, a take that times out does so exactly at its deadline tick and one that succeeds does so before it, busy
 * waits take exactly their microseconds, the semaphore's count is what the successful gives and takes leave, and
 * the same script runs to the same log twice.
 */
describe('FreeRTOS in C programs: properties over generated task scripts', function () {
  this.timeout(300_000);
  let dir = '';
  let wasm: Uint8Array;

  before(function () {
    const tc = findToolchain();
    if ('missing' in tc) {
      if (process.env['CI']) throw new Error(`${tc.missing} (.ci/run should have installed it)`);
      console.log(`      skipped: ${tc.missing}`);
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'freertos-prop-'));
    const r = compileC([join(repoRoot, 'test-fixtures/c/freertos_script.c')], join(dir, 'script.wasm'));
    if (!r.ok) throw new Error(r.output);
    wasm = readFileSync(join(dir, 'script.wasm'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const run = async (
    script: readonly (readonly [number, number])[][],
  ): Promise<{ steps: Step[]; count: number; log: string[] }> => {
    const sim = await createSimulation({ target: 'esp32c6' });
    const app = await sim.loadApp(wasm);
    const at = app.address(Number.parseInt(/^script 0x([0-9a-f]+)$/.exec(app.output[0]!.text)![1]!, 16));
    const words = new Uint32Array(2 * 24 * 2);
    script.forEach((ops, task) =>
      ops.forEach(([op, arg], i) => {
        words[(task * 24 + i) * 2] = op;
        words[(task * 24 + i) * 2 + 1] = arg;
      }),
    );
    sim.memory.write(at, new Uint8Array(words.buffer));
    app.start();
    await sim.run();
    expect(app.exit, JSON.stringify(app.output.slice(-3))).to.deep.equal({ status: 0 });
    const log = app.output.map((o) => `${o.time} ${o.text}`);
    const steps = app.output
      .filter((o) => o.text.startsWith('step '))
      .map((o) => {
        const [task, op, arg, r, k0, k1, t0, t1] = o.text.slice(5).split(' ').map(Number) as number[];
        return { task: task!, op: op!, arg: arg!, r: r!, k0: k0!, k1: k1!, t0: t0!, t1: t1! };
      });
    const count = Number(/^count (\d+)$/.exec(app.output.at(-1)!.text)![1]);
    return { steps, count, log };
  };

  const opArb = fc.oneof(
    fc.tuple(fc.constant(OP.delay), fc.integer({ min: 0, max: 3 })),
    fc.tuple(fc.constant(OP.take), fc.integer({ min: 0, max: 4 })), // bounded: a forever-take may deadlock a script
    fc.tuple(fc.constant(OP.give), fc.constant(0)),
    fc.tuple(fc.constant(OP.busy), fc.integer({ min: 1, max: 25_000 })),
  );
  const scriptArb = fc.tuple(fc.array(opArb, { maxLength: 12 }), fc.array(opArb, { maxLength: 12 }));

  it('delays, timeouts, busy waits and the semaphore count follow FreeRTOS, and a second run gives the same log', async () => {
    await fc.assert(
      fc.asyncProperty(scriptArb, async (script) => {
        const first = await run(script);
        let given = 0;
        let taken = 0;
        for (const s of first.steps) {
          if (s.op === OP.delay) {
            expect(s.k1, 'a delay ends n ticks on').to.equal(s.k0 + s.arg);
            if (s.arg > 0) expect(s.t1 % TICK_US, 'on a tick boundary').to.equal(0);
          } else if (s.op === OP.take) {
            if (s.r === 1) {
              taken++;
              expect(s.k1).to.be.at.most(s.k0 + s.arg);
            } else {
              expect(s.k1, 'a timeout ends at its deadline tick').to.equal(s.k0 + s.arg);
              if (s.arg > 0) expect(s.t1).to.equal(s.k1 * TICK_US);
            }
          } else if (s.op === OP.give) {
            given += s.r;
            expect(s.t1).to.equal(s.t0);
          } else if (s.op === OP.busy) {
            expect(s.t1 - s.t0).to.equal(s.arg);
          }
        }
        const steps = script[0]!.length + script[1]!.length;
        expect(first.steps, 'every step ran').to.have.length(steps);
        expect(first.count).to.equal(given - taken);
        expect(first.count).to.be.within(0, 1);
        const second = await run(script);
        expect(second.log).to.deep.equal(first.log);
      }),
      { numRuns: 25 },
    );
  });
});
