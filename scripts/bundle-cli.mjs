/**
 * Bundles the built CLI (dist/cli/program.js and everything it imports, dependencies included) into one
 * minified CommonJS file, dist/cli/program.bundle.cjs, which dist/cli/main.js runs for the commands on the
 * package's own config: one file to read and compile (and a V8 code cache of it) instead of some 450 modules,
 * which is most of a cold start. Run by `npm run build` after tsc; main.js falls back to the unbundled
 * modules when the bundle is missing.
 */
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cliDir = join(root, 'dist', 'cli');

/**
 * Gives each of the kit's modules its own import.meta.url in the bundle: the URL of its file in dist/ (worked
 * out from the bundle's own folder when the bundle runs), so that a module finding files beside it (a worker,
 * a header folder) finds the same files as unbundled.
 */
const importMetaUrl = {
  name: 'import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const rel = relative(cliDir, args.path).split(sep).join('/');
      const url = `require('node:url').pathToFileURL(require('node:path').join(__dirname, ${JSON.stringify(rel)})).href`;
      return { contents: source.replaceAll('import.meta.url', url), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};
await build({
  // scripts/cli-bundle-prelude.js first (the metadata polyfill, zod's jitless mode), then the CLI
  stdin: {
    contents: `import ${JSON.stringify(join(root, 'scripts', 'cli-bundle-prelude.js'))};\nexport { runCli } from './program.js';\n`,
    resolveDir: cliDir,
    sourcefile: 'cli-entry.js',
  },
  outfile: join(root, 'dist', 'cli', 'program.bundle.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  // tsx loads TypeScript configs: only with --config, which runs the unbundled modules
  external: ['tsx', 'tsx/*'],
  logLevel: 'warning',
  plugins: [importMetaUrl],
});
