import { type ChildProcess, spawn } from 'node:child_process';

export interface ClientResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (Debian's supervisorctl, python3, ansible-playbook): its exit code and output. */
export function runClient(command: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** Debian's supervisorctl against serverUrl (unix:///path or http://host:port). */
export function supervisorctl(serverUrl: string, args: string[], env: NodeJS.ProcessEnv, auth?: { user: string; password: string }): Promise<ClientResult> {
  const authArgs = auth ? ['-u', auth.user, '-p', auth.password] : [];
  return runClient('supervisorctl', ['-s', serverUrl, ...authArgs, ...args], env);
}

/** A client that runs until stopped (tail -f): its output so far, and a stop that ends it by PID. */
export function streamingClient(command: string, args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; stop: () => void } {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  return {
    child,
    output: () => out,
    stop: () => {
      if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
    },
  };
}

/**
 * Python's xmlrpc.client on a Unix socket (or http with basic auth): prints one JSON line per
 * call, {"ok": value} or {"fault": [code, text]} or {"http": status}.
 */
export const PYTHON_XMLRPC_PRELUDE = `
import sys, json, socket, http.client, xmlrpc.client
TARGET = sys.argv[1]
class UnixConnection(http.client.HTTPConnection):
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(TARGET[len('unix://'):])
def connection():
    if TARGET.startswith('unix://'):
        return UnixConnection('localhost')
    host = TARGET[len('http://'):].split('/')[0]
    return http.client.HTTPConnection(host)
class Transport(xmlrpc.client.Transport):
    def make_connection(self, host):
        return connection()
proxy = xmlrpc.client.ServerProxy('http://localhost/RPC2', transport=Transport(), allow_none=False)
def call(fn):
    try:
        print(json.dumps({'ok': fn()}, default=str))
    except xmlrpc.client.Fault as f:
        print(json.dumps({'fault': [f.faultCode, f.faultString]}))
    except xmlrpc.client.ProtocolError as e:
        print(json.dumps({'http': e.errcode}))
def raw(body, headers=None):
    c = connection()
    c.request('POST', '/RPC2', body, headers or {'content-type': 'text/xml'})
    r = c.getresponse()
    data = r.read()
    try:
        value = xmlrpc.client.loads(data)[0][0]
        print(json.dumps({'ok': value}, default=str))
    except xmlrpc.client.Fault as f:
        print(json.dumps({'fault': [f.faultCode, f.faultString]}))
    except Exception:
        print(json.dumps({'http': r.status}))
`;

export type PythonAnswer = { ok: unknown } | { fault: [number, string] } | { http: number };

/** Runs the prelude plus `body` with Debian's /usr/bin/python3 (the one supervisorctl and ansible use); one parsed answer per printed line. */
export async function python(target: string, body: string, env: NodeJS.ProcessEnv): Promise<PythonAnswer[]> {
  const result = await runClient('/usr/bin/python3', ['-c', `${PYTHON_XMLRPC_PRELUDE}\n${body}`, target], env);
  if (result.code !== 0) throw new Error(`python3 failed (${result.code}): ${result.stderr}`);
  return result.stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as PythonAnswer);
}
