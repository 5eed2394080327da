// The package's programmatic API: `import { run, loadScenario, compare, merge } from 'slo-bench'`.
// The CLI (`bench`) lives in src/cli.
export { run, type RunOptions, type RunProgress } from './api/run.js';
export { loadScenario, compare, merge, type LoadScenarioOptions, type CompareApiOptions } from './api/library.js';
export type { StreamSettings } from './stream/config.js';
export type { Comparison } from './compare/index.js';
export type {
  ClosedPhase,
  EndpointStats,
  ErrorKind,
  Flow,
  HttpOptions,
  LatencyStats,
  OpenPhase,
  Phase,
  Plan,
  RequestStep,
  RunResult,
  SloOp,
  SloResult,
  SloSpec,
  Stats,
  Step,
  ThinkStep,
  TimelinePoint,
} from './types.js';
export { VERSION } from './version.js';
