import { describe, expect, it } from 'vitest';
import { sharedSnapshot } from './sharedSnapshot.js';

describe('sharedSnapshot', () => {
  it('is one coalescing snapshot per uid, scanning only that uid', async () => {
    const uid = process.getuid?.() ?? 0;
    expect(sharedSnapshot(uid)).toBe(sharedSnapshot(uid));
    const [a, b] = await Promise.all([sharedSnapshot(uid)(), sharedSnapshot(uid)()]);
    expect(a).toBe(b);
    expect(a.get(process.pid)?.pid).toBe(process.pid);
    expect(a.processes.every((info) => info.uid === uid)).toBe(true);
  });
});
