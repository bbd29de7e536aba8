import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { ConfigErrors } from '../ConfigError.js';
import { readConfig } from '../readConfig.js';
import type { ReadConfigOptions, UsrsvcConfig } from '../types.js';

export interface ConfigHome extends TempHome {
  /** Writes files below the home; "@HOME@" in their text becomes the home's path. */
  files(files: Record<string, string>): void;
  read(options?: ReadConfigOptions): UsrsvcConfig;
  /** Reads expecting failure and returns the ConfigErrors thrown. */
  readErrors(options?: ReadConfigOptions): ConfigErrors;
}

/** A temporary HOME with a logs/ folder and a standard main config pointing config_dir at cfg/. */
export function makeConfigHome(mainExtra = ''): ConfigHome {
  const home = makeTempHome('usrsvc-config-test-');
  const config: ConfigHome = {
    ...home,
    files(files) {
      for (const [name, text] of Object.entries(files)) home.write(name, text.replaceAll('@HOME@', home.dir));
    },
    read(options = {}) {
      return readConfig({ env: { HOME: home.dir }, ...options });
    },
    readErrors(options = {}) {
      try {
        config.read(options);
      } catch (error) {
        if (error instanceof ConfigErrors) return error;
        throw error;
      }
      throw new Error('expected readConfig to throw ConfigErrors');
    },
  };
  home.write('logs/.keep', '');
  config.files({
    'usrsvc.cfg': `[Main]\nconfig_dir = @HOME@/cfg\npidfile = @HOME@/usrsvcd.pid\n${mainExtra}`,
  });
  home.write('cfg/.keep', '');
  return config;
}

/** A minimal valid program section. */
export function programSection(name: string, extra = ''): string {
  return [
    `[Program:${name}]`,
    `command = /usr/bin/sleep 1000 ${name}`,
    `pidfile = @HOME@/${name}.pid`,
    `stdout = @HOME@/logs/${name}.log`,
    extra,
  ].join('\n');
}
