import { describe, expect, it } from 'vitest';
import { parseHostPort } from './parseHostPort.js';

describe('parseHostPort', () => {
  it.each([
    ['127.0.0.1:9715', { host: '127.0.0.1', port: 9715 }],
    ['[::1]:80', { host: '::1', port: 80 }],
    ['localhost:1', { host: 'localhost', port: 1 }],
    ['0.0.0.0:65535', { host: '0.0.0.0', port: 65535 }],
  ])('reads %s', (text, expected) => {
    expect(parseHostPort(text)).toEqual(expected);
  });

  it.each(['127.0.0.1', ':80', '::1:80', '[nothost]:80', 'host:0', 'host:65536', 'host:80x', 'a b:80'])('rejects %s', (text) => {
    expect(parseHostPort(text)).toBeUndefined();
  });
});
