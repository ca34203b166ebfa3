import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('API reference (npm run docs)', function () {
  this.timeout(180_000);

  it('TypeDoc builds from index.ts with no warning: every exported symbol and method has a doc comment', () => {
    // typedoc.json treats warnings as errors; --emit none validates without writing docs/api.
    const r = spawnSync(process.execPath, [join(root, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--emit', 'none'], {
      cwd: root,
      encoding: 'utf8',
    });
    // eslint-disable-next-line no-control-regex -- strips the colour escapes (ESC [...m) TypeDoc writes
    const output = `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
    expect(output, output).to.not.match(/\[(warning|error)\]/);
    expect(r.status, output).to.equal(0);
  });
});
