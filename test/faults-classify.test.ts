// The pure half of fault handling: error classification and the one-line descriptions users see,
// and the safety note printed before load goes to a non-loopback target.
import { describe, expect, it } from 'vitest';
import { classifyError, describeError, errorCode } from '../src/engine/classify.js';
import { describeTarget } from '../src/cli/target.js';

const coded = (code: string, extra: Record<string, unknown> = {}): Error => Object.assign(new Error(`failed with ${code}`), { code, ...extra });

describe('classifyError', () => {
  it.each([
    ['ECONNREFUSED', 'connect'],
    ['ENOTFOUND', 'connect'],
    ['EHOSTUNREACH', 'connect'],
    ['UND_ERR_CONNECT_TIMEOUT', 'connect'],
    ['ECONNRESET', 'reset'],
    ['EPIPE', 'reset'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'timeout'],
    ['BENCH_DEADLINE', 'timeout'],
    ['HPE_INVALID_CONSTANT', 'protocol'],
    ['HPE_INVALID_HEADER_TOKEN', 'protocol'],
    ['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'protocol'],
    ['UND_ERR_HEADERS_OVERFLOW', 'protocol'],
    ['SOMETHING_NEW', 'other'],
  ])('%s → %s', (code, kind) => {
    expect(classifyError(coded(code))).toBe(kind);
  });

  it('an llhttp parse error without a code is still protocol (undici leaves code undefined for "Expected HTTP/")', () => {
    const err = Object.assign(new Error('Response does not match the HTTP/1.1 protocol (Expected HTTP/)'), { name: 'HTTPParserError', code: undefined });
    expect(classifyError(err)).toBe('protocol');
  });

  it('a connection lost before the response began is a reset; after it began, the response was cut short (protocol)', () => {
    const lost = Object.assign(new Error('other side closed'), { name: 'SocketError', code: 'UND_ERR_SOCKET' });
    expect(classifyError(lost)).toBe('reset');
    expect(classifyError(lost, { responseStarted: false })).toBe('reset');
    expect(classifyError(lost, { responseStarted: true })).toBe('protocol');
    // A real RST stays a reset even mid-response.
    expect(classifyError(coded('ECONNRESET'), { responseStarted: true })).toBe('reset');
  });

  it('looks through undici wrappers to the cause, and skips the generic "aborted" code', () => {
    const wrapped = Object.assign(new Error('fetch failed'), { cause: coded('ECONNREFUSED') });
    expect(classifyError(wrapped)).toBe('connect');
    const aborted = Object.assign(new Error('aborted'), { code: 'UND_ERR_ABORTED', cause: coded('BENCH_DEADLINE') });
    expect(errorCode(aborted)).toBe('BENCH_DEADLINE');
    expect(classifyError(aborted)).toBe('timeout');
  });

  it('never throws on odd values', () => {
    for (const odd of [null, undefined, 42, 'text', {}, [], { code: 7 }, Object.create(null)]) {
      expect(() => classifyError(odd)).not.toThrow();
      expect(() => describeError(odd)).not.toThrow();
      expect(classifyError(odd)).toBe('other');
    }
  });
});

describe('describeError', () => {
  it('names the refused address: "connection refused at 127.0.0.1:9"', () => {
    expect(describeError(coded('ECONNREFUSED', { address: '127.0.0.1', port: 9 }))).toBe('connection refused at 127.0.0.1:9');
    expect(describeError(Object.assign(new Error('x'), { cause: coded('ECONNREFUSED', { address: '::1', port: 80 }) }))).toBe('connection refused at ::1:80');
  });

  it('uses the socket addresses undici attaches to a SocketError', () => {
    const lost = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET', socket: { remoteAddress: '127.0.0.1', remotePort: 4000 } });
    expect(describeError(lost, { responseStarted: true })).toBe('response cut short: the connection closed before the response was complete at 127.0.0.1:4000');
    expect(describeError(lost)).toBe('connection closed by the target before any response at 127.0.0.1:4000');
  });

  it('is always one line', () => {
    expect(describeError(new Error('first line\n    at somewhere (file.js:1:1)'))).toBe('first line');
  });
});

describe('describeTarget: where the load really goes', () => {
  it('says nothing for loopback targets', async () => {
    for (const target of ['http://127.0.0.1:3000', 'http://localhost:8080/api', 'http://[::1]:3000']) expect(await describeTarget(target)).toBeNull();
  });

  it('prints the address of a non-loopback target before any load is sent', async () => {
    expect(await describeTarget('http://10.20.30.40:8080/base')).toBe('bench: target 10.20.30.40 resolves to 10.20.30.40 — load goes there');
    expect(await describeTarget('https://[2001:db8::1]/')).toMatch(/2001:db8::1 — load goes there/);
  });
});
