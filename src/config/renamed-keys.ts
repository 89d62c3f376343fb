import { SakimoriError } from '../errors.js';
import { hasPath, setPath, takePath, type Json } from './json-tree.js';

/*
 * Keys a configuration file may still carry from an older release. Without this table zod drops
 * unknown keys without a word, so an operator's `data` or `auth.mode` would silently do nothing.
 */

/** Old dotted key → its new name: the value is moved there, with a warning to rename it. */
export const RENAMED_KEYS: Readonly<Record<string, string>> = {
  data: 'dataDir',
  'darknet.retention': 'darknet.retentionDays',
};

/** Dotted key → why it is gone: the value is dropped, with a warning to remove it. */
export const REMOVED_KEYS: Readonly<Record<string, string>> = {
  'auth.mode': 'nothing is served anonymously any more, every request needs a session or an API key (docs/organisations.md)',
};

/** A file's keys under their current names; both names at once is refused, as neither is clearly meant. */
export function upgradeKeys(json: Json, file: string, warn: (message: string) => void): Json {
  const out = structuredClone(json);
  for (const [from, to] of Object.entries(RENAMED_KEYS)) {
    if (!hasPath(out, from)) continue;
    if (hasPath(out, to)) {
      throw new SakimoriError('CONFIG_INVALID', `${from} is the old name of ${to} and both are set: remove ${from}`, { file });
    }
    setPath(out, to, takePath(out, from));
    warn(`${file}: ${from} is now called ${to}; rename it`);
  }
  for (const [key, why] of Object.entries(REMOVED_KEYS)) {
    if (!hasPath(out, key)) continue;
    takePath(out, key);
    warn(`${file}: ${key} is no longer used and is ignored (${why}); remove it`);
  }
  return out;
}
