import type { ProgramView } from '@usrsvc/api';
import { Faults, RpcFault } from './faults.js';
import { readLogBytes, tailLogBytes } from './logFile.js';
import { groupOf, processInfo } from './processInfo.js';
import { processState, RUNNING_STATES, SIGNALLABLE_STATES, SupervisorStates } from './processStates.js';
import { parseSignal } from './signals.js';
import type { SupervisorBackend } from './SupervisorBackend.js';
import type { XmlRpcValue } from './xmlRpcValue.js';

/** supervisord's API version: supervisorctl refuses a server that answers anything else. */
export const API_VERSION = '3.0';

type ParamType = 'string' | 'int' | 'boolean' | 'array';

interface Param {
  name: string;
  type: ParamType;
  /** Value when the caller leaves it out; a param without one is required. */
  default?: XmlRpcValue;
}

export interface MethodContext {
  backend: SupervisorBackend;
  /** Runs after the answer has been sent (shutdown, restart). */
  afterResponse(action: () => void): void;
}

export interface MethodSpec {
  name: string;
  /** read: answers only; write: changes something (refused with a read-only token). */
  access: 'read' | 'write';
  params: Param[];
  returns: string;
  help: string;
  call(args: XmlRpcValue[], ctx: MethodContext): XmlRpcValue | Promise<XmlRpcValue>;
}

/** At most this many programs are started or stopped at once by the *All / *Group methods. */
export const ALL_CONCURRENCY = 4;

/** Splits "group:name" as supervisord's split_namespec: [group, process or undefined for the whole group]. */
export function splitNamespec(namespec: string): [string, string | undefined] {
  const colon = namespec.indexOf(':');
  if (colon < 0) return [namespec, namespec];
  const group = namespec.slice(0, colon);
  const process = namespec.slice(colon + 1);
  return [group, process === '' || process === '*' ? undefined : process];
}

/**
 * The programs of a group (a program, or every instance NAME@k of group NAME), BAD_NAME when there
 * is none. An instance's own name is a group of one: reloadConfig reports instances (worker@2
 * removed), and supervisorctl update stops and removes what it reports, as groups.
 */
function groupPrograms(backend: SupervisorBackend, group: string): ProgramView[] {
  const programs = backend.programs().filter((view) => groupOf(view.name) === group || view.name === group);
  if (programs.length === 0) throw new RpcFault('BAD_NAME', group);
  return programs.sort((a, b) => a.name.localeCompare(b.name));
}

/** A process name or group:name: the program, or undefined when the whole group is meant. */
function resolve(backend: SupervisorBackend, namespec: string): { group: string; program: ProgramView | undefined } {
  const [written, process] = splitNamespec(namespec);
  // A bare instance name (worker@1) is taken as worker:worker@1.
  const group = namespec.includes(':') ? written : groupOf(written);
  const inGroup = backend.programs().filter((view) => groupOf(view.name) === group);
  if (inGroup.length === 0) throw new RpcFault('BAD_NAME', namespec);
  if (process === undefined) return { group, program: undefined };
  const program = inGroup.find((view) => view.name === process);
  if (!program) throw new RpcFault('BAD_NAME', namespec);
  return { group, program };
}

function lexical(backend: SupervisorBackend): ProgramView[] {
  return backend.programs().sort((a, b) => (groupOf(a.name) === groupOf(b.name) ? a.name.localeCompare(b.name) : groupOf(a.name).localeCompare(groupOf(b.name))));
}

type Result = { name: string; group: string; status: number; description: string };

/** supervisord's make_allfunc: one result struct per program acted on, the faults as statuses. */
async function forEach(programs: ProgramView[], act: (view: ProgramView) => Promise<unknown>): Promise<Result[]> {
  const results: Result[] = new Array(programs.length);
  let next = 0;
  const worker = async () => {
    while (next < programs.length) {
      const index = next++;
      const view = programs[index]!;
      const base = { name: view.name, group: groupOf(view.name) };
      try {
        await act(view);
        results[index] = { ...base, status: Faults.SUCCESS, description: 'OK' };
      } catch (error) {
        const fault = error instanceof RpcFault ? error : new RpcFault('FAILED', (error as Error).message);
        results[index] = { ...base, status: fault.code, description: fault.text };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(ALL_CONCURRENCY, programs.length) }, worker));
  return results;
}

