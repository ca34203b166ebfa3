// The first module of the CLI's bundle (scripts/bundle-cli.mjs), evaluated before the kit's modules.
// The decorators' metadata polyfill, as dist/cli/main.js loads it before the unbundled modules.
import 'reflect-metadata';
import { z } from 'zod';

// The CLI parses each target and config once: compiling a parser per schema costs more than it saves.
// (This process's zod only: the bundle carries its own copy.)
z.config({ jitless: true });
