/** Thrown when the requested backend cannot run on this system. */
export class ProcscanUnsupportedError extends Error {
  readonly code = 'USRSVC_PROCSCAN_UNSUPPORTED';
  readonly backend: string;
  readonly platform: string;

  constructor(backend: string, reason: string) {
    super(`procscan backend "${backend}" is not available on ${process.platform}: ${reason}`);
    this.name = 'ProcscanUnsupportedError';
    this.backend = backend;
    this.platform = process.platform;
  }
}
