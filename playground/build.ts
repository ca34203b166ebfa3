/**
 * Bundles the playground page with esbuild: the tsc output of playground/src/page (dist/, where decorator
 * metadata is already emitted: esbuild does not emit it) into playground/dist/ with index.html and style.css.
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The repository root (this file runs as dist/playground/build.js). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where `npm run playground` puts the page. */
export const defaultOutDir = join(repoRoot, 'playground', 'dist');

export interface BuiltPage {
  outDir: string;
  /** The page's JavaScript bundle. */
  jsFile: string;
  jsBytes: number;
  /** Its size gzipped (level 9), what a server sending gzip transfers. */
  gzipBytes: number;
}

/** Builds the page into `outDir`. Any Node built-in left in the page's imports fails the build (platform browser). */
export async function buildPlayground(outDir = defaultOutDir, opts: { minify?: boolean } = {}): Promise<BuiltPage> {
  mkdirSync(outDir, { recursive: true });
  const jsFile = join(outDir, 'main.js');
  await build({
    entryPoints: [join(repoRoot, 'dist', 'playground', 'src', 'page', 'main.js')],
    outfile: jsFile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: opts.minify ?? true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'silent',
  });
  for (const f of ['index.html', 'style.css']) copyFileSync(join(repoRoot, 'playground', f), join(outDir, f));
  const js = readFileSync(jsFile);
  return { outDir, jsFile, jsBytes: js.length, gzipBytes: gzipSync(js, { level: 9 }).length };
}
