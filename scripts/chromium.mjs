// The browser the HTML report test drives: Debian's Chromium, never a downloaded build.
// `node scripts/chromium.mjs` (part of `npm test`) installs Debian's `chromium` when none is found and it can
// (root, apt-get); otherwise it says how to get one and leaves the verdict to the test, which then fails.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export const HOW_TO_GET_CHROMIUM =
  'no Chromium for the HTML report test: install Debian\'s ("apt-get install -y chromium", as root) or set CHROME_PATH to a Chrome/Chromium executable';

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** CHROME_PATH if set (and only it), else /usr/bin/chromium, else the first Chrome/Chromium on PATH; null if none. */
export function findChromium(env = process.env) {
  if (env.CHROME_PATH) return isExecutable(env.CHROME_PATH) ? env.CHROME_PATH : null;
  if (isExecutable('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of NAMES) if (isExecutable(join(dir, name))) return join(dir, name);
  }
  return null;
}

function canInstall() {
  return process.platform === 'linux' && process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
}

function apt(args) {
  const run = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return run.status === 0;
}

/** Returns the browser's path, installing Debian's chromium first when that is possible; null if none. */
export function ensureChromium(log = (line) => process.stderr.write(`${line}\n`)) {
  const found = findChromium();
  if (found || process.env.CHROME_PATH || !canInstall()) return found;
  log('chromium: not found; installing Debian\'s package for the HTML report test (apt-get update && apt-get install -y chromium)');
  if (!apt(['update', '-qq']) || !apt(['install', '-y', '-qq', 'chromium'])) log('chromium: apt-get could not install it');
  return findChromium();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // Never fails the command itself: the browser test fails, with HOW_TO_GET_CHROMIUM, if there is still none.
  if (!ensureChromium()) process.stderr.write(`${HOW_TO_GET_CHROMIUM}\n`);
}
