// Secrets (auth headers, env-substituted values) must never reach a report or a log line.
// The CLI builds one redactor per run from Plan.secrets and passes it to every reporter and logger.

export type Redactor = (text: string) => string;

const MASK = '***';
// Shorter secrets would mask ordinary words and numbers all over a report.
const MIN_SECRET_LENGTH = 3;
// Bearer credentials and token/key query values are masked even when nobody declared them secret.
const BEARER = /\b(Bearer)\s+[^\s"'<>,;]+/gi;
const TOKEN_QUERY = /\b([\w.-]*(?:token|key))=[^&#\s"'<>]+/gi;

export function makeRedactor(secrets: readonly string[]): Redactor {
  const known = knownSecretsPattern(secrets);
  return (text) => {
    let out = known ? text.replace(known, MASK) : text;
    out = out.replace(BEARER, `$1 ${MASK}`);
    return out.replace(TOKEN_QUERY, `$1=${MASK}`);
  };
}

/** One alternation, longest first, so a secret containing another is masked whole. */
function knownSecretsPattern(secrets: readonly string[]): RegExp | null {
  const unique = [...new Set(secrets.filter((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH))];
  if (unique.length === 0) return null;
  unique.sort((a, b) => b.length - a.length);
  return new RegExp(unique.map(escapeRegExp).join('|'), 'g');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
