import fs from 'node:fs';

// Both the tsc output (dist/*.js) and the bundle's chunks (dist/*-HASH.js) sit in dist/, so these
// paths hold for either; the build copies the project README to dist/usrsvc-README.md.
const README_URL = new URL('./usrsvc-README.md', import.meta.url);
const PACKAGE_JSON_URL = new URL('../package.json', import.meta.url);

export function readProjectReadme(): string {
  return fs.readFileSync(README_URL, 'utf8');
}

export function readVersion(): string {
  return (JSON.parse(fs.readFileSync(PACKAGE_JSON_URL, 'utf8')) as { version: string }).version;
}
