// `bench collect job/NAME`: every index's pod log (kubectl logs), each segment's framed result (or what a
// killed one flushed), merged. The logs are saved next to the reports, so nothing depends on the pods
// still being there the next time.
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { factsOf, type SegmentFacts } from '../merge/check.js';
import { RunError, UsageError } from '../errors.js';
import { checkJobName } from '../k8s/names.js';
import { readLog, readSegmentTimeline } from './read-segment.js';
import { writeMerged, type MergeFlags } from './merge-command.js';
import type { Console } from './console.js';
import { writeFileAtomic } from './atomic.js';

const run = promisify(execFile);

export interface CollectFlags extends MergeFlags {
  namespace?: string;
  kubectl: string;
  segments?: string;
}

export async function collectCommand(job: string, flags: CollectFlags, io: Console): Promise<number> {
  const name = checkJobName(job.replace(/^(job|jobs|job\.batch)\//, ''));
  const ns = flags.namespace ? ['-n', flags.namespace] : [];
  const kubectl = async (args: string[]): Promise<string> => {
    try {
      const { stdout } = await run(flags.kubectl, [...ns, ...args], { maxBuffer: 1 << 30, encoding: 'utf8' });
      return stdout;
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stderr?: string };
      if (e.code === 'ENOENT') throw new UsageError(`--kubectl: cannot run "${flags.kubectl}" (not found)`);
      throw new RunError(`${flags.kubectl} ${args.join(' ')}: ${(e.stderr ?? e.message).trim().split('\n')[0]}`);
    }
  };
  const count = flags.segments !== undefined ? Number(flags.segments) : Number((await kubectl(['get', `job/${name}`, '-o', 'jsonpath={.spec.completions}'])).trim());
  if (!Number.isInteger(count) || count < 1) throw new UsageError(`job/${name}: cannot tell its number of segments (completions); pass --segments N`);
  const outDir = resolve(flags.out);
  // Each log is saved, read for its facts and let go; the merge reads the timelines back from the files.
  const facts: SegmentFacts[] = [];
  const sources: string[] = [];
  for (let i = 0; i < count; i++) {
    const selector = `batch.kubernetes.io/job-name=${name},batch.kubernetes.io/job-completion-index=${i}`;
    // --tail=-1: with a selector kubectl logs shows only the last 10 lines unless told otherwise.
    const text = await kubectl(['logs', '-l', selector, '--tail=-1', '--max-log-requests=1']);
    const file = join(outDir, `segment-${i}.log`);
    writeFileAtomic(file, text); // makes the folder; one it cannot write to is one line, exit 3
    const content = readLog(text, file);
    if (content.kind === 'empty') {
      const problem = `segment ${i}/${count} (${file}): ${content.why}`;
      if (!flags.allowPartial) throw new UsageError(`${problem}; merge the others with --allow-partial`);
      io.err(`bench: warning: ${problem}`);
      continue;
    }
    if (content.kind === 'recovered') io.err(`bench: segment ${i}/${count}: ${content.result.incomplete!.reason}`);
    facts.push(factsOf(content.result));
    sources.push(file);
  }
  if (facts.length === 0) throw new UsageError(`job/${name}: no segment left a result in its log`);
  return writeMerged({ facts, sources, timeline: (n) => readSegmentTimeline(sources[n]!, facts[n]!) }, flags, io);
}
