#!/usr/bin/env node
// Thin entry: the CLI lives in src/cli and is compiled to dist/ by `npm ci` (the `prepare` script).
// The young generation is fixed before anything else loads (src/engine/young-generation.ts).
import { keepYoungGenerationSmall } from '../dist/engine/young-generation.js';

keepYoungGenerationSmall();
const { main } = await import('../dist/cli/main.js');
main(process.argv);
