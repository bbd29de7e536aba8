import { describe, expect, it } from 'vitest';
import { callAccess, callMethod } from './callMethod.js';
import { methodTable, splitNamespec } from './methodTable.js';
import type { SupervisorBackend } from './SupervisorBackend.js';

// The table's own properties; the methods' behaviour is tested with the real clients (apps/usrsvcd, apps/usrsvc-web).
const ISSUE_METHODS = [
  'getAPIVersion', 'getVersion', 'getSupervisorVersion', 'getIdentification', 'getState', 'getPID', 'getAllProcessInfo',
  'getProcessInfo', 'startProcess', 'stopProcess', 'startProcessGroup', 'stopProcessGroup', 'startAllProcesses',
  'stopAllProcesses', 'signalProcess', 'signalProcessGroup', 'signalAllProcesses', 'readProcessStdoutLog',
  'readProcessStderrLog', 'tailProcessStdoutLog', 'tailProcessStderrLog', 'clearProcessLogs', 'readLog', 'reloadConfig',
  'addProcessGroup', 'removeProcessGroup', 'getAllConfigInfo', 'shutdown', 'restart',
].map((m) => `supervisor.${m}`);

const noBackend = {} as SupervisorBackend;
const ctx = { backend: noBackend, afterResponse: () => undefined };

describe('the method table', () => {
  it('holds every method supervisorctl and the issue name, and the system ones', () => {
    const names = [...methodTable().keys()];
    for (const name of [...ISSUE_METHODS, 'system.listMethods', 'system.methodHelp', 'system.methodSignature', 'system.multicall']) expect(names).toContain(name);
    expect(methodTable().get('supervisor.shutdown')!.help).toContain('usrsvcd ONLY');
    expect(methodTable().get('supervisor.restart')!.help).toContain('no program is stopped or restarted');
  });

  it.each(['__proto__', 'constructor', 'supervisor.constructor', 'supervisor.__proto__', 'supervisor.toString', 'supervisor.getState.call', 'system', ''])(
    'resolves nothing outside the table: %j is UNKNOWN_METHOD',
    async (method) => {
      await expect(callMethod({ method, params: [] }, ctx)).rejects.toMatchObject({ code: 1 });
    },
  );

  it('checks parameter counts and types before any method runs', async () => {
    await expect(callMethod({ method: 'supervisor.getProcessInfo', params: [] }, ctx)).rejects.toMatchObject({ code: 2 });
    await expect(callMethod({ method: 'supervisor.getProcessInfo', params: [1] }, ctx)).rejects.toMatchObject({ code: 2 });
    await expect(callMethod({ method: 'supervisor.getAPIVersion', params: ['x'] }, ctx)).rejects.toMatchObject({ code: 2 });
    expect(await callMethod({ method: 'supervisor.getAPIVersion', params: [] }, ctx)).toBe('3.0');
  });

  it('tells reads from writes, inside a multicall too', () => {
    expect(callAccess({ method: 'supervisor.getAllProcessInfo', params: [] })).toBe('read');
    expect(callAccess({ method: 'supervisor.startProcess', params: ['x'] })).toBe('write');
    expect(callAccess({ method: 'system.multicall', params: [[{ methodName: 'supervisor.getPID', params: [] }]] })).toBe('read');
    expect(callAccess({ method: 'system.multicall', params: [[{ methodName: 'supervisor.getPID', params: [] }, { methodName: 'supervisor.stopProcess', params: ['x'] }]] })).toBe('write');
  });

  it("splits names as supervisord's split_namespec", () => {
    expect(splitNamespec('web')).toEqual(['web', 'web']);
    expect(splitNamespec('web:*')).toEqual(['web', undefined]);
    expect(splitNamespec('web:')).toEqual(['web', undefined]);
    expect(splitNamespec('web:web')).toEqual(['web', 'web']);
  });
});
