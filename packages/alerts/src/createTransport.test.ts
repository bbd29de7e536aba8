import { describe, expect, it } from 'vitest';
import { createAlerter } from './createAlerter.js';
import { createTransport, parseSmtpUrl } from './createTransport.js';
import { AlertConfigError } from './errors.js';

describe('createTransport', () => {
  it('accepts smtp:// and smtps:// URLs and never shows the password', () => {
    const transport = createTransport({ smtpUrl: 'smtps://bob:s3cret@mail.example.com:465' });
    expect(transport.kind).toBe('smtp');
    if (transport.kind === 'smtp') {
      expect(transport.description).toBe('SMTP smtps://bob:***@mail.example.com:465');
      transport.transporter.close();
    }
    expect(parseSmtpUrl('smtp://127.0.0.1:2525').port).toBe('2525');
  });

  it('rejects other schemes and non-URLs with an AlertConfigError naming the setting', () => {
    expect(() => parseSmtpUrl('http://x')).toThrow(AlertConfigError);
    expect(() => parseSmtpUrl('http://x')).toThrow(/smtp_url.*http:/);
    expect(() => parseSmtpUrl('not a url:pass@')).toThrow(/smtp_url/);
    expect(() => createAlerter({ smtpUrl: 'ftp://u:secret@h' })).toThrow(/u:\*\*\*@h/);
  });

  it('says why there is no transport', () => {
    const none = createTransport({ sendmailPath: '/nonexistent/sendmail' });
    expect(none).toEqual({ kind: 'none', reason: expect.stringContaining('/nonexistent/sendmail is not an executable') });
    const auto = createTransport({ sendmailPath: 'auto', env: { PATH: '' }, findSendmailOptions: { standardPaths: [] } });
    expect(auto).toEqual({ kind: 'none', reason: expect.stringContaining('no sendmail found') });
  });
});
