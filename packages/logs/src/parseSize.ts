const UNITS: Record<string, number> = { '': 1, B: 1, K: 1024, KB: 1024, M: 1024 ** 2, MB: 1024 ** 2, G: 1024 ** 3, GB: 1024 ** 3 };

/** "50MB", "1GB", "512KB", "1048576": bytes (units of 1024, as supervisord's logfile_maxbytes); undefined if not a size. */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([KMG]?B?)$/i.exec(text.trim());
  if (!match) return undefined;
  const factor = UNITS[match[2]!.toUpperCase()];
  return factor === undefined ? undefined : Math.floor(Number.parseFloat(match[1]!) * factor);
}
