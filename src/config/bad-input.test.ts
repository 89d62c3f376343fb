/** A bad configuration stops with CONFIG_INVALID naming where to look: the file (or variable, or flag) and the key. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { TempConfigDir } from './testing/temp-config.js';
import { errorOf } from '../util/testing/error-of.js';


describe('bad configuration input', () => {
  let tmp: TempConfigDir;
  beforeEach(() => void (tmp = new TempConfigDir()));
  afterEach(() => tmp.remove());

  it('names the file and the key of a value of the wrong type', () => {
    const file = tmp.write({ server: { port: '8080' } });
    const e = errorOf(() => loadConfig({ file, env: {} }));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.where).toEqual({ file });
    expect(e.message).toMatch(/^invalid configuration: server\.port: .*expected number, received string \(file=.*config\.json\)$/);
  });

  it('names the key inside an array', () => {
    const file = tmp.write({ notify: { escalationEmails: ['ok@example.org', 'not an address'] } });
    const e = errorOf(() => loadConfig({ file, env: {} }));
    expect(e.message).toMatch(/notify\.escalationEmails\.1: /);
    expect(e.where).toEqual({ file });
  });

  it('names a value out of range', () => {
    const e = errorOf(() => loadConfig({ file: tmp.write({ darknet: { retentionDays: 0 } }), env: {} }));
    expect(e.message).toMatch(/darknet\.retentionDays: /);
  });

  it('names the file of invalid JSON', () => {
    const file = tmp.write('{ "server": { "port": 8080, } }');
    const e = errorOf(() => loadConfig({ file, env: {} }));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toMatch(/not a JSON object: /);
    expect(e.where).toEqual({ file });
  });

  it('refuses YAML (the file is JSON only), naming the file', () => {
    const file = tmp.write('server:\n  port: 8080\n', 'sakimori.yaml');
    expect(errorOf(() => loadConfig({ file, env: {} })).where).toEqual({ file });
  });

  it('refuses a JSON value that is not an object', () => {
    const file = tmp.write('[1, 2]');
    expect(errorOf(() => loadConfig({ file, env: {} })).message).toMatch(/not a JSON object: not an object \(file=/);
  });

  it('names a file that cannot be read', () => {
    const file = `${tmp.dir}/missing.json`;
    expect(errorOf(() => loadConfig({ file, env: {} })).message).toBe(`invalid configuration: configuration file cannot be read (file=${file})`);
  });

  it('blames the environment variable, not the file, for a bad value it set', () => {
    // Before, this said (file=…config.json), where there was nothing wrong to find.
    const file = tmp.write({ server: { port: 8080 } });
    const e = errorOf(() => loadConfig({ file, env: { SAKIMORI_PORT: 'http' } }));
    expect(e.message).toMatch(/^invalid configuration: server\.port: .* \(env=SAKIMORI_PORT\)$/);
  });

  it('blames the command line for a bad flag', () => {
    const file = tmp.write({ log: { level: 'info' } });
    const e = errorOf(() => loadConfig({ file, env: {}, flags: { log: { level: 'loud' } } }));
    expect(e.message).toMatch(/^invalid configuration: log\.level: .* \(source=command line\)$/);
  });

  it('blames the file when a higher layer left the bad key alone', () => {
    const file = tmp.write({ server: { port: -1 } });
    const e = errorOf(() => loadConfig({ file, env: { SAKIMORI_HOST: '0.0.0.0' }, flags: { sensor: 'x' } }));
    expect(e.where).toEqual({ file });
  });
});
