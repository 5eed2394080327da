#!/usr/bin/env node
// Thin entry: the CLI lives in src/cli and is compiled to dist/ by `npm ci` (the `prepare` script).
import { main } from '../dist/cli/main.js';

main(process.argv);
