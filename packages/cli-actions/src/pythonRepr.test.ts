import { describe, expect, it } from 'vitest';
import { pythonRepr } from './pythonRepr.js';

describe('pythonRepr', () => {
  it("renders the original's details dict", () => {
    const details = {
      args: ['/home/svcact/bin/MagicLooper.py'],
      cmdline: '/usr/bin/python /home/svcact/bin/MagicLooper.py',
      pid: 12467,
      executable: '/usr/bin/python',
      running: true,
    };
    expect(pythonRepr(details)).toBe(
      "{'args': ['/home/svcact/bin/MagicLooper.py'], 'cmdline': '/usr/bin/python /home/svcact/bin/MagicLooper.py', 'pid': 12467, 'executable': '/usr/bin/python', 'running': True}",
    );
  });

  it('quotes and escapes strings as Python does', () => {
    expect(pythonRepr("it's")).toBe(`"it's"`);
    expect(pythonRepr(`a'b"c`)).toBe(`'a\\'b"c'`);
    expect(pythonRepr('tab\there\n\u0001')).toBe("'tab\\there\\n\\x01'");
    expect(pythonRepr(null)).toBe('None');
    expect(pythonRepr(false)).toBe('False');
  });
});
