import fs from 'node:fs/promises';
import { RpcFault } from './faults.js';

/** The most a read answers with, whatever is asked (a whole log would be held in memory twice). */
export const LOG_READ_MAX_BYTES = 4 * 1024 * 1024;

async function sizeAndRead(file: string, position: number | undefined, length: number | undefined): Promise<{ size: number; data: Buffer }> {
  const handle = await fs.open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const from = position ?? 0;
    const want = Math.min(length ?? Math.max(0, size - from), LOG_READ_MAX_BYTES);
    if (want <= 0 || from >= size) return { size, data: Buffer.alloc(0) };
    const buffer = Buffer.alloc(Math.min(want, size - from));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
    return { size, data: buffer.subarray(0, bytesRead) };
  } finally {
    await handle.close();
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.stat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * supervisord's readFile: `length` bytes from `offset`; a negative offset reads that many bytes
 * from the end (then length must be 0); length 0 reads to the end. NO_FILE when the file is missing.
 */
export async function readLogBytes(file: string | undefined, offset: number, length: number): Promise<string> {
  if (!file || !(await exists(file))) throw new RpcFault('NO_FILE', file ?? 'none');
  if (offset < 0 && length !== 0) throw new RpcFault('BAD_ARGUMENTS');
  if (offset >= 0 && length < 0) throw new RpcFault('BAD_ARGUMENTS');
  try {
    if (offset < 0) {
      const { size } = await fs.stat(file);
      const from = Math.max(0, size - -offset);
      return (await sizeAndRead(file, from, -offset)).data.toString('utf8');
    }
    return (await sizeAndRead(file, offset, length === 0 ? undefined : length)).data.toString('utf8');
  } catch (error) {
    if (error instanceof RpcFault) throw error;
    throw new RpcFault('FAILED');
  }
}

/**
 * supervisord's tailFile: [bytes, offset, overflow]. When the file holds more than
 * offset + length bytes, overflow is true and the last `length` bytes are returned; the
 * returned offset is always the file's size (where the next call starts). A missing file is
 * ['', 0, false], as supervisord answers.
 */
export async function tailLogBytes(file: string | undefined, offset: number, length: number): Promise<[string, number, boolean]> {
  if (!file || !(await exists(file))) return ['', 0, false];
  try {
    const { size } = await fs.stat(file);
    let overflow = false;
    let from = offset;
    let want = length;
    if (size > from + want) {
      overflow = true;
      from = size - 1;
    }
    if (from + want > size) {
      if (from > size - 1) want = 0;
      from = size - want;
    }
    if (from < 0) from = 0;
    if (want < 0) want = 0;
    const data = want === 0 ? '' : (await sizeAndRead(file, from, want)).data.toString('utf8');
    return [data, size, overflow];
  } catch {
    return ['', offset, false];
  }
}
