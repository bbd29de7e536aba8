// Writes "line N" for N = 1, 2, 3... as fast as it can, one write(2) per line, until SIGTERM; then
// writes the last N to the file named by DONE_FILE and exits.
//   node numberedWriter.mjs stdout                 -> to fd 1 (open it with >> for O_APPEND)
//   node numberedWriter.mjs own FILE [HUP|USR1]    -> opens FILE itself, without O_APPEND, and
//                                                     reopens it on that signal (if given)
import fs from 'node:fs';

const [mode, file, reopenSignal] = process.argv.slice(2);
const open = () => fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT, 0o644);
let fd = 1;
// Without O_APPEND a writer keeps its own offset: writes go there, whatever the file's size is now.
let position = 0;
if (mode === 'own') {
  fd = open();
  position = fs.fstatSync(fd).size;
}
let reopen = false;
let stop = false;
if (reopenSignal) process.on(`SIG${reopenSignal}`, () => (reopen = true));
process.on('SIGTERM', () => (stop = true));
let n = 0;
function batch() {
  if (reopen) {
    reopen = false;
    fs.closeSync(fd);
    fd = open();
    position = fs.fstatSync(fd).size;
  }
  for (let i = 0; i < 200; i += 1) {
    n += 1;
    const text = `line ${n}\n`;
    if (mode === 'own') position += fs.writeSync(fd, text, position);
    else fs.writeSync(fd, text);
  }
  if (stop) {
    fs.writeFileSync(process.env.DONE_FILE, String(n));
    process.exit(0);
  }
  setImmediate(batch);
}
fs.writeFileSync(`${process.env.DONE_FILE}.ready`, String(process.pid));
batch();
