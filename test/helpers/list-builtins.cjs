// `node --require ./test/helpers/list-builtins.cjs …`: at exit, writes the public built-in modules the
// process loaded (`node:<name>`, one per line) to LIST_MODULES_FILE. A --require hook loads nothing
// itself (an --import hook's loader thread would load worker_threads).
const { writeFileSync } = require('node:fs');

const file = process.env.LIST_MODULES_FILE;
if (file) {
  process.on('exit', () => {
    const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ') && !m.includes('internal/')).map((m) => `node:${m.slice('NativeModule '.length)}`);
    writeFileSync(file, builtins.map((m) => `${m}\n`).join(''));
  });
}
