// Headless Chromium for the HTML report tests: Debian's chromium (or CHROME_PATH / PATH), never a download.
// Fails, never skips: a missing browser would silently stop checking the offline-rendering guarantee.
// `npm test` installs Debian's chromium first when it can (scripts/chromium.mjs).
import { chromium, type Browser } from 'playwright-core';
import { findChromium, HOW_TO_GET_CHROMIUM } from '../../scripts/chromium.mjs';

/** The flags this machine's closed network needs (no background connections, no first-run work). */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(HOW_TO_GET_CHROMIUM);
  return chromium.launch({ executablePath, args: ARGS });
}
