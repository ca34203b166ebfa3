import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSimulation } from '../create-simulation.js';
import * as targets from '../targets/index.js';
import type { TargetDefinition } from '../core/target/target.js';
import { Diagnostics } from '../core/diagnostics/tokens.js';
import { repoRoot } from './helpers/cli.js';

/** Rule ids named in the first column of README's Diagnostics table (a cell may name several). */
function readmeRules(): Set<string> {
  const text = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = text.slice(text.indexOf('## Diagnostics'), text.indexOf('### Data cache coherency'));
  const ids = new Set<string>();
  for (const line of section.split('\n')) {
    const first = /^\| ([^|]+) \|/.exec(line)?.[1];
    if (first) for (const m of first.matchAll(/`([a-z0-9-]+\.[a-z0-9.-]+)`/g)) ids.add(m[1]!);
  }
  return ids;
}

describe("README's diagnostics table", () => {
  it('names every rule a built-in target declares, and no rule that none declares', async () => {
    const declared = new Set<string>();
    const defs = Object.values(targets).filter(
      (t): t is TargetDefinition => typeof t === 'object' && t !== null && 'caps' in t && 'name' in t,
    );
    expect(defs.length).to.be.greaterThan(5);
    for (const def of defs) {
      const sim = await createSimulation({ target: def, checks: true, ...(def.caps.cache ? { cache: true } : {}) });
      for (const r of sim.get(Diagnostics).rules) declared.add(r.id);
      await sim.dispose();
    }
    const documented = readmeRules();
    expect([...declared].filter((r) => !documented.has(r)).sort(), 'declared, not in the README').to.deep.equal([]);
    expect([...documented].filter((r) => !declared.has(r)).sort(), 'in the README, declared nowhere').to.deep.equal([]);
  });
});
