// A virtual user's cookie jar (tough-cookie: Domain, Path, Expires/Max-Age, Secure, SameSite, public
// suffixes). tough-cookie is loaded the first time a response sets a cookie: a run against a server
// that sets none never loads it, and the hot path costs one scan of the response's header names.
//
// A bench user is the site's own first party: requests are made in a same-site context, so SameSite
// cookies are sent (SameSite only keeps cookies from cross-site requests, which bench does not make).
import { createRequire } from 'node:module';
import type { CookieJar as ToughJar } from 'tough-cookie';

type Tough = typeof import('tough-cookie');
let tough: Tough | null = null;

function load(): Tough {
  return (tough ??= createRequire(import.meta.url)('tough-cookie') as Tough);
}

const SAME_SITE = { sameSiteContext: 'strict' as const };

/** Set-Cookie values among raw header pairs (Buffers from undici, strings from llhttp), or null. */
export function setCookies(raw: ReadonlyArray<Buffer | string> | null): string[] | null {
  if (raw === null) return null;
  let found: string[] | null = null;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    // 'Connection' has 10 letters too: the first letter is checked before anything is allocated.
    if (name.length !== 10 || ((typeof name === 'string' ? name.charCodeAt(0) : name[0]!) | 0x20) !== 0x73 /* s */) continue;
    const text = typeof name === 'string' ? name : name.toString('latin1');
    if (text.toLowerCase() !== 'set-cookie') continue;
    const value = raw[i + 1]!;
    (found ??= []).push(typeof value === 'string' ? value : value.toString('latin1'));
  }
  return found;
}

export class CookieJar {
  private readonly jar: ToughJar;

  constructor() {
    this.jar = new (load().CookieJar)();
  }

  /** Store what a response to `url` set (a malformed or foreign-domain cookie is ignored, as browsers do). */
  store(url: string, cookies: readonly string[]): void {
    for (const cookie of cookies) {
      try {
        this.jar.setCookieSync(cookie, url, { ...SAME_SITE, ignoreError: true });
      } catch {
        // refused (e.g. a Domain the URL is not in): not kept
      }
    }
  }

  /** The Cookie header for a request to `url` ('' when no cookie applies). */
  header(url: string): string {
    try {
      return this.jar.getCookieStringSync(url, SAME_SITE);
    } catch {
      return '';
    }
  }
}
