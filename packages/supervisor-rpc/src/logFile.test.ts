import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLogBytes, tailLogBytes } from './logFile.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'supervisor-rpc-'));
const file = path.join(dir, 'out.log');
fs.writeFileSync(file, '0123456789');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("supervisord's log read semantics", () => {
  it('readProcessStdoutLog: offset/length, negative offset from the end, length 0 to the end; faults', async () => {
    expect(await readLogBytes(file, 2, 3)).toBe('234');
    expect(await readLogBytes(file, -4, 0)).toBe('6789');
    expect(await readLogBytes(file, -100, 0)).toBe('0123456789');
    expect(await readLogBytes(file, 7, 0)).toBe('789');
    expect(await readLogBytes(file, 20, 5)).toBe('');
    await expect(readLogBytes(file, -4, 2)).rejects.toMatchObject({ code: 3 });
    await expect(readLogBytes(file, 0, -2)).rejects.toMatchObject({ code: 3 });
    await expect(readLogBytes(path.join(dir, 'missing'), 0, 0)).rejects.toMatchObject({ code: 20 });
  });

  it('tailProcessStdoutLog: [bytes, offset, overflow] as supervisord computes them', async () => {
    expect(await tailLogBytes(file, 0, 4)).toEqual(['6789', 10, true]);
    expect(await tailLogBytes(file, 0, 100)).toEqual(['0123456789', 10, false]);
    expect(await tailLogBytes(file, 10, 100)).toEqual(['', 10, false]);
    expect(await tailLogBytes(file, 8, 2)).toEqual(['89', 10, false]);
    expect(await tailLogBytes(path.join(dir, 'missing'), 5, 5)).toEqual(['', 0, false]);
  });
});
