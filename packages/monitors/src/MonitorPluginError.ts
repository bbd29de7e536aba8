export type MonitorPluginErrorReason =
  | 'invalid-spec' // not a package name nor an absolute path
  | 'not-found' // the package or file cannot be found
  | 'import-failed' // importing it threw
  | 'malformed' // its default export is not a MonitorPlugin (or an array of them)
  | 'duplicate-name' // two plugins with the same name
  | 'key-conflict' // two plugins claim the same [[Monitoring]] key
  | 'create-failed'; // plugin.create(program) threw

/** A monitor plugin cannot be loaded or used. `plugin` names it (the spec as written, or its name). */
export class MonitorPluginError extends Error {
  readonly code = 'USRSVC_MONITOR_PLUGIN' as const;
  readonly plugin: string;
  readonly reason: MonitorPluginErrorReason;
  readonly detail: string;
  /** The program whose monitor could not be created (reason 'create-failed'). */
  readonly program: string | undefined;

  constructor(
    plugin: string,
    reason: MonitorPluginErrorReason,
    detail: string,
    options: { cause?: unknown; program?: string } = {},
  ) {
    super(
      `monitor plugin ${JSON.stringify(plugin)}${options.program ? ` (program ${options.program})` : ''}: ${detail}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'MonitorPluginError';
    this.plugin = plugin;
    this.reason = reason;
    this.detail = detail;
    this.program = options.program;
  }
}

/** Two plugins claim the same `[[Monitoring]]` key (or a plugin claims a built-in key). */
export class MonitorKeyConflictError extends MonitorPluginError {
  readonly key: string;
  /** The plugins that claim the key: the first claimant, then the second. */
  readonly plugins: [string, string];

  constructor(key: string, first: string, second: string) {
    super(second, 'key-conflict', `claims the [[Monitoring]] key ${JSON.stringify(key)}, already owned by ${JSON.stringify(first)}`);
    this.name = 'MonitorKeyConflictError';
    this.key = key;
    this.plugins = [first, second];
  }
}
