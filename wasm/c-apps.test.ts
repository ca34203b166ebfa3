import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AsyncMemcpy,
  createSimulation,
  Etm,
  Gpio,
  GpTimer,
  Spi,
  us,
  type MemoryMap,
  type SimEvent,
  type Simulation,
} from '../index.js';
import { cli, repoRoot } from '../test/helpers/cli.js';
import { loadApp } from './app.js';
import { runApp } from './run-app.js';
import { compileC, findToolchain } from './toolchain.js';
import { runUnityTests, unitySummary, type UnityResult } from './unity.js';

const PROGRAMS = {
  hello: 'examples/c/hello_log.c',
  memcpyTests: 'examples/c/async_memcpy_test.c',
  memcpyEtm: 'examples/c/async_memcpy_etm.c',
  timerChain: 'examples/c/gptimer_etm_gpio.c',
  spi: 'examples/c/spi_loopback.c',
  zephyr: 'examples/c/zephyr_dma_loop.c',
  tasks: 'examples/c/tasks_queue.c',
  memcpyTimes: 'test-fixtures/c/memcpy_times.c',
  memoryShare: 'test-fixtures/c/memory_share.c',
  errorCheck: 'test-fixtures/c/error_check.c',
  trap: 'test-fixtures/c/trap.c',
  exitStatus: 'test-fixtures/c/exit_status.c',
  unityMixed: 'test-fixtures/c/unity_mixed.c',
  isrBlock: 'test-fixtures/c/isr_block.c',
  tasksDelete: 'test-fixtures/c/tasks_delete.c',
} as const;
type Program = keyof typeof PROGRAMS;

/** Bus events of some sources, as [time, source, type] (what must match to the picosecond). */
function record(sim: Simulation, sources: string[]): [number, string, string][] {
  const seen: [number, string, string][] = [];
  sim.bus.all$.subscribe((e: SimEvent) => {
    if (sources.includes(e.source)) seen.push([e.time, e.source, e.type]);
  });
  return seen;
}

