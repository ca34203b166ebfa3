import { Argument, Command, CommanderError, InvalidArgumentError } from 'commander';
import type { SimConfig } from '../core/config/config.js';
import { loadConfigFile } from '../core/config/load-config.js';
import { loadDefaultConfig } from '../create-simulation.js';
import { formatTime, parseTime } from '../core/time.js';
import { InterruptedError } from '../core/errors.js';
import { TARGET_HEADER, targetRow } from './describe-target.js';
import { EXPERIMENTS } from './experiment.js';
import { scaffoldPlugin } from './new-plugin.js';
import { ProgressBar } from './progress-bar.js';
import { runScenario } from './run-scenario.js';
import { renderTable } from './table.js';
import { CALIBRATION_HEADER, calibrationTableRows, runCalibration } from '../scenarios/calibration.js';
import { registerCCommands, runAppCommand } from '../wasm/cli.js';
import { registerSweepCommands } from '../sweep/cli.js';
import type { CliIo } from './io.js';

export type { CliIo } from './io.js';

function parseUntil(v: string): number {
  const t = parseTime(v);
  if (t === undefined || t <= 0) throw new InvalidArgumentError(`expected a positive time such as 10ms, 250us or 1s`);
  if (!Number.isSafeInteger(t)) {
    throw new InvalidArgumentError(
      `${v} is past the last exact picosecond the kernel can represent (2^53 ps, about 2h30m; ${formatTime(Number.MAX_SAFE_INTEGER)})`,
    );
  }
  return t;
}

function parseSeed(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 0xffffffff) throw new InvalidArgumentError('expected an unsigned 32-bit integer');
  return n;
}

function parseTargetList(v: string): string[] {
  const names = v.split(',').map((n) => n.trim());
  if (names.some((n) => n === ''))
    throw new InvalidArgumentError('expected target names separated by commas, such as esp32c3,esp32s3');
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new InvalidArgumentError(`target "${dup}" is listed twice`);
  return names;
}

function parseJobs(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('expected a whole number >= 1');
  return Number(v);
}

interface RunCliOptions {
  config?: string;
  target?: string;
  scenario?: string;
  until?: number;
  seed?: number;
  vcd?: string;
  trace?: string;
  quiet?: boolean;
  json?: boolean;
  check?: boolean | string;
  cache?: boolean;
  app?: string;
}

