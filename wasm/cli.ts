import { readFileSync } from 'node:fs';
import { type Command, CommanderError, InvalidArgumentError } from 'commander';
import { loadDefaultConfig } from '../create-simulation.js';
import { parseTime, formatTime } from '../core/time.js';
import { type SimConfig } from '../core/config/config.js';
import { loadConfigFile } from '../core/config/load-config.js';
import { compileC } from './toolchain.js';
import { socDefines } from './soc-caps.js';
import { findTarget } from '../core/config/config.js';
import { runApp, type RunAppOptions } from './run-app.js';
import { runUnityTests, unityLine, unitySummary } from './unity.js';

import type { CliIo } from '../cli/io.js';

const collect = (v: string, prev: string[]): string[] => [...prev, v];
const loadConfig = (path: string | undefined): Promise<SimConfig> =>
  path === undefined ? loadDefaultConfig() : loadConfigFile(path);

function parseUntil(v: string): number {
  const t = parseTime(v);
  if (t === undefined || t <= 0) throw new InvalidArgumentError('expected a positive time such as 10ms, 250us or 1s');
  return t;
}

/** `soc-fabric cc` and `soc-fabric test`: compile C programs for the model, and run their Unity tests. */
export function registerCCommands(program: Command, io: CliIo): void {
  program
    .command('cc')
    .description('compile C programs (ESP-IDF/FreeRTOS/Zephyr DMA API) to WebAssembly for run --app and test')
    .argument('<sources...>', 'C files')
    .requiredOption('-o, --output <file>', 'the .wasm file to write')
    .option('-D, --define <name[=value]>', 'a preprocessor definition (repeatable)', collect, [])
    .option('-I, --include <dir>', 'an include folder (repeatable)', collect, [])
    .option('-O, --optimize <level>', 'optimization level: 0, 1, 2, 3 or s', '2')
    .option('--target <name>', 'build for this target only: its CONFIG_IDF_TARGET_* and SOC_* macros are defined')
    .option('--config <file>', 'configuration file (sim.config.ts) where --target is looked up')
    .action(
      async (
        sources: string[],
        o: { output: string; define: string[]; include: string[]; optimize: string; target?: string; config?: string },
      ) => {
        if (!['0', '1', '2', '3', 's'].includes(o.optimize))
          throw new InvalidArgumentError(`-O ${o.optimize}: expected 0, 1, 2, 3 or s`);
        const level = (o.optimize === 's' ? 's' : Number(o.optimize)) as 0 | 1 | 2 | 3 | 's';
        const def = o.target === undefined ? undefined : findTarget(await loadConfig(o.config), o.target);
        const r = compileC(sources, o.output, {
          defines: o.define,
          includes: o.include,
          optimize: level,
          target: def?.name,
          targetDefines: def ? socDefines(def) : undefined,
        });
        for (const line of r.output.split('\n')) if (line) io.err(line);
        if (!r.ok) throw new CommanderError(1, 'soc-fabric.cc', 'compilation failed');
      },
    );

  program
    .command('test')
    .description('run the Unity TEST_CASEs of a program built by soc-fabric cc, each in a fresh simulation')
    .argument('<app>', 'the .wasm file')
    .option('--config <file>', 'configuration file (sim.config.ts)')
    .option('--target <name>', "target to run on (default: the config's default target)")
    .option('--seed <n>', "seed of the simulation's PRNG", (v) => Number(v))
    .option('--filter <text>', 'only tests whose name contains this')
    .option('--until <time>', 'simulated time a test may take (default 10s)', parseUntil)
    .option('--quiet', "print only the results, not the tests' output")
    .action(
      async (
        app: string,
        o: { config?: string; target?: string; seed?: number; filter?: string; until?: number; quiet?: boolean },
      ) => {
        const config = await loadConfig(o.config);
        const target = o.target ?? config.defaultTarget ?? config.targets[0]?.name ?? 'esp32c6';
        const results = await runUnityTests(readFileSync(app), {
          target,
          config,
          seed: o.seed,
          filter: o.filter,
          limitPs: o.until,
          onResult: (r) => {
            if (!o.quiet) for (const line of r.output) io.out(`${formatTime(line.time).padStart(12)}  ${line.text}`);
            io.out(unityLine(r));
          },
        });
        io.out('-----------------------');
        io.out(unitySummary(results));
        if (results.some((r) => !r.passed && !r.ignored))
          throw new CommanderError(1, 'soc-fabric.test', 'tests failed');
      },
    );
}

/** `soc-fabric run --app FILE`: runs the program; the exit code is the program's status (1 if it never ended cleanly). */
export async function runAppCommand(
  config: SimConfig,
  path: string,
  opts: RunAppOptions & { quiet?: boolean; json?: boolean },
  io: CliIo,
): Promise<void> {
  const out = opts.json
    ? undefined
    : opts.quiet
      ? (l: string) => {
          if (l.startsWith('done: ')) io.out(l);
        }
      : io.out;
  const r = await runApp(config, path, opts, out);
  if (opts.json) io.out(JSON.stringify(r));
  const status = r.exit?.status ?? 0;
  if (status !== 0) throw new CommanderError(status, 'soc-fabric.app', r.exit?.message ?? `exit status ${status}`);
  const errors = r.findings.filter((f) => f.severity === 'error').length;
  if (errors > 0) throw new CommanderError(1, 'soc-fabric.findings', `${errors} error finding(s) during the run`);
}
