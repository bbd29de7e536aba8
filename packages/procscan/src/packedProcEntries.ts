import { parseProcStat } from './parseProcStat.js';
import { processInfoOf, residentPages } from './readProcEntry.js';
import type { ProcessInfo } from './types.js';

/** Bytes of a record's header: pid, uid, and the lengths of stat, cmdline and statm (u32 LE each). */
const HEADER = 20;

/**
 * The processes of a PackedProcReader's buffer, in its order. Each record is five little-endian
 * u32 (pid, uid, stat length, cmdline length, statm length, the last 0 when statm was not read)
 * followed by those files' bytes. A malformed stat is left out, as readProcEntry leaves it out.
 */
export function* packedProcEntries(packed: Buffer): Generator<ProcessInfo> {
  let at = 0;
  while (at + HEADER <= packed.length) {
    const pid = packed.readUInt32LE(at);
    const uid = packed.readUInt32LE(at + 4);
    const statEnd = at + HEADER + packed.readUInt32LE(at + 8);
    const cmdlineEnd = statEnd + packed.readUInt32LE(at + 12);
    const statmLength = packed.readUInt32LE(at + 16);
    const end = cmdlineEnd + statmLength;
    if (end > packed.length) throw new RangeError(`a packed /proc record at byte ${at} runs past the end (${end} > ${packed.length})`);
    const statmPages = statmLength > 0 ? residentPages(packed.subarray(cmdlineEnd, end)) : undefined;
    const stat = parseProcStat(packed.toString('utf8', at + HEADER, statEnd));
    if (stat !== undefined) yield processInfoOf(pid, uid, stat, packed.subarray(statEnd, cmdlineEnd), statmPages);
    at = end;
  }
}
