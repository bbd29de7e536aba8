import { describe, expect, it } from 'vitest';
import { ListenRefusedError } from './errors.js';
import { isLoopbackHost, planListen } from './listenPlan.js';

describe('planListen', () => {
  it('listens on 127.0.0.1:9715 by default and accepts the loopback names as Host', () => {
    const plan = planListen({});
    expect(plan).toMatchObject({ host: '127.0.0.1', port: 9715, loopback: true, origin: 'http://127.0.0.1:9715' });
    expect([...plan.allowedHosts].sort()).toEqual(['127.0.0.1:9715', '[::1]:9715', 'localhost:9715']);
  });

  it('takes an IPv6 loopback address', () => {
    const plan = planListen({ listen: '[::1]:8000' });
    expect(plan).toMatchObject({ host: '::1', loopback: true, origin: 'http://[::1]:8000' });
  });

  it.each([
    ['0.0.0.0:9715', 'no TLS certificate and key'],
    ['192.168.1.5:9715', 'no TLS certificate and key'],
    ['example.com:443', 'no TLS certificate and key'],
    ['127.0.0.1', 'not HOST:PORT'],
  ])('refuses %s', (listen, reason) => {
    expect(() => planListen({ listen })).toThrow(ListenRefusedError);
    expect(() => planListen({ listen })).toThrow(reason);
  });

  it('refuses half a TLS configuration', () => {
    expect(() => planListen({ tlsCert: '/x.pem' })).toThrow('both a certificate and a key');
  });

  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1'])('counts %s as loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['0.0.0.0', '::', '10.0.0.1', 'example.com', '::ffff:127.0.0.1'])('does not count %s as loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});
