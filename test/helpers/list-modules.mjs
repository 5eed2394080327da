// `node --import ./test/helpers/list-modules.mjs …`: appends every module URL the process resolves
// (ESM imports and the CJS files they pull in) to the file named by LIST_MODULES_FILE, one per line;
// at exit also the CommonJS files required by any route (createRequire included).
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const file = process.env.LIST_MODULES_FILE;
register(new URL('./list-modules-hook.mjs', import.meta.url), { data: { file } });
if (file) {
  process.on('exit', () => {
    const cjs = Object.keys(createRequire(import.meta.url).cache).map((f) => pathToFileURL(f).href);
    appendFileSync(file, cjs.map((m) => `${m}\n`).join(''));
  });
}
