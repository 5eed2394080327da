// The package's name and version, read once from package.json (one source of truth).
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

export const VERSION: string = pkg.version;
/** The npm package (`npm i -D slo-bench`); the command it installs is `bench`. */
export const PACKAGE_NAME: string = pkg.name;
/** The container image `bench k8s` puts in its Job unless --image says otherwise (built from the Dockerfile). */
export const DEFAULT_IMAGE = `${PACKAGE_NAME}:latest`;