async function startOne(backend: SupervisorBackend, view: ProgramView, wait: boolean): Promise<true> {
  if (RUNNING_STATES.includes(processState(view))) throw new RpcFault('ALREADY_STARTED', view.name);
  if (!view.enabled) throw new RpcFault('SPAWN_ERROR', `${view.name} is disabled (enabled = False)`);
  const action = backend.act(view.name, 'start');
  if (!wait) {
    action.catch(() => undefined);
    return true;
  }
  const result = await action;
  switch (result.codeName) {
    case 'SUCCESS':
      if (result.outcome === 'already-running') throw new RpcFault('ALREADY_STARTED', view.name);
      return true;
    case 'PROGRAM_FAILED_TO_LAUNCH':
      throw new RpcFault('SPAWN_ERROR', view.name);
    case 'PROGRAM_EXITED_UNEXPECTEDLY':
      throw new RpcFault('ABNORMAL_TERMINATION', view.name);
    case 'PROGRAM_DISABLED':
      throw new RpcFault('SPAWN_ERROR', `${view.name} is disabled (enabled = False)`);
    default:
      throw new RpcFault('FAILED', result.message);
  }
}

async function stopOne(backend: SupervisorBackend, view: ProgramView, wait: boolean): Promise<true> {
  if (!RUNNING_STATES.includes(processState(view))) throw new RpcFault('NOT_RUNNING', view.name);
  const action = backend.act(view.name, 'stop');
  if (!wait) {
    action.catch(() => undefined);
    return true;
  }
  const result = await action;
  if (result.codeName !== 'SUCCESS') throw new RpcFault('FAILED', result.message);
  // The launcher's own look (under the program's lock) wins over a view a moment old.
  if (result.outcome === 'not-running') throw new RpcFault('NOT_RUNNING', view.name);
  return true;
}

async function signalOne(backend: SupervisorBackend, view: ProgramView, signal: string): Promise<true> {
  const parsed = parseSignal(signal);
  if (!parsed) throw new RpcFault('BAD_SIGNAL', signal);
  if (!SIGNALLABLE_STATES.includes(processState(view))) throw new RpcFault('NOT_RUNNING', view.name);
  const outcome = await backend.signal(view.name, parsed);
  if (outcome === 'not-running') throw new RpcFault('NOT_RUNNING', view.name);
  if (outcome === 'not-permitted') throw new RpcFault('FAILED', `${view.name}: not permitted to signal it`);
  return true;
}

function programOf(backend: SupervisorBackend, namespec: string): ProgramView {
  const { program } = resolve(backend, namespec);
  if (!program) throw new RpcFault('BAD_NAME', namespec);
  return program;
}

const NAME: Param = { name: 'name', type: 'string' };
const WAIT: Param = { name: 'wait', type: 'boolean', default: true };
const OFFSET: Param = { name: 'offset', type: 'int' };
const LENGTH: Param = { name: 'length', type: 'int' };
const SIGNAL: Param = { name: 'signal', type: 'string' };

// Arguments are checked against the params before a method is called (callMethod).
const str = (v: XmlRpcValue | undefined) => v as string;
const int = (v: XmlRpcValue | undefined) => v as number;
const bool = (v: XmlRpcValue | undefined) => v as boolean;

const LOG_TAIL_HELP = `Requests (length) bytes from the (name)'s log, starting at (offset). If the total log size is
greater than (offset + length), the overflow flag is set and the (offset) is automatically
increased to position the buffer at the end of the log. If less than (length) bytes are
available, the maximum number of available bytes will be returned. (offset) returned is always
the last offset in the log +1.`;

