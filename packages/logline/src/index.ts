export { ctime } from './ctime.js';
