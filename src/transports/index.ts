export { createLocalTransport } from './local-transport.ts';
export { createSshTransport } from './ssh-transport.ts';
export type { SshTarget, SshTransport } from './ssh-transport.ts';
export type { CommandSpec, ExecOptions, ExecResult, HostInfo, PathStat, PathType, Transport } from './transport.ts';
