import { describe, expect, it } from 'vitest';
import { RouteTable } from './routeTable.js';

describe('RouteTable', () => {
  it('matches methods and :params, tells a wrong method from an unknown path, and takes later routes', () => {
    const handler = () => undefined;
    const routes = new RouteTable()
      .add({ method: 'GET', path: '/v1/programs', handler })
      .add({ method: 'GET', path: '/v1/programs/:name', handler })
      .add({ method: 'POST', path: '/v1/programs/:name/start', handler });
    expect(routes.match('GET', '/v1/programs/a%2Fb')).toMatchObject({ kind: 'found', params: { name: 'a/b' } });
    expect(routes.match('POST', '/v1/programs/web/start')).toMatchObject({ kind: 'found', params: { name: 'web' } });
    expect(routes.match('GET', '/v1/programs/web/start')).toEqual({ kind: 'no-method' });
    expect(routes.match('GET', '/v1/programs/')).toEqual({ kind: 'none' });
    expect(routes.match('GET', '/v1/programs/%E0%A4%A')).toEqual({ kind: 'none' });
    expect(routes.match('GET', '/v1/programs/web/logs')).toEqual({ kind: 'none' });
    routes.add({ method: 'GET', path: '/v1/programs/:name/logs', handler });
    expect(routes.match('GET', '/v1/programs/web/logs')).toMatchObject({ kind: 'found' });
  });
});