function supervisorMethods(): MethodSpec[] {
  const apiVersion: MethodSpec = {
    name: 'supervisor.getAPIVersion',
    access: 'read',
    params: [],
    returns: 'string',
    help: 'Return the version of the RPC API used by supervisord (usrsvcd speaks supervisor\'s "3.0").',
    call: () => API_VERSION,
  };
  const readStdout: MethodSpec = {
    name: 'supervisor.readProcessStdoutLog',
    access: 'read',
    params: [NAME, OFFSET, LENGTH],
    returns: 'string',
    help: "Read length bytes from name's stdout log starting at offset (a negative offset with length 0: that many bytes from the end; length 0: to the end).",
    call: ([name, offset, length], { backend }) => readLogBytes(programOf(backend, str(name)).stdout, int(offset), int(length)),
  };
  const tailStdout: MethodSpec = {
    name: 'supervisor.tailProcessStdoutLog',
    access: 'read',
    params: [NAME, OFFSET, LENGTH],
    returns: 'array',
    help: `Tail the (stdout) log. ${LOG_TAIL_HELP}\n@return array result [string bytes, int offset, bool overflow]`,
    call: ([name, offset, length], { backend }) => tailLogBytes(programOf(backend, str(name)).stdout, int(offset), int(length)),
  };
  const readLog: MethodSpec = {
    name: 'supervisor.readLog',
    access: 'read',
    params: [OFFSET, LENGTH],
    returns: 'string',
    help: "Read length bytes from usrsvcd's own log (usrsvcd_stdout) starting at offset.",
    call: ([offset, length], { backend }) => readLogBytes(backend.mainLogFile(), int(offset), int(length)),
  };
  const clearLogs: MethodSpec = {
    name: 'supervisor.clearProcessLogs',
    access: 'write',
    params: [NAME],
    returns: 'boolean',
    help: 'Refused with FAILED: usrsvc does not write the programs\' logs (each program writes its own files), so it does not clear them; use log rotation.',
    call: ([name], { backend }) => {
      programOf(backend, str(name));
      throw new RpcFault('FAILED', `${str(name)}: usrsvc does not clear a program's log files (the program writes them); rotate them instead`);
    },
  };
  return [
    apiVersion,
    { ...apiVersion, name: 'supervisor.getVersion', help: 'Deprecated alias of getAPIVersion (supervisorctl calls it): "3.0".' },
    {
      name: 'supervisor.getSupervisorVersion',
      access: 'read',
      params: [],
      returns: 'string',
      help: 'Return the version of usrsvcd (the manager answering in supervisord\'s place).',
      call: (_a, { backend }) => backend.daemon().version,
    },
    {
      name: 'supervisor.getIdentification',
      access: 'read',
      params: [],
      returns: 'string',
      help: 'Return the identifying string of the manager: "usrsvcd".',
      call: (_a, { backend }) => backend.daemon().identification,
    },
    {
      name: 'supervisor.getState',
      access: 'read',
      params: [],
      returns: 'struct',
      help: 'Return the state of the manager as a struct {statecode, statename}: RUNNING (1) while it answers.',
      call: () => ({ statecode: SupervisorStates.RUNNING, statename: 'RUNNING' }),
    },
    {
      name: 'supervisor.getPID',
      access: 'read',
      params: [],
      returns: 'int',
      help: 'Return the PID of usrsvcd.',
      call: (_a, { backend }) => backend.daemon().pid,
    },
    readLog,
    { ...readLog, name: 'supervisor.readMainLog', help: 'Alias of readLog.' },
    {
      name: 'supervisor.shutdown',
      access: 'write',
      params: [],
      returns: 'boolean',
      help: 'Shut down usrsvcd ONLY: every program keeps running (usrsvc is not their parent); start usrsvcd again to supervise them.',
      call: (_a, { backend, afterResponse }) => {
        afterResponse(() => backend.shutdown());
        return true;
      },
    },
    {
      name: 'supervisor.restart',
      access: 'write',
      params: [],
      returns: 'boolean',
      help: 'Restart usrsvcd ONLY: no program is stopped or restarted; the new usrsvcd adopts them with their PIDs unchanged.',
      call: (_a, { backend, afterResponse }) => {
        afterResponse(() => backend.restart());
        return true;
      },
    },
    {
      name: 'supervisor.reloadConfig',
      access: 'write',
      params: [],
      returns: 'array',
      help: 'Read the configuration files again and report [[added, changed, removed]] program names against the configuration in force; nothing is applied (addProcessGroup/removeProcessGroup do, as supervisorctl update calls them). CANT_REREAD with the errors when the files do not check.',
      call: async (_a, { backend }) => {
        const changes = await backend.reloadConfig();
        if ('error' in changes) throw new RpcFault('CANT_REREAD', changes.error);
        return [[changes.added, changes.changed, changes.removed]];
      },
    },
    {
      name: 'supervisor.addProcessGroup',
      access: 'write',
      params: [NAME],
      returns: 'boolean',
      help: 'Put the program (group) as last read by reloadConfig into force; ALREADY_ADDED when it is in force unchanged, BAD_NAME when the files do not define it.',
      call: async ([name], { backend }) => {
        const outcome = await backend.addProgram(str(name));
        if (outcome === 'already-added') throw new RpcFault('ALREADY_ADDED', str(name));
        if (outcome === 'no-such-program') throw new RpcFault('BAD_NAME', str(name));
        return true;
      },
    },
    {
      name: 'supervisor.removeProcessGroup',
      access: 'write',
      params: [NAME],
      returns: 'boolean',
      help: 'Take a stopped program (group) out of force; STILL_RUNNING while it runs.',
      call: async ([name], { backend }) => {
        const outcome = await backend.removeProgram(str(name));
        if (outcome === 'still-running') throw new RpcFault('STILL_RUNNING', str(name));
        if (outcome === 'no-such-program') throw new RpcFault('BAD_NAME', str(name));
        return true;
      },
    },
    {
      name: 'supervisor.getAllProcessInfo',
      access: 'read',
      params: [],
      returns: 'array',
      help: 'Get info about all processes (an array of getProcessInfo structs, by name).',
      call: (_a, { backend }) => {
        const now = Date.now();
        return lexical(backend).map((view) => processInfo(view, now));
      },
    },
    {
      name: 'supervisor.getProcessInfo',
      access: 'read',
      params: [NAME],
      returns: 'struct',
      help: 'Get info about a process named name (or group:name): name, group, start, stop, now, state, statename, spawnerr, exitstatus, logfile, stdout_logfile, stderr_logfile, pid, description.',
      call: ([name], { backend }) => processInfo(programOf(backend, str(name))),
    },
    {
      name: 'supervisor.getAllConfigInfo',
      access: 'read',
      params: [],
      returns: 'array',
      help: 'Get info about all available process configurations (as last read), one struct per program.',
      call: (_a, { backend }) => backend.configInfo(),
    },
    {
      name: 'supervisor.startProcess',
      access: 'write',
      params: [NAME, WAIT],
      returns: 'boolean',
      help: 'Start a process (or group:*) through usrsvc\'s launcher, as `usrsvc start NAME`; with wait, answers once it is up for success_seconds.',
      call: async ([name, wait], { backend }) => {
        const { group, program } = resolve(backend, str(name));
        if (!program) return startGroup(backend, group, bool(wait));
        return startOne(backend, program, bool(wait));
      },
    },
    {
      name: 'supervisor.startProcessGroup',
      access: 'write',
      params: [NAME, WAIT],
      returns: 'array',
      help: 'Start all processes in the group named name (a program is its own group).',
      call: ([name, wait], { backend }) => startGroup(backend, str(name), bool(wait)),
    },
    {
      name: 'supervisor.startAllProcesses',
      access: 'write',
      params: [WAIT],
      returns: 'array',
      help: 'Start every enabled program that does not run; an array of result structs {name, group, status, description}.',
      call: ([wait], { backend }) =>
        forEach(
          lexical(backend).filter((view) => view.enabled && !RUNNING_STATES.includes(processState(view))),
          (view) => startOne(backend, view, bool(wait)),
        ),
    },
    {
      name: 'supervisor.stopProcess',
      access: 'write',
      params: [NAME, WAIT],
      returns: 'boolean',
      help: 'Stop a process (or group:*) through usrsvc\'s launcher, as `usrsvc stop NAME`: it stays stopped until started.',
      call: async ([name, wait], { backend }) => {
        const { group, program } = resolve(backend, str(name));
        if (!program) return stopGroup(backend, group, bool(wait));
        return stopOne(backend, program, bool(wait));
      },
    },
    {
      name: 'supervisor.stopProcessGroup',
      access: 'write',
      params: [NAME, WAIT],
      returns: 'array',
      help: 'Stop all processes in the group named name.',
      call: ([name, wait], { backend }) => stopGroup(backend, str(name), bool(wait)),
    },
    {
      name: 'supervisor.stopAllProcesses',
      access: 'write',
      params: [WAIT],
      returns: 'array',
      help: 'Stop every program that runs; an array of result structs.',
      call: ([wait], { backend }) =>
        forEach(
          lexical(backend).filter((view) => RUNNING_STATES.includes(processState(view))),
          (view) => stopOne(backend, view, bool(wait)),
        ),
    },
    {
      name: 'supervisor.signalProcess',
      access: 'write',
      params: [NAME, SIGNAL],
      returns: 'boolean',
      help: "Send a signal, as name ('HUP') or number ('1'), to the process's main process (re-checked by PID and start time first).",
      call: async ([name, signal], { backend }) => {
        const { group, program } = resolve(backend, str(name));
        if (!program) return signalGroup(backend, group, str(signal));
        return signalOne(backend, program, str(signal));
      },
    },
    {
      name: 'supervisor.signalProcessGroup',
      access: 'write',
      params: [NAME, SIGNAL],
      returns: 'array',
      help: 'Send a signal to all processes in the group named name.',
      call: ([name, signal], { backend }) => signalGroup(backend, str(name), str(signal)),
    },
    {
      name: 'supervisor.signalAllProcesses',
      access: 'write',
      params: [SIGNAL],
      returns: 'array',
      help: 'Send a signal to every process that runs; an array of result structs.',
      call: ([signal], { backend }) =>
        forEach(
          lexical(backend).filter((view) => SIGNALLABLE_STATES.includes(processState(view))),
          (view) => signalOne(backend, view, str(signal)),
        ),
    },
    readStdout,
    { ...readStdout, name: 'supervisor.readProcessLog', help: 'Alias of readProcessStdoutLog.' },
    {
      ...readStdout,
      name: 'supervisor.readProcessStderrLog',
      help: "Read length bytes from name's stderr log starting at offset.",
      call: ([name, offset, length], { backend }) => readLogBytes(programOf(backend, str(name)).stderr, int(offset), int(length)),
    },
    tailStdout,
    { ...tailStdout, name: 'supervisor.tailProcessLog', help: 'Alias of tailProcessStdoutLog.' },
    {
      ...tailStdout,
      name: 'supervisor.tailProcessStderrLog',
      help: `Tail the (stderr) log. ${LOG_TAIL_HELP}\n@return array result [string bytes, int offset, bool overflow]`,
      call: ([name, offset, length], { backend }) => tailLogBytes(programOf(backend, str(name)).stderr, int(offset), int(length)),
    },
    clearLogs,
    { ...clearLogs, name: 'supervisor.clearProcessLog', help: 'Alias of clearProcessLogs (refused).' },
    {
      name: 'supervisor.clearAllProcessLogs',
      access: 'write',
      params: [],
      returns: 'array',
      help: 'Refused for every program with FAILED: usrsvc does not clear the logs programs write.',
      call: (_a, { backend }) => forEach(lexical(backend), () => Promise.reject(new RpcFault('FAILED', "usrsvc does not clear a program's log files"))),
    },
  ];
}

