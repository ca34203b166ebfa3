export { type Finding, type FindingReport, type Severity, formatFinding } from './finding.js';
export { Checkers, type Checker, type CheckerContext, type RuleInfo } from './checker.js';
export { Diagnostics } from './tokens.js';
export { DiagnosticsService, type ChecksOption, type DiagnosticsEvents } from './diagnostics.js';
export { diagnosticsTraceModel } from './trace.js';
