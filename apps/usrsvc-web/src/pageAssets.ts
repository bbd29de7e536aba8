import fs from 'node:fs';
import path from 'node:path';

export interface PageAsset {
  body: string;
  type: string;
}

const TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/** The page's files, bundled at build time into `dir`, read once into memory. */
export function loadPageAssets(dir: string): Map<string, PageAsset> {
  const assets = new Map<string, PageAsset>();
  for (const [file, type] of Object.entries(TYPES)) assets.set(file, { body: fs.readFileSync(path.join(dir, file), 'utf8'), type });
  return assets;
}
