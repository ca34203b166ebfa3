#!/usr/bin/env node
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type { CliIo } from './io.js';

type RunCli = (argv: string[], io: CliIo) => Promise<number>;

const here = dirname(fileURLToPath(import.meta.url));
const bundle = join(here, 'program.bundle.cjs');
const argv = process.argv.slice(2);
/** The commands the bundle runs. */
const BUNDLED = new Set(['targets', 'scenarios', 'run']);

/**
 * Cold start. The commands on the package's own config run from one bundled file (scripts/bundle-cli.mjs)
 * compiled with a V8 code cache kept beside it: reading and compiling some 450 modules is most of a cold
 * start. A user's config (--config) imports 'soc-fabric', and its plugins and tokens must be the very modules
 * the CLI runs, so that path, and a package without the bundle, take the unbundled modules (as does any
 * command with SOC_FABRIC_NO_BUNDLE=1 in the environment: the cold-start bench's baseline).
 */
async function loadCli(): Promise<RunCli> {
  const userConfig = argv.some((a) => a === '--config' || a.startsWith('--config='));
  // Only the commands checked against the unbundled CLI (cli/main.test.ts) take the bundle: others (sweeps
  // start worker threads from files of their own, new plugin writes files) have no start-up to win.
  const bundled = BUNDLED.has(argv[0] ?? '');
  if (!bundled || userConfig || process.env['SOC_FABRIC_NO_BUNDLE'] === '1' || !existsSync(bundle)) {
    await import('reflect-metadata');
    return (await import('./program.js')).runCli;
  }
  const cacheFile = `${bundle}.v8cache`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    /* no cache yet */
  }
  const script = new vm.Script(
    `(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'utf8')}\n})`,
    {
      filename: bundle,
      cachedData,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    },
  );
  const mod = { exports: {} as { runCli: RunCli } };
  (script.runInThisContext() as (...a: unknown[]) => void)(mod.exports, createRequire(bundle), mod, bundle, here);
  if (cachedData === undefined || script.cachedDataRejected === true) {
    // written once per build (V8 rejects a cache of other source or flags); a read-only install just goes without
    process.once('beforeExit', () => {
      try {
        writeFileSync(cacheFile, script.createCachedData());
      } catch {
        /* read-only */
      }
    });
  }
  return mod.exports.runCli;
}

// Ctrl-C: the first stops the run (traces closed, exit 130); a second one ends the process at once.
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(130);
  process.stderr.write(
    '\nsoc-fabric: Ctrl-C: stopping the run and closing its traces (Ctrl-C again to quit at once)\n',
  );
  interrupt.abort();
});

const runCli = await loadCli();
const code = await runCli(argv, {
  signal: interrupt.signal,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  tty: process.stderr.isTTY ? { write: (t) => process.stderr.write(t), columns: process.stderr.columns } : undefined,
});
process.exitCode = code;
