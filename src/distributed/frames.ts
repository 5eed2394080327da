// Framed blocks in a log: what a segment writes to stdout (its pod log) so its figures outlive the pod.
// Pure: values in, text out, and back.
//
//   -----BEGIN BENCH RUN-----          once, when the load starts: who this segment is (RunHeader)
//   -----BEGIN BENCH INTERVAL-----     once a second: that second's encoded interval (EncodedInterval)
//   -----BEGIN BENCH RESULT-----       at the end: the whole result.json
//
// Each body is base64(gzip(JSON)), wrapped at 76 characters like PEM, so no log line is long enough for a
// container runtime to split it. A frame cut short (the process was killed while writing) has no END line
// and is ignored; every line outside a frame (the rest of the log) is ignored too.
import { gunzipSync, gzipSync } from 'node:zlib';

export type FrameKind = 'RUN' | 'INTERVAL' | 'RESULT';

const KINDS: readonly FrameKind[] = ['RUN', 'INTERVAL', 'RESULT'];
const LINE = 76;

export function encodeFrame(kind: FrameKind, value: unknown): string {
  const body = gzipSync(JSON.stringify(value)).toString('base64');
  const lines = [`-----BEGIN BENCH ${kind}-----`];
  for (let i = 0; i < body.length; i += LINE) lines.push(body.slice(i, i + LINE));
  lines.push(`-----END BENCH ${kind}-----`);
  return lines.join('\n') + '\n';
}

export interface Frame {
  kind: FrameKind;
  value: unknown;
  /** 1-based line of the BEGIN line */
  line: number;
}

/** Every complete frame in `text`, in order. A frame whose body does not decode throws, naming its line. */
export function decodeFrames(text: string, onBad: (line: number, message: string) => void): Frame[] {
  const frames: Frame[] = [];
  const lines = text.split(/\r?\n/);
  let open: { kind: FrameKind; line: number; body: string[] } | null = null;
  for (let n = 0; n < lines.length; n++) {
    // kubectl logs --timestamps and some collectors prefix lines: find the marker anywhere in the line
    const raw = lines[n]!;
    const begin = /-----BEGIN BENCH ([A-Z]+)-----/.exec(raw);
    if (begin && KINDS.includes(begin[1] as FrameKind)) {
      open = { kind: begin[1] as FrameKind, line: n + 1, body: [] };
      continue;
    }
    if (!open) continue;
    if (raw.includes(`-----END BENCH ${open.kind}-----`)) {
      try {
        frames.push({ kind: open.kind, line: open.line, value: JSON.parse(gunzipSync(Buffer.from(open.body.join(''), 'base64')).toString('utf8')) });
      } catch (err) {
        onBad(open.line, (err as Error).message);
      }
      open = null;
      continue;
    }
    const body = /[A-Za-z0-9+/=]+\s*$/.exec(raw);
    if (body && body[0].trim().length > 0 && body[0].trim().length <= LINE) open.body.push(body[0].trim());
    else open = null; // anything else inside a frame: the frame was cut, ignore it
  }
  return frames;
}
