#!/usr/bin/env node
import 'reflect-metadata';
import { runCli } from './program.js';

// Ctrl-C: the first stops the run (traces closed, exit 130); a second one ends the process at once.
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(130);
  process.stderr.write('\nsoc-fabric: Ctrl-C: stopping the run and closing its traces (Ctrl-C again to quit at once)\n');
  interrupt.abort();
});

const code = await runCli(process.argv.slice(2), {
  signal: interrupt.signal,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  tty: process.stderr.isTTY ? { write: (t) => process.stderr.write(t), columns: process.stderr.columns } : undefined,
});
process.exitCode = code;
