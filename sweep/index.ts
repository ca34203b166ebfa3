// Sweeps: design-space experiments over a grid of parameters, run in worker threads and across machines.
export { defineSweep } from './define.js';
export { enumeratePoints, pointKey, pointSeed, type PlannedPoint } from './points.js';
export { parseShard, shardFromEnv, inShard, type Shard } from './shard.js';
export { parseResults, recordLine, type SweepRecord, type ParsedResults } from './record.js';
export {
  mergeResults,
  resultCsv,
  resultChartSvg,
  chartSeries,
  type MergedResults,
  type ChartSeries,
} from './report.js';
export { runSweep, type RunSweepOptions, type SweepRunSummary } from './runner.js';
export { runPoint } from './run-point.js';
export { resolveSweep, scenarioSweep, type SweepRequest } from './resolve.js';
export { registerSweepCommands } from './cli.js';
