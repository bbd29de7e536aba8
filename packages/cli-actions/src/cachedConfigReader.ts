import { type ConfigInput, configInputsUnchanged, type ReadConfigOptions, readConfig, type UsrsvcConfig } from '@usrsvc/config';

export type ConfigReader = (options: ReadConfigOptions) => UsrsvcConfig;

const MAX_CONFIGS = 8;

/**
 * readConfig for a process that reads the same config again and again (usrsvcd answering
 * statuses): a config is read again only when what it was made from changed (configInputsUnchanged:
 * each file's stamp, the config_dir listing, each folder a setting names), else the earlier result
 * is returned. Keyed by the options the result depends on; a config that fails is never kept.
 */
export function cachedConfigReader(now: () => number = Date.now): ConfigReader {
  const cache = new Map<string, { config: UsrsvcConfig; inputs: ConfigInput[] }>();
  return (options) => {
    const env = options.env ?? {};
    const key = JSON.stringify([options.path ?? null, env.HOME ?? null, env.USRSVC_CONFIG ?? null, options.monitoringKeys ? Object.keys(options.monitoringKeys) : null]);
    const known = cache.get(key);
    if (known && configInputsUnchanged(known.inputs, now())) return known.config;
    cache.delete(key);
    const inputs: ConfigInput[] = [];
    const config = readConfig({ ...options, inputs });
    if (cache.size >= MAX_CONFIGS) cache.delete(cache.keys().next().value!);
    cache.set(key, { config, inputs });
    return config;
  };
}
