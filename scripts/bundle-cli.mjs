/**
 * Bundles the built CLI (dist/cli/program.js and everything it imports, dependencies included) into one
 * minified CommonJS file, dist/cli/program.bundle.cjs, which dist/cli/main.js runs for the commands on the
 * package's own config: one file to read and compile (and a V8 code cache of it) instead of some 450 modules,
 * which is most of a cold start. Run by `npm run build` after tsc; main.js falls back to the unbundled
 * modules when the bundle is missing.
 */
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  // scripts/cli-bundle-prelude.js first (the metadata polyfill, zod's jitless mode), then the CLI
  stdin: {
    contents: `import ${JSON.stringify(join(root, 'scripts', 'cli-bundle-prelude.js'))};\nexport { runCli } from './program.js';\n`,
    resolveDir: join(root, 'dist', 'cli'), sourcefile: 'cli-entry.js' },
  outfile: join(root, 'dist', 'cli', 'program.bundle.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  // tsx loads TypeScript configs: only with --config, which runs the unbundled modules
  external: ['tsx', 'tsx/*'],
  logLevel: 'warning',
  // import.meta.url is read only on the --config path (core/config/load-config.ts), never in the bundle
  logOverride: { 'empty-import-meta': 'silent' },
});
