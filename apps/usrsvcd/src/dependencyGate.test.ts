import { describe, expect, it } from 'vitest';
import { dependencyGate } from './dependencyGate.js';
import type { StateKind } from './programState.js';

describe('dependencyGate', () => {
  it('lets a program start only once every dependency runs, naming the first that does not', () => {
    const states = new Map<string, StateKind>([['db', 'running'], ['cache', 'backoff']]);
    const stateOf = (name: string) => states.get(name);
    expect(dependencyGate({ dependsOn: [] }, stateOf)).toBeUndefined();
    expect(dependencyGate({ dependsOn: ['db'] }, stateOf)).toBeUndefined();
    expect(dependencyGate({ dependsOn: ['db', 'cache'] }, stateOf)).toBe('waiting for cache (backoff)');
    states.set('cache', 'gave-up');
    expect(dependencyGate({ dependsOn: ['cache'] }, stateOf)).toBe('waiting for cache (gave-up)');
    expect(dependencyGate({ dependsOn: ['gone'] }, stateOf)).toBe('waiting for gone (not configured)');
    states.set('cache', 'held');
    expect(dependencyGate({ dependsOn: ['cache'] }, stateOf)).toBe('waiting for cache (it waits for its own depends_on)');
  });
});
