import { describe, expect, it } from 'vitest';
import { parseBoolean, parseKeyValue, splitList } from './parseKeyValue.js';

describe('parseKeyValue', () => {
  it.each([
    ['True', true],
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['2', true],
    ['False', false],
    ['fALSe', false],
    ['0', false],
  ])('reads the boolean %j as %j', (text, value) => {
    expect(parseBoolean(text)).toBe(value);
  });

  it.each(['yes', 'no', 'on', 'off', '', '-1'])('refuses %j as a boolean, as the original does', (text) => {
    expect(parseBoolean(text)).toBeUndefined();
    expect(parseKeyValue({ type: 'boolean' }, text)).toMatchObject({ ok: false, hint: expect.stringContaining('True') });
  });

  it('reads integers and numbers without signs, as the original does', () => {
    expect(parseKeyValue({ type: 'integer' }, '12')).toEqual({ ok: true, value: 12 });
    expect(parseKeyValue({ type: 'integer' }, '1.5')).toMatchObject({ ok: false });
    expect(parseKeyValue({ type: 'integer' }, '-1')).toMatchObject({ ok: false });
    expect(parseKeyValue({ type: 'number' }, '2.5')).toEqual({ ok: true, value: 2.5 });
    expect(parseKeyValue({ type: 'number' }, '.5')).toEqual({ ok: true, value: 0.5 });
    expect(parseKeyValue({ type: 'number' }, '1e3')).toMatchObject({ ok: false });
    expect(parseKeyValue({ type: 'number' }, 'five')).toMatchObject({ ok: false });
  });

  it('requires absolute paths', () => {
    expect(parseKeyValue({ type: 'path' }, '/a/b')).toEqual({ ok: true, value: '/a/b' });
    expect(parseKeyValue({ type: 'path' }, 'a/b')).toMatchObject({ ok: false, error: expect.stringContaining('absolute') });
  });

  it('splits lists on commas', () => {
    expect(splitList(' a@x.com, b@y.com ,,')).toEqual(['a@x.com', 'b@y.com']);
  });

  it('runs a spec validate function after parsing', () => {
    const spec = { type: 'integer' as const, validate: (v: unknown) => ((v as number) > 10 ? 'too big' : undefined) };
    expect(parseKeyValue(spec, '11')).toMatchObject({ ok: false, error: 'too big' });
    expect(parseKeyValue(spec, '9')).toEqual({ ok: true, value: 9 });
  });
});
