export { makeTempHome, type TempHome } from './tempHome.js';
export { Reaper } from './reaper.js';
export { waitFor, sleep, WaitTimeoutError } from './waitFor.js';
export { procStat, isRunning, ancestorsOf, isInitOrSubreaper, readPidfile } from './procfs.js';
