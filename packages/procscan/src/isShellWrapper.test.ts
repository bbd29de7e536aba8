import { describe, expect, it } from 'vitest';
import { isShellWrapper } from './isShellWrapper.js';

describe('isShellWrapper', () => {
  it.each([
    [['sh', '-c', 'sleep 60; :']],
    [['/bin/sh', '-c', 'x']],
    [['/usr/bin/bash', '-c', 'x']],
    [['dash', '-ec', 'x']],
    [['bash', '-x', '-c', 'x']],
    [['-bash', '-c', 'x']],
    [['/bin/sh -c sleep 60']],
  ])('%j is a wrapper', (argv) => {
    expect(isShellWrapper(argv)).toBe(true);
  });

  it.each([
    [['sleep', '60']],
    [['sh', 'script.sh']],
    [['bash']],
    [['python3', '-c', 'print(1)']],
    [['/opt/shell', '-c', 'x']],
    [[]],
  ])('%j is not a wrapper', (argv) => {
    expect(isShellWrapper(argv)).toBe(false);
  });
});
