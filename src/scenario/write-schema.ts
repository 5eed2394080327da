// Regenerates schema/scenario.schema.json from schema.ts (the source of truth).
// After a build: node dist/scenario/write-schema.js [path]; tests: UPDATE_SCHEMA=1 npx vitest run test/scenario-schema.test.ts
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { schemaFileText } from './schema.js';

export const SCHEMA_FILE = fileURLToPath(new URL('../../schema/scenario.schema.json', import.meta.url));

export async function writeSchemaFile(path = SCHEMA_FILE): Promise<void> {
  await writeFile(path, schemaFileText());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await writeSchemaFile(process.argv[2]);
