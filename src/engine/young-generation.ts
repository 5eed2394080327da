// A load generator's live heap is small and steady (connections, one second of histograms), but it
// allocates fast: V8 then grows the young generation to its maximum (two 16 MB semi-spaces on 64-bit),
// which is a quarter of the process's RSS and buys nothing — what a request allocates dies within the
// request. Fixing the young generation at its initial size keeps peak RSS ~15 MB lower with no CPU cost
// measured (bench/RESULTS.md, "Peak RSS"; scavenges of a near-empty young generation are cheap).
//
// The size itself can only be set when an isolate is created (`--max-semi-space-size`, a node flag), so
// the CLI instead stops the growth: a growth factor of 1 is read each time V8 considers growing. V8 resets
// the factor to its minimum of 2 when it configures a new isolate (a worker thread), so each worker thread
// sets it again once it runs. Only the CLI asks for this: it owns its process; a program that imports
// bench keeps its own heap settings (the flag is process-wide).
import { setFlagsFromString } from 'node:v8';

let asked = false;

/** Stop the young generation from growing, for this process and the worker threads it starts. */
export function keepYoungGenerationSmall(): void {
  asked = true;
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** Whether this process asked for it (worker threads are told, and ask again once they run). */
export function youngGenerationKeptSmall(): boolean {
  return asked;
}
