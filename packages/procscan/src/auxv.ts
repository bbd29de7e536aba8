import fs from 'node:fs';

export const AT_PAGESZ = 6;
export const AT_CLKTCK = 17;

const SIXTY_FOUR_BIT_ARCHES = new Set(['x64', 'arm64', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el', 'mips64']);

let cachedVector: Map<number, number> | null | undefined;

/** The ELF auxiliary vector the kernel handed this process (no subprocess needed); null without /proc. */
export function auxiliaryVector(): Map<number, number> | null {
  if (cachedVector !== undefined) return cachedVector;
  try {
    cachedVector = parseAuxv(fs.readFileSync('/proc/self/auxv'), SIXTY_FOUR_BIT_ARCHES.has(process.arch) ? 8 : 4);
  } catch {
    cachedVector = null;
  }
  return cachedVector;
}

export function parseAuxv(bytes: Buffer, wordSize: 4 | 8): Map<number, number> {
  const entries = new Map<number, number>();
  const littleEndian = bytes.length > 0 && isLittleEndianHost();
  for (let offset = 0; offset + 2 * wordSize <= bytes.length; offset += 2 * wordSize) {
    const type = readWord(bytes, offset, wordSize, littleEndian);
    if (type === 0) break; // AT_NULL ends the vector
    entries.set(type, readWord(bytes, offset + wordSize, wordSize, littleEndian));
  }
  return entries;
}

function readWord(bytes: Buffer, offset: number, wordSize: 4 | 8, littleEndian: boolean): number {
  if (wordSize === 4) return littleEndian ? bytes.readUInt32LE(offset) : bytes.readUInt32BE(offset);
  return Number(littleEndian ? bytes.readBigUInt64LE(offset) : bytes.readBigUInt64BE(offset));
}

function isLittleEndianHost(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}
