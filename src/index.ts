// The package entry (`import … from 'slo-bench'`): the result contract's types and the version.
// The CLI (`bench`) lives in src/cli; nothing here has side effects.
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
