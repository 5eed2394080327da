// The scenario module's public surface.
export { loadScenario, parseScenario, type LoadOptions } from './load.js';
export { initTemplate } from './init.js';
export { scenarioSchema, schemaFileText } from './schema.js';
export { writeSchemaFile, SCHEMA_FILE } from './write-schema.js';
export { checkAgainstSchema, type SchemaIssue } from './schema-check.js';
export { parseDuration, parseRate, formatDuration } from './units.js';