/** `--check` alone runs every checker; `--check dma,etm.loop` selects rules, prefixes or checkers. */
function checksOf(check: boolean | string | undefined): boolean | string[] | undefined {
  if (check === undefined || check === false) return undefined;
  if (check === true) return true;
  return check
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** With --quiet only the summary (and fault lines) get through. */
const quietOut =
  (out: (line: string) => void) =>
  (line: string): void => {
    if (line.startsWith('done: ') || line.startsWith('fault at ') || line.startsWith('finding ')) out(line);
  };

const loadConfig = (path: string | undefined): Promise<SimConfig> =>
  path === undefined ? loadDefaultConfig() : loadConfigFile(path);

/** The `soc-fabric` command line. Errors print one line on stderr; the exit code is non-zero. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('soc-fabric')
    .description('Simulate DMA-centred ESP32-family SoCs: DMA, ETM, SPI, GPIO and timers in simulated time')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showSuggestionAfterError(true);

  program
    .command('run')
    .description('run a scenario of the config (default: its default scenario)')
    .option('--config <file>', 'configuration file (sim.config.ts)')
    .option('--target <name>', "target to run on (default: the scenario's)")
    .option('--scenario <name>', "scenario to run (default: the config's default)")
    .option('--until <time>', 'stop at this simulated time (10ms, 250us, ...)', parseUntil)
    .option('--seed <n>', "seed of the simulation's PRNG", parseSeed)
    .option('--vcd <file>', 'write a VCD waveform of the run (timescale 1 ps)')
    .option('--trace <file>', 'write a Chrome/Perfetto trace of the run (JSON)')
    .option('--quiet', 'print only the summary line')
    .option('--json', 'print one JSON object with the timeline and the summary, nothing else')
    .option(
      '--check [rules]',
      'run the diagnostics checkers (all, or a comma-separated list of rules / checkers); print the findings; exit 1 on an error',
    )
    .option(
      '--cache',
      'run with the data cache coherency model (targets with caps.cache: PSRAM behind a write-back cache)',
    )
    .option('--app <file>', 'run a C program built by soc-fabric cc (its app_main) instead of a scenario')
    .action(async (o: RunCliOptions) => {
      const config = await loadConfig(o.config);
      if (o.app !== undefined) return runAppCommand(config, o.app, { ...o, checks: checksOf(o.check) }, io);
      const tty = io.tty;
      const progress =
        tty && !o.quiet && !o.json
          ? new ProgressBar({ untilPs: o.until, write: (t) => tty.write(t), columns: tty.columns })
          : undefined;
      const { check, ...rest } = o;
      const r = await runScenario(
        config,
        { ...rest, checks: checksOf(check), progress, signal: io.signal },
        o.json ? undefined : o.quiet ? quietOut(io.out) : io.out,
      );
      if (o.json) io.out(JSON.stringify(r));
      const errors = r.findings.filter((f) => f.severity === 'error').length;
      if (errors > 0) throw new CommanderError(1, 'soc-fabric.findings', `${errors} error finding(s) during the run`);
      if (r.faults.length > 0)
        throw new CommanderError(1, 'soc-fabric.faults', `${r.faults.length} fault(s) during the run`);
    });

  program
    .command('experiment')
    .description('run an experiment across targets and print its results (--svg: also draw them)')
    .addArgument(
      new Argument(
        '<name>',
        Object.entries(EXPERIMENTS)
          .map(([n, e]) => `${n}: ${e.description}`)
          .join('; '),
      ).choices(Object.keys(EXPERIMENTS)),
    )
    .option('--config <file>', 'configuration file (sim.config.ts)')
    .option(
      '--targets <list>',
      'targets of the config, comma-separated (default: those faithful to silicon)',
      parseTargetList,
    )
    .option('--svg <file>', "write the experiment's chart to this file (SVG)")
    .option('--jobs <n>', 'worker threads for its sweep (default: the available cores)', parseJobs)
    .action(async (name: string, o: { config?: string; targets?: string[]; svg?: string; jobs?: number }) => {
      const config = await loadConfig(o.config);
      await EXPERIMENTS[name]!.run(
        config,
        { svg: o.svg, targets: o.targets, configPath: o.config, jobs: o.jobs },
        io.out,
      );
    });

  program
    .command('calibrate')
    .description(
      'run every published figure the kit is fitted to (8 ESP32-S3 copies, 24 SPI transactions) and print published vs kit vs error',
    )
    .option('--json', 'print the same as one JSON array of rows')
    .action(async (o: { json?: boolean }) => {
      const rows = await runCalibration();
      if (o.json) {
        io.out(JSON.stringify(rows));
        return;
      }
      io.out(renderTable(CALIBRATION_HEADER, calibrationTableRows(rows)));
      const worst = (kind: 'copy' | 'spi') =>
        Math.max(...rows.filter((r) => r.kind === kind).map((r) => Math.abs(r.errorPct)));
      io.out(
        `largest error: copies ${worst('copy').toFixed(2)}% (tolerance ${rows.find((r) => r.kind === 'copy')!.tolerancePct}%), ` +
          `SPI ${worst('spi').toFixed(2)}% (tolerance ${rows.find((r) => r.kind === 'spi')!.tolerancePct}%); ! marks a figure outside its tolerance`,
      );
    });

  program
    .command('targets')
    .description('list the targets of the config and their capabilities')
    .option('--config <file>', 'configuration file (sim.config.ts)')
    .action(async (o: { config?: string }) => {
      const config = await loadConfig(o.config);
      io.out(renderTable(TARGET_HEADER, config.targets.map(targetRow)));
    });

  program
    .command('scenarios')
    .description('list the scenarios of the config')
    .option('--config <file>', 'configuration file (sim.config.ts)')
    .action(async (o: { config?: string }) => {
      const config = await loadConfig(o.config);
      const rows = (config.scenarios ?? []).map((s) => [
        s.name + (s.name === config.defaultScenario ? ' (default)' : ''),
        s.target ?? config.defaultTarget ?? '-',
        s.description,
      ]);
      io.out(renderTable(['scenario', 'target', 'description'], rows));
    });

  const create = program.command('new').description('create something from a template');
  create
    .command('plugin <name>')
    .description('write a plugin folder (module, token, service, test) that builds and passes its test as generated')
    .option('--dir <dir>', 'folder to create it in (default: the current folder)')
    .option('--dma', 'a peripheral that streams frames through a GDMA RX channel on its own trigger')
    .action(async (name: string, o: { dir?: string; dma?: boolean }) => {
      const files = await scaffoldPlugin(name, o.dir, { dma: o.dma === true });
      for (const f of files) io.out(`created ${f}`);
    });

  registerCCommands(program, io);
  registerSweepCommands(program, io);
  return program;
}

/** Runs the CLI on `argv` (without node and script); resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander has already printed its own one-line message, except for our own errors
      if (e.code === 'soc-fabric.faults' || e.code === 'soc-fabric.findings') io.err(`soc-fabric: ${e.message}`);
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help'
        ? 0
        : e.exitCode || 1;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.err(`soc-fabric: ${msg.split('\n')[0]}`);
    // 128 + SIGINT, as a shell reports a process Ctrl-C ended
    return e instanceof InterruptedError ? 130 : 1;
  }
}
