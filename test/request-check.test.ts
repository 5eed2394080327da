// The one check both HTTP clients run before sending: paths percent-encoded as browsers do, header
// names and values held to what undici accepts (so nothing undici would refuse reaches its dispatch).
import { describe, expect, it } from 'vitest';
import { checkHeaders, checkRequest, encodePath, InvalidRequestError } from '../src/engine/request-check.js';
import { serializeRequest } from '../src/engine/lean-request.js';

describe('encodePath', () => {
  it('leaves a plain path (and existing %XX) as it is, the same string', () => {
    const path = '/a/b-c_d.e~f?x=1&y=%20z#frag';
    expect(encodePath(path)).toBe(path);
  });

  it('encodes spaces, controls, "<>` and non-ASCII as UTF-8 bytes, like a browser', () => {
    expect(encodePath('/a b/café/日本/😀?q="<x>`')).toBe('/a%20b/caf%C3%A9/%E6%97%A5%E6%9C%AC/%F0%9F%98%80?q=%22%3Cx%3E%60');
    expect(encodePath('/\t\x00\x7f')).toBe('/%09%00%7F');
  });

  it('agrees with the WHATWG URL parser on the path of an absolute URL', () => {
    const raw = '/a b/café/日本';
    expect(encodePath(raw)).toBe(new URL(`http://h${raw}`).pathname);
  });
});

describe('checkHeaders', () => {
  it('returns the same object when nothing is to change', () => {
    const headers = { accept: 'application/json', 'x-latin': 'naïve', authorization: 'Bearer t' };
    expect(checkHeaders(headers)).toBe(headers);
  });

  it('leaves out the framing and keep-alive headers (the client states them), keeping the rest in order', () => {
    expect(checkHeaders({ a: '1', 'Content-Length': '999', b: '2', 'transfer-encoding': 'chunked', 'Keep-Alive': 'timeout=5', c: '3' })).toEqual({ a: '1', b: '2', c: '3' });
  });

  it.each([
    [{ 'x a': 'v' }, /invalid header name "x a"/],
    [{ 'x:a': 'v' }, /invalid header name "x:a"/],
    [{ 'x\r\ny': 'v' }, /invalid header name "x\\r\\ny"/],
    [{ x: 'a\nb' }, /invalid header "x": its value contains a line break/],
    [{ x: 'a\0b' }, /invalid header "x": its value contains a NUL/],
    [{ x: 'a\x07b' }, /invalid header "x": its value contains a control character/],
    [{ x: '日本' }, /beyond Latin-1/],
    [{ Host: 'a', host: 'b' }, /"host": it is given twice/],
    [{ connection: 'keep alive' }, /not a list of tokens/],
    [{ connection: 'close\r\nx-injected: 1' }, /line break/],
    [{ expect: '100-continue' }, /"expect" is not supported/],
    [{ upgrade: 'websocket' }, /"upgrade" is not supported/],
  ])('refuses %j', (headers, message) => {
    expect(() => checkHeaders(headers as Record<string, string>)).toThrow(InvalidRequestError);
    expect(() => checkHeaders(headers as Record<string, string>)).toThrow(message);
  });

  it('accepts a token list in connection', () => {
    expect(() => checkHeaders({ Connection: 'keep-alive, close' })).not.toThrow();
  });
});

describe('checkRequest', () => {
  it('refuses a method that is not a token', () => {
    expect(() => checkRequest({ method: 'GE T', path: '/', headers: {} }, '/')).toThrow(/invalid request method "GE T"/);
  });

  it('the lean client writes a Latin-1 header value as Latin-1 bytes, as undici does', () => {
    const out = serializeRequest({ method: 'GET', path: '/', headers: { 'x-name': 'café' } }, '/', 'h');
    expect(Buffer.isBuffer(out)).toBe(true);
    expect((out as Buffer).includes(Buffer.from('x-name: caf\xe9\r\n', 'latin1'))).toBe(true);
  });
});
