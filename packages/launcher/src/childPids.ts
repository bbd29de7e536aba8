import fs from 'node:fs';

let supported: boolean | undefined;

/**
 * The PIDs of a process's children, from /proc/<pid>/task/<tid>/children (every thread's, since
 * children belong to the thread that forked them): a tree walk without scanning the whole table.
 * Undefined when the kernel lacks that file (CONFIG_PROC_CHILDREN); [] when the process is gone.
 */
export function childPids(pid: number): number[] | undefined {
  supported ??= fs.existsSync(`/proc/${process.pid}/task/${process.pid}/children`);
  if (!supported) return undefined;
  const children: number[] = [];
  let tasks: string[];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return children;
  }
  for (const tid of tasks) {
    try {
      for (const word of fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1').split(' ')) {
        if (word !== '') children.push(Number(word));
      }
    } catch {
      // thread or process gone meanwhile
    }
  }
  return children;
}
