// `node --import ./test/helpers/list-modules.mjs …`: appends every module URL the process resolves
// (ESM imports and the CJS files they pull in) to the file named by LIST_MODULES_FILE, one per line.
import { register } from 'node:module';

register(new URL('./list-modules-hook.mjs', import.meta.url), { data: { file: process.env.LIST_MODULES_FILE } });
