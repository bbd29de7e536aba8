import { split } from 'shlex';
import { describe, expect, it } from 'vitest';
import { splitCommand } from './splitCommand.js';
import { outcomeOf, seededStrings } from './test-support/seededStrings.js';

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
    const randomCommand = seededStrings(24, ['a', 'b', ' ', '\t', '\n', "'", '"', '#', '$', '=', '-', '\\', '*', ';'], 14);
    for (let n = 0; n < 3000; n += 1) {
      const command = randomCommand();
      expect(outcomeOf(() => splitCommand(command)), JSON.stringify(command)).toEqual(outcomeOf(() => split(command)));
    }
  });

  it('throws as shlex does on an unclosed quote', () => {
    expect(() => splitCommand("sh -c 'echo")).toThrow();
  });
});
