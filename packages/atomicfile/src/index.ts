export { releaseTemporaryPath, reserveTemporaryPath } from './temporaryPath.js';
export { replaceFileAtomic, writeFileAtomic, writeFileAtomicSync, type WriteFileAtomicOptions } from './writeFileAtomic.js';
