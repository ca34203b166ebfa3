import { expect } from 'chai';
import fc from 'fast-check';
import { EspError, ESP_ERR_INVALID_ARG } from '../core/errors.js';
import { inShard, parseShard, shardFromEnv } from './shard.js';

function refused(fn: () => unknown, re: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(EspError);
    expect((e as EspError).code).to.equal(ESP_ERR_INVALID_ARG);
    expect((e as Error).message).to.match(re);
    return;
  }
  expect.fail(`expected a refusal matching ${re}`);
}

describe('shards', () => {
  it('split the points: every point in exactly one shard, shard i taking every N-th from i', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 9 }), (n, count) => {
        const points = Array.from({ length: n }, (_, index) => ({ index }));
        const shards = Array.from({ length: count }, (_, index) => inShard(points, { index, count, source: 't' }));
        expect(
          shards
            .flat()
            .map((p) => p.index)
            .sort((a, b) => a - b),
        ).to.deep.equal(points.map((p) => p.index));
        shards.forEach((s, i) => s.forEach((p) => expect(p.index % count).to.equal(i)));
        expect(inShard(points, undefined)).to.deep.equal(points);
      }),
    );
  });

  it('--shard i/N, i from 0', () => {
    expect(parseShard('2/3')).to.include({ index: 2, count: 3 });
    refused(() => parseShard('3/3'), /the shard index must be a whole number from 0 to 2, got 3/);
    refused(() => parseShard('0/0'), /the shard count must be a whole number >= 1/);
    refused(() => parseShard('1-3'), /expected INDEX\/COUNT/);
  });

  it('from a Kubernetes Indexed Job: JOB_COMPLETION_INDEX of JOB_COMPLETIONS', () => {
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '4', JOB_COMPLETIONS: '5' })).to.deep.equal({
      index: 4,
      count: 5,
      source: 'JOB_COMPLETION_INDEX/JOB_COMPLETIONS',
    });
    refused(() => shardFromEnv({ JOB_COMPLETION_INDEX: '1' }), /JOB_COMPLETIONS is not/);
    refused(() => shardFromEnv({ JOB_COMPLETION_INDEX: '5', JOB_COMPLETIONS: '5' }), /from 0 to 4, got 5/);
    refused(() => shardFromEnv({ JOB_COMPLETION_INDEX: 'x', JOB_COMPLETIONS: '5' }), /got NaN/);
  });

  it("from a Slurm job array: the task ID less the array's first ID, over its step, of the task count", () => {
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '3' })).to.include({ index: 0, count: 3 });
    expect(
      shardFromEnv({ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_TASK_MIN: '1' }),
    ).to.include({ index: 2, count: 3 });
    expect(
      shardFromEnv({
        SLURM_ARRAY_TASK_ID: '14',
        SLURM_ARRAY_TASK_COUNT: '8',
        SLURM_ARRAY_TASK_MIN: '0',
        SLURM_ARRAY_TASK_STEP: '2',
      }),
    ).to.include({ index: 7, count: 8 });
    refused(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: '3' }), /SLURM_ARRAY_TASK_COUNT is not/);
    refused(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '3' }), /from 0 to 2, got 3/);
  });

  it('none when neither engine set its variables', () => {
    expect(shardFromEnv({ PATH: '/bin', SLURM_JOB_ID: '7' })).to.equal(undefined);
  });
});
