export { createLocalTransport } from './local-transport.ts';
export type { CommandSpec, ExecOptions, ExecResult, HostInfo, PathStat, PathType, Transport } from './transport.ts';
