import type { EventRef, Experiment, TaskRef } from './experiment.js';
import { deriveTarget, EXPORTED_TARGETS } from './targets.js';
import { checkReferences, DESC_BYTES } from './apply.js';

/** A TypeScript literal of plain data (JSON is valid TypeScript). */
const lit = (v: unknown): string => JSON.stringify(v);

/**
 * The experiment as a sim.config.ts that `soc-fabric run --config FILE --until T --seed N` runs to the same
 * events: the same steps as apply.ts, written out with the kit's public API (imports from 'soc-fabric' only).
 */
export function experimentSnippet(x: Experiment, url?: string): string {
  if (x.scenario === undefined) checkReferences(x);
  const derived = deriveTarget(x);
  const imports = new Set<string>(['defineConfig', 'type Scenario']);
  const head: string[] = [];
  const lines: string[] = [];
  const emit = (s: string): void => {
    lines.push(`    ${s}`);
  };

  // the target: a built-in one by name, or the base with the playground's changes
  let baseExpr: string;
  if (EXPORTED_TARGETS.has(x.target)) {
    imports.add(x.target);
    baseExpr = x.target;
  } else {
    imports.add('loadDefaultConfig');
    head.push(
      `const kit = await loadDefaultConfig();`,
      `const base = kit.targets.find((t) => t.name === ${lit(x.target)})!;`,
    );
    baseExpr = 'base';
  }
  let targetExpr = baseExpr;
  let targetName = x.target;
  if (derived) {
    imports.add('extendTarget');
    const plugins =
      derived.plugins === 'add-etm'
        ? '\n  plugins: (p) => [...p, etm()],'
        : derived.plugins === 'remove-etm'
          ? "\n  plugins: (p) => p.filter((q) => q.name !== 'etm'),"
          : '';
    if (derived.plugins === 'add-etm') imports.add('etm');
    head.push(
      `const target = extendTarget(${baseExpr}, {`,
      `  name: ${lit(derived.name)},`,
      `  description: ${lit(derived.description)},` + plugins,
      `  caps: ${lit(derived.caps)},`,
      `  beyondSilicon: ${lit(derived.beyondSilicon)},`,
      '});',
    );
    targetExpr = 'target';
    targetName = derived.name;
  }
  const run = `soc-fabric run --config sim.config.ts${x.untilUs === null ? '' : ` --until ${x.untilUs}us`} --seed ${x.seed}`;

  if (x.scenario !== undefined) {
    imports.add('loadDefaultConfig');
    if (!head.some((l) => l.startsWith('const kit'))) head.unshift('const kit = await loadDefaultConfig();');
    return [
      `// soc-fabric playground experiment${url ? `: ${url}` : ''}`,
      `// Run it: ${run}`,
      `import { ${[...imports]
        .filter((i) => i !== 'type Scenario')
        .sort()
        .join(', ')} } from 'soc-fabric';`,
      '',
      ...head,
      '',
      'export default defineConfig({',
      `  targets: ${derived ? `[...kit.targets, ${targetExpr}]` : 'kit.targets'},`,
      '  scenarios: kit.scenarios,',
      `  defaultTarget: ${lit(targetName)},`,
      `  defaultScenario: ${lit(x.scenario)},`,
      '});',
      '',
    ].join('\n');
  }

  const need = (name: string): string => {
    imports.add(name);
    return name;
  };
  const pattern = (v: string, n: number): string =>
    `sim.memory.write(${v}, new Uint8Array(${n}).map((_, i) => (i * 13 + 7) & 0xff));`;
  x.pins.forEach((p) => emit(`sim.get(${need('Gpio')}).setLevel(${p.pin}, ${p.level});`));
  x.gdma.forEach((g, i) => {
    emit(
      `// GDMA memory-to-memory transfer ${i}: ${g.bytes} B, started ${g.atUs === null ? 'by the ETM' : `by the CPU at ${g.atUs} us`}`,
    );
    emit(`const dma${i} = (() => {`);
    emit(`  const dma = sim.get(${need('GdmaDriver')});`);
    emit(`  const dm = new ${need('DescriptorMemory')}(sim.get(${need('Core')}.Memory));`);
    emit(`  const src = sim.memory.alloc(${g.bytes}, { caps: ['dma'] });`);
    emit(`  const dst = sim.memory.alloc(${g.bytes}, { caps: ['dma'] });`);
    emit(`  ${pattern('src', g.bytes)}`);
    const descs = Math.ceil(g.bytes / DESC_BYTES);
    emit(`  const txd = sim.memory.alloc(${12 * descs}, { caps: ['dma', 'internal'], align: 4 });`);
    emit(`  const rxd = sim.memory.alloc(${12 * descs}, { caps: ['dma', 'internal'], align: 4 });`);
    emit(`  ${need('writeLinearList')}(dm, txd, src, ${g.bytes}, ${DESC_BYTES}, true);`);
    emit(`  writeLinearList(dm, rxd, dst, ${g.bytes}, ${DESC_BYTES}, false);`);
    emit('  const { tx, rx } = dma.newChannelPair({ m2m: true });');
    emit('  const mask = dma.freeM2mTriggerMask();');
    emit('  const trig = 31 - Math.clz32(mask & -mask);');
    emit('  tx.connect({ m2m: trig });');
    emit('  rx.connect({ m2m: trig });');
    emit(
      '  for (const c of [tx, rx]) { c.applyStrategy({ ownerCheck: true, autoUpdateDesc: true }); c.configTransfer({ maxDataBurstSize: 16 }); }',
    );
    emit('  tx.setDescriptorAddr(txd);');
    emit('  rx.setDescriptorAddr(rxd);');
    emit('  return { dma, tx, rx, txd, rxd };');
    emit('})();');
  });
  const memcpy = x.copies.length > 0 || x.channels.some((c) => c.event.kind === 'memcpy-done');
  if (memcpy) {
    emit(`const memcpy = sim.get(${need('AsyncMemcpy')}).install();`);
    x.copies.forEach((c, i) => {
      emit(
        `const copy${i} = { src: sim.memory.alloc(${c.bytes}, { caps: ['dma'], align: 4 }), dst: sim.memory.alloc(${c.bytes}, { caps: ['dma'], align: 4 }) };`,
      );
      emit(pattern(`copy${i}.src`, c.bytes));
    });
  }
  if (x.spi.length > 0) {
    emit(`const spiBus = sim.get(${need('Spi')}).busInitialize('SPI2', { loopback: true });`);
    x.spi.forEach((s, i) => {
      emit(`const spiDev${i} = spiBus.addDevice({ clockSpeedHz: ${s.clockHz} });`);
      emit(
        `const spi${i} = { tx: sim.memory.alloc(${s.bytes}, { caps: ['dma'], align: 4 }), rx: sim.memory.alloc(${s.bytes}, { caps: ['dma'], align: 4 }), length: ${s.bytes} };`,
      );
      emit(pattern(`spi${i}.tx`, s.bytes));
      if (s.atUs === null) emit(`spiDev${i}.prepareEtmTransaction(spi${i});`);
    });
  }
  x.timers.forEach((t, i) => {
    emit(`const timer${i} = sim.get(${need('GpTimer')}).newTimer({ resolutionHz: ${t.resolutionHz} });`);
    emit(
      `timer${i}.setAlarmAction({ alarmCount: ${t.alarmCount}, reloadCount: 0, autoReloadOnAlarm: ${t.autoReload} });`,
    );
    emit(`timer${i}.enable();`);
  });
  const events = new Map<string, string>();
  const tasks = new Map<string, string>();
  x.channels.forEach((c, i) => {
    if (i === 0) emit(`const etm = sim.get(${need('Etm')});`);
    const ek = JSON.stringify(c.event);
    if (!events.has(ek)) {
      const v = `event${events.size}`;
      emit(`const ${v} = ${eventExpr(c.event, need)};`);
      events.set(ek, v);
    }
    const tk = JSON.stringify(c.task);
    if (!tasks.has(tk)) {
      const v = `task${tasks.size}`;
      emit(`const ${v} = ${taskExpr(c.task, need)};`);
      tasks.set(tk, v);
    }
    emit(`const ch${i} = etm.newChannel();`);
    emit(`ch${i}.connect(${events.get(ek)!}, ${tasks.get(tk)!});`);
    emit(`ch${i}.enable();`);
  });
  x.timers.forEach((t, i) => {
    if (t.start === 'cpu') emit(`timer${i}.start();`);
  });
  x.gdma.forEach((g, i) => {
    if (g.atUs === null) return;
    emit(`sim.spawn('gdma${i}', async () => {`);
    emit(`  await sim.delay(${need('us')}(${g.atUs}));`);
    emit(`  dma${i}.rx.start(dma${i}.rxd);`);
    emit(`  dma${i}.tx.start(dma${i}.txd);`);
    emit('});');
  });
  x.copies.forEach((c, i) => {
    emit(`sim.spawn('copy${i}', async () => {`);
    emit(`  await sim.delay(${need('us')}(${c.atUs}));`);
    emit(`  await memcpy.memcpy(copy${i}.dst, copy${i}.src, ${c.bytes});`);
    emit('});');
  });
  x.spi.forEach((s, i) => {
    if (s.atUs === null) return;
    emit(`sim.spawn('spi${i}', async () => {`);
    emit(`  await sim.delay(${need('us')}(${s.atUs}));`);
    emit(`  await spiDev${i}.transmit(spi${i});`);
    emit('});');
  });

  return [
    `// soc-fabric playground experiment${url ? `: ${url}` : ''}`,
    `// Run it: ${run}`,
    `import { ${[...imports]
      .filter((i) => i !== 'type Scenario')
      .sort()
      .join(', ')}, type Scenario } from 'soc-fabric';`,
    '',
    ...head,
    ...(head.length ? [''] : []),
    'const playground: Scenario = {',
    "  name: 'playground',",
    "  description: 'composed in the soc-fabric playground',",
    `  target: ${lit(targetName)},`,
    '  setup(sim) {',
    ...lines,
    '  },',
    '};',
    '',
    'export default defineConfig({',
    `  targets: [${targetExpr}],`,
    '  scenarios: [playground],',
    `  defaultTarget: ${lit(targetName)},`,
    "  defaultScenario: 'playground',",
    '});',
    '',
  ].join('\n');
}

