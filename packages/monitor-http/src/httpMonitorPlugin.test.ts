import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type KeySpec, loadMonitorPlugins, monitoringKeysOf, type ProgramConfig, validateMonitorPlugin } from '@usrsvc/monitors';
import { describe, expect, it } from 'vitest';
import { httpMonitorPlugin } from './httpMonitorPlugin.js';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const programWith = (monitoring: Record<string, unknown>) =>
  ({ name: 'web', monitoring: { monitor_after: 30, activityfile_limit: 120, rss_limit: 0, ...monitoring } }) as unknown as ProgramConfig;
const validate = (key: string, value: unknown) => (httpMonitorPlugin.keys[key] as KeySpec).validate?.(value);

describe('http plugin', () => {
  it('is a valid plugin that owns the http_* keys', () => {
    expect(validateMonitorPlugin(httpMonitorPlugin, 'http')).toBe(httpMonitorPlugin);
    expect(Object.keys(monitoringKeysOf([httpMonitorPlugin])).sort()).toEqual(['http_expect_status', 'http_failures', 'http_timeout', 'http_url']);
    expect(httpMonitorPlugin.keys.http_timeout?.default).toBe(2);
    expect(httpMonitorPlugin.keys.http_expect_status?.default).toBe('2xx');
    expect(httpMonitorPlugin.keys.http_failures?.default).toBe(3);
  });

  it('validates its keys', () => {
    expect(validate('http_url', 'http://127.0.0.1:8080/health')).toBeUndefined();
    expect(validate('http_url', 'https://example.org/')).toBeUndefined();
    expect(validate('http_url', 'ftp://example.org/')).toBe('must be an http:// or https:// URL');
    expect(validate('http_url', '/health')).toBe('must be an http:// or https:// URL');
    expect(validate('http_timeout', 0)).toBe('must be greater than 0');
    expect(validate('http_failures', 0)).toBe('must be an integer of 1 or more');
    expect(validate('http_expect_status', '2xx,204')).toBeUndefined();
    expect(validate('http_expect_status', 'ok')).toMatch(/not a status code/);
  });

  it('creates a monitor only when http_url is set', () => {
    expect(httpMonitorPlugin.create(programWith({}))).toBeUndefined();
    expect(httpMonitorPlugin.create(programWith({ http_url: 'http://127.0.0.1:1/' }))?.name).toBe('http');
    expect(() => httpMonitorPlugin.create(programWith({ http_url: 'gopher://x' }))).toThrow(/http_url must be/);
  });

  it('loads as a third-party plugin from its package folder, with no runtime import of @usrsvc/monitors', async () => {
    const plugins = await loadMonitorPlugins([packageDir], { resolveFrom: [] });
    expect(plugins.map((plugin) => plugin.name)).toEqual(['http']);
    for (const file of fs.readdirSync(path.join(packageDir, 'dist')).filter((name) => name.endsWith('.js'))) {
      expect(fs.readFileSync(path.join(packageDir, 'dist', file), 'utf8')).not.toMatch(/(from|import\()\s*['"]@usrsvc\//);
    }
  });
});
