// The start barrier (issue 11, hole 8): the start is chosen only once every participant is ready.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NotReadyError, START_LEAD_MS, StartBarrier } from '../src/engine/barrier.js';

const workers = ['the setup steps', 'worker 1 of 2', 'worker 2 of 2'];

describe('StartBarrier', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('chooses the start only when the last participant is ready, a little ahead of that moment', async () => {
    const barrier = new StartBarrier({ participants: workers, now: () => Date.now() });
    let chosen: number | undefined;
    void barrier.start.then((t) => (chosen = t));
    barrier.ready('worker 1 of 2');
    vi.advanceTimersByTime(5000); // a slow worker: the start waits for it, however long
    barrier.ready('the setup steps');
    await Promise.resolve();
    expect(chosen).toBeUndefined();
    expect(barrier.pending).toEqual(['worker 2 of 2']);
    barrier.ready('worker 2 of 2');
    expect(await barrier.start).toBe(1_005_000 + START_LEAD_MS);
  });

  it('with a fixed start, releases that time once everyone is ready before it', async () => {
    const barrier = new StartBarrier({ participants: workers, startAt: 1_003_000, now: () => Date.now() });
    for (const p of workers) barrier.ready(p);
    expect(await barrier.start).toBe(1_003_000);
  });

  it('with a fixed start, names who was not ready by then', async () => {
    const barrier = new StartBarrier({ participants: workers, startAt: 1_003_000, now: () => Date.now() });
    const failed = barrier.start.catch((err: unknown) => err);
    barrier.ready('the setup steps');
    barrier.ready('worker 1 of 2');
    vi.advanceTimersByTime(3000);
    const err = (await failed) as NotReadyError;
    expect(err).toBeInstanceOf(NotReadyError);
    expect(err.missing).toEqual(['worker 2 of 2']);
    expect(err.message).toBe('not ready by the start at 1970-01-01T00:16:43.000Z: worker 2 of 2');
    barrier.ready('worker 2 of 2'); // too late: nothing changes
    await expect(barrier.start).rejects.toBe(err);
  });

  it('a failing participant fails the start; a stop releases it at once', async () => {
    const failing = new StartBarrier({ participants: workers, now: () => Date.now() });
    failing.fail(new Error('worker 2 of 2: cannot read data.csv'));
    await expect(failing.start).rejects.toThrow('cannot read data.csv');

    const stopped = new StartBarrier({ participants: workers, startAt: 1_060_000, now: () => Date.now() });
    stopped.abort();
    expect(await stopped.start).toBe(1_000_000);
  });

  it('rejects a participant it does not know', () => {
    const barrier = new StartBarrier({ participants: workers, now: () => Date.now() });
    expect(() => barrier.ready('worker 3 of 2')).toThrow(/unknown participant/);
    barrier.ready('worker 1 of 2');
    expect(() => barrier.ready('worker 1 of 2')).not.toThrow();
  });
});
