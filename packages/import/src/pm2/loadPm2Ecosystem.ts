import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseDocument } from 'yaml';
import { ImportParseError } from '../ImportParseError.js';

/**
 * The apps of a pm2 ecosystem file: JSON, YAML, or JavaScript (.js/.cjs by require, as pm2 loads
 * it, .mjs and ES-module .js by import): the user's own code, run as pm2 would run it.
 */
export async function loadPm2Ecosystem(file: string): Promise<Array<Record<string, unknown>>> {
  const absolute = path.resolve(file);
  const ext = path.extname(absolute).toLowerCase();
  let loaded: unknown;
  if (ext === '.js' || ext === '.cjs' || ext === '.mjs') loaded = await loadJs(absolute, ext);
  else {
    let text: string;
    try {
      text = fs.readFileSync(absolute, 'utf8');
    } catch (error) {
      throw new ImportParseError(absolute, undefined, `cannot read the file: ${(error as Error).message}`);
    }
    loaded = ext === '.json' ? parseJson(text, absolute) : parseYaml(text, absolute);
  }
  // An ES module loaded by require() (Node 20.19+ can) is its namespace: the config is its default export.
  if (loaded && typeof loaded === 'object' && !Array.isArray(loaded) && !('apps' in loaded) && 'default' in loaded) {
    loaded = (loaded as { default: unknown }).default;
  }
  const apps = Array.isArray(loaded) ? loaded : (loaded as { apps?: unknown } | undefined)?.apps;
  const list = Array.isArray(apps) ? apps : apps && typeof apps === 'object' ? [apps] : undefined;
  if (!list || list.some((app) => !app || typeof app !== 'object')) {
    throw new ImportParseError(absolute, undefined, 'expected { apps: [ { name, script, ... } ] } or a list of apps');
  }
  return list as Array<Record<string, unknown>>;
}

async function loadJs(file: string, ext: string): Promise<unknown> {
  try {
    if (ext !== '.mjs') {
      try {
        return createRequire(file)(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') throw error;
      }
    }
    const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    return module.default ?? module;
  } catch (error) {
    if (error instanceof ImportParseError) throw error;
    throw new ImportParseError(file, lineInStack(error, file), `the ecosystem file failed to load: ${(error as Error).message}`);
  }
}

function lineInStack(error: unknown, file: string): number | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`(?:file://)?${escaped}:(\\d+)`).exec(stack);
  return match ? Number(match[1]) : undefined;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    throw new ImportParseError(file, line, `invalid JSON: ${(error as Error).message}`);
  }
}

function parseYaml(text: string, file: string): unknown {
  const document = parseDocument(text);
  const error = document.errors[0];
  if (error) throw new ImportParseError(file, error.linePos?.[0]?.line, `invalid YAML: ${error.message.split('\n')[0]}`);
  return document.toJS();
}