function eventExpr(e: EventRef, need: (n: string) => string): string {
  switch (e.kind) {
    case 'timer-alarm':
      return `timer${e.timer}.newEtmEvent('alarm-match')`;
    case 'gdma-eof':
      return `dma${e.xfer}.dma.newEtmEvent(dma${e.xfer}.${e.dir}, 'eof')`;
    case 'gpio-edge':
      return `(() => { const e = sim.get(${need('Gpio')}).newEtmEvent(${lit(e.edge)}); e.bindGpio(${e.pin}); return e; })()`;
    case 'memcpy-done':
      return "memcpy.newEtmEvent('copy-done')";
  }
  return '';
}

function taskExpr(t: TaskRef, need: (n: string) => string): string {
  switch (t.kind) {
    case 'gdma-start':
      return `dma${t.xfer}.dma.newEtmTask(dma${t.xfer}.${t.dir}, 'start')`;
    case 'gpio':
      return `(() => { const t = sim.get(${need('Gpio')}).newEtmTask(${lit(t.action)}); t.addGpio(${t.pin}); return t; })()`;
    case 'timer-task':
      return `timer${t.timer}.newEtmTask(${lit(t.task)})`;
    case 'spi-start':
      return "spiBus.newEtmTask('start-transaction')";
  }
  return '';
}
