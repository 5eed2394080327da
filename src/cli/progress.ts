// The live progress line on stderr: redrawn on a TTY, a plain status line every second elsewhere (CI).
import type { Progress } from '../engine/engine.js';

export interface ProgressSource {
  progress(): Progress;
  /** completed requests, errors so far */
  totals(): { requests: number; errors: number; dropped: number };
  /** figures of the last closed second */
  lastSecond(): { requests: number; p95Ms: number };
}

export interface ProgressOptions {
  stream: NodeJS.WriteStream;
  tty: boolean;
  label: string;
}

const TTY_EVERY_MS = 250;
// Like k6 off a terminal: a fresh line every second, so a CI log shows a stall within a second.
const PLAIN_EVERY_MS = 1000;
const BAR_WIDTH = 20;

export function startProgress(source: ProgressSource, options: ProgressOptions): { stop(): void } {
  const draw = (): void => {
    const line = progressLine(source, options.label, options.tty);
    if (options.tty) options.stream.write(`\r\x1b[2K${line}`);
    else options.stream.write(`${line}\n`);
  };
  const timer = setInterval(draw, options.tty ? TTY_EVERY_MS : PLAIN_EVERY_MS);
  timer.unref();
  let stopped = false;
  return {
    stop: () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      if (options.tty) options.stream.write('\r\x1b[2K');
    },
  };
}

export function progressLine(source: ProgressSource, label: string, withBar: boolean): string {
  const p = source.progress();
  const t = source.totals();
  const last = source.lastSecond();
  const fraction = p.totalMs > 0 ? Math.min(1, p.elapsedMs / p.totalMs) : 0;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = withBar ? `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ` : '';
  const parts = [
    `${label} ${bar}${seconds(p.elapsedMs)}/${seconds(p.totalMs)}`,
    `phase ${p.phase + 1}`,
    // Before the first full second with a response there is no rate or latency yet: "—", never a 0 that reads as fast.
    `${t.requests === 0 && last.requests === 0 ? '—' : last.requests} req/s`,
    last.requests === 0 || last.p95Ms <= 0 ? 'p95 —' : `p95 ${last.p95Ms.toFixed(1)} ms`,
    `${t.requests} requests`,
    `${t.errors} errors`,
    `${p.inFlight} in flight`,
  ];
  if (t.dropped) parts.push(`${t.dropped} dropped`);
  return parts.join(' · ');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
}
