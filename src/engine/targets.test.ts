import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesTarget } from './targets.ts';

describe('matchesTarget()', () => {
  const cases: [string, string, string | undefined, boolean][] = [
    ['host:file.site', 'host:file.site', undefined, true],
    ['host:file.site', 'host:file.site[0]', undefined, true],
    ['host:file.site', 'host:file.site["eu"]', undefined, true],
    ['host:file.site', 'host:file.site2', undefined, false],
    ['host:file.site[1]', 'host:file.site[0]', undefined, false],
    ['module:vpc', 'aws:vpc.main', 'module:vpc', true],
    ['module:vpc', 'aws:vpc.main', 'module:vpc.core-network', true],
    ['module:vpc', 'aws:vpc.main', 'module:vpc2', false],
  ];
  for (const [target, address, module, expected] of cases) {
    it(`${target} ${expected ? 'matches' : 'does not match'} ${address}${module === undefined ? '' : ` in ${module}`}`, () => {
      assert.equal(matchesTarget(target, address, module), expected);
    });
  }
});