async function startGroup(backend: SupervisorBackend, group: string, wait: boolean): Promise<Result[]> {
  const programs = groupPrograms(backend, group).filter((view) => !RUNNING_STATES.includes(processState(view)));
  return forEach(programs, (view) => startOne(backend, view, wait));
}

async function stopGroup(backend: SupervisorBackend, group: string, wait: boolean): Promise<Result[]> {
  const programs = groupPrograms(backend, group).filter((view) => RUNNING_STATES.includes(processState(view)));
  return forEach(programs, (view) => stopOne(backend, view, wait));
}

async function signalGroup(backend: SupervisorBackend, group: string, signal: string): Promise<Result[]> {
  const programs = groupPrograms(backend, group).filter((view) => SIGNALLABLE_STATES.includes(processState(view)));
  return forEach(programs, (view) => signalOne(backend, view, signal));
}

function systemMethods(table: () => ReadonlyMap<string, MethodSpec>): MethodSpec[] {
  const find = (name: string) => {
    const spec = table().get(name);
    if (!spec) throw new RpcFault('SIGNATURE_UNSUPPORTED');
    return spec;
  };
  return [
    {
      name: 'system.listMethods',
      access: 'read',
      params: [],
      returns: 'array',
      help: 'Return an array listing the available method names.',
      call: () => [...table().keys()].sort(),
    },
    {
      name: 'system.methodHelp',
      access: 'read',
      params: [NAME],
      returns: 'string',
      help: "Return a string showing the method's documentation.",
      call: ([name]) => {
        const spec = find(str(name));
        const params = spec.params.map((p) => `@param ${p.type} ${p.name}${p.default !== undefined ? ` (optional, default ${String(p.default)})` : ''}`);
        return [spec.help, ...params, `@return ${spec.returns} result`].join('\n');
      },
    },
    {
      name: 'system.methodSignature',
      access: 'read',
      params: [NAME],
      returns: 'array',
      help: "Return an array describing the method signature: [rtype, ptype, ptype...].",
      call: ([name]) => {
        const spec = find(str(name));
        return [spec.returns, ...spec.params.map((p) => p.type)];
      },
    },
    {
      name: 'system.multicall',
      access: 'read',
      params: [{ name: 'calls', type: 'array' }],
      returns: 'array',
      help: "Process an array of calls {methodName, params}; each result is a one-item array with the value or a struct {faultCode, faultString}. A call may not be system.multicall.",
      // Dispatched by callMethod itself (it needs the dispatcher); never reached.
      call: () => {
        throw new RpcFault('FAILED', 'system.multicall is dispatched by callMethod');
      },
    },
  ];
}

let built: ReadonlyMap<string, MethodSpec> | undefined;

/** The one fixed table of every method served: a name absent from it is UNKNOWN_METHOD. */
export function methodTable(): ReadonlyMap<string, MethodSpec> {
  if (!built) {
    const table = new Map<string, MethodSpec>();
    for (const spec of [...supervisorMethods(), ...systemMethods(() => table)]) table.set(spec.name, spec);
    built = table;
  }
  return built;
}
