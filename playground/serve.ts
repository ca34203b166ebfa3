/**
 * `npm run playground`: builds the page (build.ts) and serves playground/dist/ on localhost with a small static
 * server, printing the URL. `--port N` (default 8173; an ephemeral port when that one is taken), `--no-build`.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildPlayground, defaultOutDir } from './build.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Serves the files under `dir` (GET and HEAD only, nothing outside it) on `host:port` (0: an ephemeral port). */
export function serveStatic(dir: string, port = 0, host = '127.0.0.1'): Promise<{ url: string; server: Server }> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      const a = server.address() as AddressInfo;
      ok({ url: `http://${host}:${a.port}/`, server });
    });
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const pi = args.indexOf('--port');
  const port = pi >= 0 ? Number(args[pi + 1]) : 8173;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: ${args[pi + 1]} is not a port number`);
  if (!args.includes('--no-build')) {
    const built = await buildPlayground();
    console.log(
      `built ${built.outDir}: main.js ${(built.jsBytes / 1024).toFixed(0)} KiB, ${(built.gzipBytes / 1024).toFixed(0)} KiB gzipped`,
    );
  }
  let served;
  try {
    served = await serveStatic(defaultOutDir, port, '127.0.0.1');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    served = await serveStatic(defaultOutDir, 0, '127.0.0.1');
  }
  console.log(`soc-fabric playground: ${served.url}  (Ctrl-C stops it)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e: unknown) => {
    console.error(`playground: ${(e as Error).message}`);
    process.exit(1);
  });
}
