export { fetchGitModule, hashDirectory, moduleCacheDir } from './fetch-module.ts';
export { LOCKFILE_NAME, readLockfile, writeLockfile } from './lockfile.ts';
export type { LockedModule, Lockfile } from './lockfile.ts';
export { parseGitSource } from './module-source.ts';
export type { GitModuleSource } from './module-source.ts';
export { createModuleResolver, resolveModules } from './resolve-modules.ts';
export type { ModuleResolution } from './resolve-modules.ts';