describe('C programs compiled to WebAssembly (soc-fabric cc, run --app, test)', function () {
  this.timeout(300_000);
  let dir = '';
  const wasm = {} as Record<Program, string>;

  before(function () {
    const tc = findToolchain();
    if ('missing' in tc) {
      if (process.env['CI']) throw new Error(`${tc.missing} (.ci/run should have installed it)`);
      console.log(`      skipped: ${tc.missing}`);
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'c-apps-'));
    for (const [name, src] of Object.entries(PROGRAMS) as [Program, string][]) {
      const out = join(dir, `${name}.wasm`);
      const r = compileC([join(repoRoot, src)], out);
      if (!r.ok) throw new Error(`${src} did not compile:\n${r.output}`);
      wasm[name] = out;
    }
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const bytes = (p: Program): Uint8Array => readFileSync(wasm[p]);
  const unity = (p: Program, target: string): Promise<UnityResult[]> => runUnityTests(bytes(p), { target });
  const failures = (rs: UnityResult[]): string[] =>
    rs.filter((r) => !r.passed && !r.ignored).map((r) => `${r.name}: ${r.message}`);

  it('sim.loadApp runs app_main: log lines carry the simulated time, vTaskDelay waits whole ticks, the exit status is 0', async () => {
    const sim = await createSimulation({ target: 'esp32c6' });
    const app = await sim.loadApp(bytes('hello'));
    app.start();
    await sim.run();
    expect(app.exit).to.deep.equal({ status: 0 });
    const lines = app.output.map((o) => [
      o.time,
      o.text.replace(/ at 0x[0-9a-f]+/, ' at P').replace(/, \d+ bytes/, ', N bytes'),
    ]);
    expect(lines).to.deep.equal([
      [0, 'I (0) hello: 64 DMA-capable bytes at P, N bytes of internal heap free'],
      [us(20_000), 'I (20) hello: tick 2, 20000 us'],
      [us(40_000), 'I (40) hello: tick 4, 40000 us'],
      [us(60_000), 'I (60) hello: tick 6, 60000 us'],
      [us(60_000), 'done'],
    ]);
  });

  it("heap, static and stack buffers are the simulated memory, both ways, at the target's SRAM addresses", async () => {
    const sim = await createSimulation({ target: 'esp32c6' });
    const sram = (sim.memory as MemoryMap).regions.find((r) => r.name === 'sram')!;
    const app = await loadApp(sim, bytes('memoryShare'));
    const ptrs: number[] = [];
    sim.bus.all$.subscribe(() => undefined);
    app.start();
    sim.schedule(us(5000), () => {
      const line = app.output[0]!.text;
      for (const m of line.matchAll(/0x([0-9a-f]+)/g)) ptrs.push(Number.parseInt(m[1]!, 16));
      const [heap, stat, stack] = ptrs.map((p) => app.address(p));
      for (const a of [heap!, stat!, stack!]) expect(a).to.be.within(sram.base, sram.base + sram.size - 16);
      expect([...sim.memory.read(heap!, 4)]).to.deep.equal([0, 1, 2, 3]);
      expect([...sim.memory.read(stat!, 4)]).to.deep.equal([0x40, 0x41, 0x42, 0x43]);
      expect([...sim.memory.read(stack!, 4)]).to.deep.equal([0x80, 0x81, 0x82, 0x83]);
      for (const a of [heap!, stat!, stack!]) sim.memory.write(a + 3, Uint8Array.of(200));
    });
    await sim.run();
    expect(ptrs).to.have.length(3);
    expect(app.output.map((o) => o.text).slice(1)).to.deep.equal(['spiram 0', 'after: heap 200 static 200 stack 200']);
  });

  it("a MALLOC_CAP_SPIRAM buffer is in esp32s3's PSRAM, and a DMA copy into it is what C reads", async () => {
    const sim = await createSimulation({ target: 'esp32s3' });
    const psram = (sim.memory as MemoryMap).regions.find((r) => r.kind === 'psram')!;
    const app = await sim.loadApp(bytes('memoryShare'));
    const copies: unknown[] = [];
    sim.bus.all$.subscribe((e) => {
      if (e.type === 'copy-done') copies.push(e.data);
    });
    app.start();
    await sim.run();
    const texts = app.output.map((o) => o.text);
    const p = Number.parseInt(/^spiram 0x([0-9a-f]+)$/.exec(texts[1]!)![1]!, 16);
    const a = app.address(p);
    expect(a).to.be.within(psram.base, psram.base + psram.size - 64);
    expect(copies).to.have.length(1);
    expect((copies[0] as { dst: number }).dst).to.equal(a);
    expect(texts[2]).to.equal('psram copy ok');
    expect([...sim.memory.read(a, 4)]).to.deep.equal([0, 1, 2, 3]);
  });

  it('the async memcpy test cases, built per target with its SOC_ macros, pass on esp32c6, esp32s3, esp32s2 and esp32p4', async () => {
    const expected: Record<string, string> = {
      esp32c6: '8 passed, 0 failed', // AHB GDMA v1: the burst-alignment case is compiled in
      esp32s3: '8 passed, 0 failed', // PSRAM: MALLOC_CAP_SPIRAM allocates
      esp32s2: '7 passed, 0 failed', // CP DMA
      esp32p4: '7 passed, 0 failed', // AHB GDMA v2: no burst alignment
    };
    const conf = (await import('../sim.config.js')).default;
    const { findTarget } = await import('../core/config/config.js');
    const { socDefines } = await import('./soc-caps.js');
    for (const [target, summary] of Object.entries(expected)) {
      const out = join(dir, `memcpy-${target}.wasm`);
      const def = findTarget(conf, target);
      const r = compileC([join(repoRoot, 'examples/c/async_memcpy_test.c')], out, {
        target,
        targetDefines: socDefines(def),
      });
      expect(r.ok, r.output).to.equal(true);
      const rs = await runUnityTests(readFileSync(out), { target });
      expect(failures(rs), target).to.deep.equal([]);
      expect(unitySummary(rs), target).to.equal(summary);
      if (target === 'esp32c6') {
        const other = await createSimulation({ target: 'esp32c3' });
        let refusal = '';
        await loadApp(other, readFileSync(out)).catch((e: Error) => {
          refusal = e.message;
        });
        expect(refusal).to.match(/built for esp32c6 \(soc-fabric cc --target esp32c6\), not for esp32c3/);
      }
    }
  });

  it('on a target without async memcpy (esp32), installing fails with ESP_ERR_NOT_SUPPORTED', async () => {
    const rs = await unity('memcpyTests', 'esp32');
    const first = rs.find((r) => r.name.startsWith('memory copy the same buffer'))!;
    expect(first.passed).to.equal(false);
    expect(first.message).to.match(/Expected ESP_OK Was ESP_ERR_NOT_SUPPORTED .*esp_async_memcpy_install/);
  });

  it('a C copy loop completes at the same picoseconds as the same loop in TypeScript', async () => {
    const sim = await createSimulation({ target: 'esp32c6' });
    const c = record(sim, ['async-memcpy']);
    const app = await loadApp(sim, bytes('memcpyTimes'));
    app.start();
    await sim.run();
    expect(app.exit).to.deep.equal({ status: 0 });

    const ts = await createSimulation({ target: 'esp32c6' });
    const t = record(ts, ['async-memcpy']);
    ts.spawn('app', async () => {
      const drv = ts.get(AsyncMemcpy).install({ backlog: 8, dmaBurstSize: 16 });
      const src = ts.memory.alloc(5000, { caps: ['dma'] });
      const dst = ts.memory.alloc(5000, { caps: ['dma'] });
      for (const n of [64, 1000, 4096, 5000]) {
        await drv.memcpy(dst, src, n);
        await ts.delay(us(3));
      }
    });
    await ts.run();
    expect(c.filter((e) => e[2] === 'copy-done')).to.have.length(4);
    expect(c).to.deep.equal(t);
  });

  it('async_memcpy_eof_event: COPY_DONE toggles the GPIO through ETM 19 times (esp32c6); no ETM on esp32c3', async () => {
    const c6 = await unity('memcpyEtm', 'esp32c6');
    expect(failures(c6)).to.deep.equal([]);
    expect(unitySummary(c6)).to.equal('1 passed, 0 failed');
    expect(c6[0]!.output.map((o) => o.text)).to.include('channel 0: event 141 ==> task 17');
    const c3 = await unity('memcpyEtm', 'esp32c3');
    expect(c3[0]!.message).to.match(/ESP_ERR_NOT_SUPPORTED .*esp_etm_new_channel/);
  });

  it('GPTimer alarm -> ETM -> GPIO toggles at the instants the TypeScript chain gives; the alarm ISR wakes a task', async () => {
    const rs = await unity('timerChain', 'esp32c6');
    expect(failures(rs)).to.deep.equal([]);
    // the same chain driven from TypeScript
    const sim = await createSimulation({ target: 'esp32c6' });
    const ts = record(sim, ['gpio', 'gptimer', 'etm']);
    sim.spawn('app', async () => {
      const timer = sim.get(GpTimer).newTimer({ resolutionHz: 1_000_000, direction: 'up' });
      const alarm = timer.newEtmEvent('alarm-match');
      const enAlarm = timer.newEtmTask('en-alarm');
      const toggle = sim.get(Gpio).newEtmTask('toggle');
      toggle.addGpio(4);
      const etm = sim.get(Etm);
      const a = etm.newChannel();
      const b = etm.newChannel();
      a.connect(alarm, toggle);
      b.connect(alarm, enAlarm);
      a.enable();
      b.enable();
      timer.setAlarmAction({ alarmCount: 100, reloadCount: 0, autoReloadOnAlarm: true });
      timer.enable();
      timer.start();
      await sim.delay(us(450));
      timer.stop();
    });
    await sim.run();
    const c = await createSimulation({ target: 'esp32c6' });
    const ce = record(c, ['gpio', 'gptimer', 'etm']);
    const app = await loadApp(c, bytes('timerChain'));
    app.startTest(0);
    await c.run();
    expect(app.exit?.status).to.equal(0);
    expect(ce.filter((e) => e[1] === 'gpio')).to.have.length(4);
    expect(ce).to.deep.equal(ts);
  });

  it('SPI loopback with DMA: the bytes come back, and the transaction ends when the TypeScript one does', async () => {
    const rs = await unity('spi', 'esp32c6');
    expect(failures(rs)).to.deep.equal([]);
    expect(unitySummary(rs)).to.equal('3 passed, 0 failed');
    const c = await createSimulation({ target: 'esp32c6' });
    const ce = record(c, ['spi']);
    const app = await loadApp(c, bytes('spi'));
    app.startTest(0);
    await c.run();
    const sim = await createSimulation({ target: 'esp32c6' });
    const ts = record(sim, ['spi']);
    sim.spawn('app', async () => {
      const bus = sim.get(Spi).busInitialize('SPI2', { maxTransferSize: 4096, dma: 'auto', loopback: true });
      const dev = bus.addDevice({ clockSpeedHz: 10_000_000, mode: 0, queueSize: 4 });
      const tx = sim.memory.alloc(256, { caps: ['dma'] });
      const rx = sim.memory.alloc(256, { caps: ['dma'] });
      await dev.transmit({ tx, rx, length: 256 });
      await dev.pollingTransmit({ tx, rx, length: 256 });
    });
    await sim.run();
    expect(ts.length).to.be.greaterThan(0);
    expect(ce.slice(0, ts.length)).to.deep.equal(ts);
  });

  it('the Zephyr dma_config/dma_start loop transfer runs on esp32c6 and is ignored where there is no GDMA', async () => {
    const rs = await unity('zephyr', 'esp32c6');
    expect(failures(rs)).to.deep.equal([]);
    expect(unitySummary(rs)).to.equal('2 passed, 0 failed');
    expect(unitySummary(await unity('zephyr', 'esp32s2'))).to.equal('0 passed, 0 failed, 2 ignored');
  });

  it('tasks, queues and notifications block in simulated time, and a second run gives the same events', async () => {
    const once = async (): Promise<{ out: [number, string][]; events: [number, string, string][] }> => {
      const sim = await createSimulation({ target: 'esp32c6', seed: 7 });
      const events = record(sim, ['async-memcpy', 'gdma']);
      const app = await loadApp(sim, bytes('tasks'));
      app.start();
      await sim.run();
      expect(app.exit).to.deep.equal({ status: 0 });
      return { out: app.output.map((o) => [o.time, o.text]), events };
    };
    const a = await once();
    const b = await once();
    expect(b).to.deep.equal(a);
    const texts = a.out.map((o) => o[1]);
    expect(texts.filter((t) => t.includes('data ok'))).to.have.length(3);
    expect(texts.filter((t) => / got \d/.test(t)).map((t) => / got (\d)/.exec(t)![1])).to.deep.equal([
      '0',
      '1',
      '2',
      '3',
      '4',
    ]);
    expect(a.out.find((o) => o[1].includes('producer done'))![0]).to.equal(us(50_000));
    expect(a.out.at(-1)).to.deep.equal([us(100_000), 'I (100) tasks: all done']);
  });

  it('the program ends when its last task ends, even by vTaskDelete(NULL) after app_main returned', async () => {
    const sim = await createSimulation({ target: 'esp32c6' });
    const app = await sim.loadApp(bytes('tasksDelete'));
    app.start();
    await sim.run();
    expect(app.exit).to.deep.equal({ status: 0 });
    expect(app.output.map((o) => [o.time, o.text])).to.deep.equal([
      [0, 'main returns'],
      [us(30_000), 'worker 3 done'],
      [us(70_000), 'worker 7 done'],
    ]);
    expect(app.liveTasks()).to.deep.equal([]);
  });

  it('ESP_ERROR_CHECK, a trap, exit() and a blocking call in an ISR end the program with a status and a message', async () => {
    const conf = (await import('../sim.config.js')).default;
    const run = (p: Program) => runApp(conf, wasm[p], { target: 'esp32c6' });
    const ec = await run('errorCheck');
    expect(ec.exit?.status).to.equal(1);
    expect(ec.exit?.message).to.match(
      /^ESP_ERROR_CHECK failed: esp_err_t 0x102 \(ESP_ERR_INVALID_ARG\) in uninstall_twice\(\) at .*error_check\.c:13: esp_async_memcpy_uninstall\(driver\) at 30ms in task main/,
    );
    const trap = await run('trap');
    expect(trap.exit?.status).to.equal(134);
    expect(trap.exit?.message).to.match(/^trap: .* in dispatch <- app_main at 10ms in task main$/);
    expect((await run('exitStatus')).exit).to.deep.equal({ status: 3 });
    const isr = await run('isrBlock');
    expect(isr.exit?.message).to.match(
      /^vTaskDelay called from ISR context \(a callback\), where it must not block at [\d.]+us/,
    );
  });

  it('Unity results: a failed assertion names file and line, an ignored test, a test that never finishes', async () => {
    const rs = await unity('unityMixed', 'esp32c6');
    expect(unitySummary(rs)).to.equal('1 passed, 2 failed, 1 ignored');
    expect(rs[1]!.message).to.match(/unity_mixed\.c:7: Expected 0x10 Was 0x20/);
    expect(rs[3]!.message).to.equal('did not finish: nothing left to run (tasks blocked: main in xSemaphoreTake)');
  });

  it('loadApp refuses what it cannot run with the ESP-IDF code and a message, and changes nothing then', async () => {
    const refusal = async (sim: Simulation, wasmBytes: Uint8Array): Promise<string> => {
      try {
        await loadApp(sim, wasmBytes);
        return 'loaded';
      } catch (e) {
        return `${(e as { code?: number }).code}: ${(e as Error).message}`;
      }
    };
    const sim = await createSimulation({ target: 'esp32c6' });
    const a = sim.memory.alloc(16, { caps: ['dma'] });
    sim.memory.write(a, Uint8Array.of(1, 2, 3));
    expect(await refusal(sim, Uint8Array.of(0, 1, 2))).to.match(/^258: .*not a WebAssembly module/);
    expect(await refusal(sim, bytes('hello'))).to.match(
      /^259: .*sram already has allocations; load the program before allocating memory/,
    );
    expect([...sim.memory.read(a, 3)]).to.deep.equal([1, 2, 3]);
    const fresh = await createSimulation({ target: 'esp32c6' });
    await loadApp(fresh, bytes('hello'));
    expect(await refusal(fresh, bytes('hello'))).to.match(/^259: .*already runs a program/);
  });

  it('a call the kit does not implement fails to link, naming the function', () => {
    const r = compileC([join(repoRoot, 'test-fixtures/c/undefined_call.c')], join(dir, 'undefined.wasm'));
    expect(r.ok).to.equal(false);
    expect(r.output).to.match(/undefined symbol: esp_wifi_start \(soc-fabric does not implement esp_wifi_start\)/);
  });

  it("the CLI: soc-fabric cc, run --app (exit status = the program's) and test (N passed, N failed)", async () => {
    const out = join(dir, 'cli-hello.wasm');
    expect((await cli('cc', join(repoRoot, PROGRAMS.hello), '-o', out)).code).to.equal(0);
    const run = await cli('run', '--app', out, '--target', 'esp32c6');
    expect(run.code).to.equal(0);
    expect(run.out).to.include('        60ms  done');
    expect((await cli('run', '--app', wasm.exitStatus, '--target', 'esp32c6')).code).to.equal(3);
    const vcd = join(dir, 'tasks.vcd');
    expect((await cli('run', '--app', wasm.tasks, '--target', 'esp32c6', '--vcd', vcd, '--quiet')).code).to.equal(0);
    const text = readFileSync(vcd, 'utf8');
    expect(text).to.match(/\$scope module gdma \$end/);
    expect(text).to.match(/#100000000000\b/); // stamped to the end of the run, 100 ms
    // --check as for scenarios: on esp32c3 async memcpy takes trigger ID 0, SPI2's (ESP-IDF #10575), but this
    // program never initialises SPI2, so nothing is refused and the run is clean; the summary shows checks ran
    const checked = await cli('run', '--app', wasm.memcpyTimes, '--target', 'esp32c3', '--check');
    expect(checked.code).to.equal(0);
    expect(checked.out).to.include('finding summary: 0 finding(s), 0 error(s)');
    const unchecked = await cli('run', '--app', wasm.memcpyTimes, '--target', 'esp32c3');
    expect(unchecked.out.some((l) => l.startsWith('finding'))).to.equal(false);
    const test = await cli('test', wasm.unityMixed, '--target', 'esp32c6');
    expect(test.code).to.equal(1);
    expect(test.out.at(-1)).to.equal('1 passed, 2 failed, 1 ignored');
    const bad = await cli('cc', join(repoRoot, 'test-fixtures/c/undefined_call.c'), '-o', join(dir, 'x.wasm'));
    expect(bad.code).to.equal(1);
    expect(bad.err.join('\n')).to.include('esp_wifi_start');
  });
});
