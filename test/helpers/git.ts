/** Plain `git` on temp repositories, for module sources (no network). */
import { execFileSync } from 'node:child_process';

const IDENTITY = ['-c', 'user.name=Runestone Tests', '-c', 'user.email=tests@runestone.invalid', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false'];

/** Runs `git args` in `cwd` and returns its trimmed stdout; throws on failure. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', [...IDENTITY, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}
