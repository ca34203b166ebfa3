#!/usr/bin/env node
import 'reflect-metadata';
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  tty: process.stderr.isTTY ? { write: (t) => process.stderr.write(t), columns: process.stderr.columns } : undefined,
});
process.exitCode = code;
