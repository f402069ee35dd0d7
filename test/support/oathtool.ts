import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** A TOTP code computed by Debian's oathtool (an implementation that is not ours) for `at`. */
export function oathtoolCode(manualKey: string, at: Date): string {
  return execFileSync(
    'oathtool',
    ['--totp', '-b', '-N', `@${Math.floor(at.getTime() / 1000)}`, manualKey.replace(/\s+/g, '')],
    {
      encoding: 'utf8',
    },
  ).trim();
}

export const hasOathtool = ['/usr/bin/oathtool', '/usr/local/bin/oathtool'].some((p) => existsSync(p));
