// The setup most AWS tests share: moto and a stack directory made before the suite's tests,
// both removed after, and `run` for bin/runestone against them. Call inside a describe.
import { after, before } from 'node:test';
import { removeDir, runestone, writeStack, type CliResult } from './cli.ts';
import { startMoto, type Moto } from './moto.ts';

/** moto, the stack directory and a runner, valid once the suite's `before` has run. */
export interface MotoStack {
  readonly moto: Moto;
  readonly dir: string;
  readonly run: (...args: string[]) => Promise<CliResult>;
}

/** Registers before/after hooks that start moto and write `files`, then stop and remove them. */
export function motoStack(files: Readonly<Record<string, string>>, options: { readonly timeoutMs?: number } = {}): MotoStack {
  let moto: Moto | undefined;
  let dir: string | undefined;
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('motoStack is used before its before() hook ran');
    return value;
  };
  before(async () => {
    moto = await startMoto();
    dir = await writeStack(files);
  });
  after(async () => {
    await moto?.stop();
    if (dir !== undefined) await removeDir(dir);
  });
  return {
    get moto() {
      return ready(moto);
    },
    get dir() {
      return ready(dir);
    },
    run: (...args) => runestone(args, { cwd: ready(dir), env: ready(moto).env, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) }),
  };
}
