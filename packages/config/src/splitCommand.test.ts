import { split } from 'shlex';
import { describe, expect, it } from 'vitest';
import { splitCommand } from './splitCommand.js';

describe('splitCommand', () => {
  it('gives the words shlex gives, with or without shell syntax', () => {
    for (const command of [
      'sleep 3600',
      '  /usr/bin/python3   -m http.server\t8000\n',
      '\r\n',
      '',
      'env A=$HOME B=$X:-1 sh -c run # not a comment',
      "sh -c 'echo a  b'",
      'printf "%s\\n" "a b" c\\ d',
      "echo $'tab\\there' $\"x\"",
      'redis-server --port 6379 --save ""',
    ]) {
      expect(splitCommand(command), JSON.stringify(command)).toEqual(split(command));
    }
  });

  it('gives the words shlex gives for quoted commands of every shape (seeded random strings)', () => {
    const alphabet = ['a', 'b', ' ', '\t', '\n', "'", '"', '#', '$', '=', '-', '\\', '*', ';'];
    let seed = 24;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    for (let n = 0; n < 3000; n += 1) {
      const command = Array.from({ length: 1 + (next() % 14) }, () => alphabet[next() % alphabet.length]).join('');
      let expected: string[] | string;
      try {
        expected = split(command);
      } catch (error) {
        expected = `throws ${(error as Error).message}`;
      }
      let actual: string[] | string;
      try {
        actual = splitCommand(command);
      } catch (error) {
        actual = `throws ${(error as Error).message}`;
      }
      expect(actual, JSON.stringify(command)).toEqual(expected);
    }
  });

  it('throws as shlex does on an unclosed quote', () => {
    expect(() => splitCommand("sh -c 'echo")).toThrow();
  });
});
