// Which header values are secrets: they must never reach a report or a log.
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie)$|token|key|secret/i;
const SCHEME = /^(bearer|basic|token|digest)\s+(.+)$/i;

/** Authorization, Cookie and any header named like a token, key or secret: its value is never shown. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name) || /^set-cookie$/i.test(name);
}

/** The literal secret parts of a header value (templated values are only known at run time). */
export function headerSecrets(name: string, value: string): string[] {
  if (!SECRET_HEADER.test(name) || value === '' || value.includes('{{')) return [];
  const scheme = SCHEME.exec(value);
  return scheme ? [value, scheme[2]!] : [value];
}
