// Off the hot path: batches wait in a bounded queue and go out one at a time (remote write wants each
// series' samples in order). A slow or failing receiver only loses batches — counted, never waited on
// by the load. Sending is injected, so this is tested without a network.

export type Send = (body: Uint8Array, signal: AbortSignal) => Promise<void>;

export interface SenderReport {
  batches: number;
  sent: number;
  lost: number;
  /** the first problem, e.g. "HTTP 500" or "no answer within 5 s" */
  firstProblem?: string;
}

export class BatchSender {
  private readonly queue: Uint8Array[] = [];
  private busy: Promise<void> | null = null;
  private sending = false;
  private closed = false;
  private readonly closing = new AbortController();
  private batches = 0;
  private sent = 0;
  private lost = 0;
  private firstProblem: string | undefined;

  constructor(
    private readonly send: Send,
    private readonly options: { maxQueue: number; timeoutMs: number },
  ) {}

  /** Never blocks: a full queue drops its oldest batch (the newer one carries the same counters, further on). */
  enqueue(body: Uint8Array): void {
    this.batches++;
    if (this.closing.signal.aborted) {
      this.lost++;
      return;
    }
    if (this.queue.length >= this.options.maxQueue) {
      this.queue.shift();
      this.lost++;
      this.problem(`the queue of ${this.options.maxQueue} batches was full`);
    }
    this.queue.push(body);
    this.busy ??= this.drain();
  }

  /** Waits for the queue to empty, at most `graceMs`; whatever is left is lost. */
  async close(graceMs: number): Promise<SenderReport> {
    if (this.busy) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.busy, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    // Whatever is not through now is lost; a send still under way is abandoned (aborted where it can be).
    this.closed = true;
    this.closing.abort();
    const left = this.queue.length + (this.sending ? 1 : 0);
    this.lost += left;
    if (left) this.problem(`no answer before the run ended`);
    this.queue.length = 0;
    return { batches: this.batches, sent: this.sent, lost: this.lost, ...(this.firstProblem ? { firstProblem: this.firstProblem } : {}) };
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const body = this.queue.shift()!;
      const signal = AbortSignal.any([this.closing.signal, AbortSignal.timeout(this.options.timeoutMs)]);
      this.sending = true;
      try {
        await this.send(body, signal);
        if (!this.closed) this.sent++;
      } catch (err) {
        if (!this.closed) {
          this.lost++;
          this.problem(describe(err, this.options.timeoutMs, this.closing.signal.aborted));
        }
      } finally {
        this.sending = false;
      }
    }
    this.busy = null;
  }

  private problem(text: string): void {
    this.firstProblem ??= text;
  }
}

function describe(err: unknown, timeoutMs: number, closing: boolean): string {
  const e = err as Error;
  if (closing) return 'no answer before the run ended';
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  return e.message || String(err);
}

/** One line for the end of the run; null when everything arrived. */
export function describeLoss(what: string, r: SenderReport): string | null {
  if (r.lost === 0) return null;
  return `bench: ${what}: ${r.lost} of ${r.batches} batch${r.batches === 1 ? '' : 'es'} not delivered (first: ${r.firstProblem ?? 'unknown'}); the run's own figures are unaffected`;
}
