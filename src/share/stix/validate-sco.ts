/** The SCOs the hub accepts (section 6): value syntax and each type's MUSTs. */
import { checkBoolean, checkHashes, checkInteger, checkOrder, checkString, checkTimestamp } from './validate-common.js';
import { child, describe, isRecord, type Issues, type JsonRecord } from './issues.js';
import { domainNameProblem, parseIpValue, urlProblem } from './sco-values.js';
import { checkHostSco } from './validate-host-scos.js';

/** Extensions STIX predefines for each SCO type (sections 6.7, 6.12). */
export const SCO_EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  file: ['ntfs-ext', 'raster-image-ext', 'pdf-ext', 'archive-ext', 'windows-pebinary-ext'],
  'network-traffic': ['http-request-ext', 'tcp-ext', 'icmp-ext', 'socket-ext'],
  process: ['windows-process-ext', 'windows-service-ext'],
  'user-account': ['unix-account-ext'],
};

export function checkSco(issues: Issues, type: string, o: JsonRecord): void {
  if (o.defanged !== undefined) checkBoolean(issues, 'defanged', o.defanged);
  switch (type) {
    case 'ipv4-addr':
    case 'ipv6-addr': {
      if (typeof o.value !== 'string') break;
      const r = parseIpValue(o.value, type === 'ipv4-addr' ? 4 : 6);
      if (typeof r === 'string') issues.add('value', r);
      break;
    }
    case 'domain-name': {
      if (typeof o.value !== 'string') break;
      const why = domainNameProblem(o.value);
      if (why) issues.add('value', why);
      break;
    }
    case 'url': {
      if (typeof o.value !== 'string') break;
      const why = urlProblem(o.value);
      if (why) issues.add('value', why);
      break;
    }
    case 'network-traffic':
      checkNetworkTraffic(issues, o);
      break;
    case 'file':
      checkFile(issues, o);
      break;
    default:
      checkHostSco(issues, type, o);
  }
  if (['ipv4-addr', 'ipv6-addr', 'domain-name', 'url'].includes(type) && o.value !== undefined) checkString(issues, 'value', o.value);
}

function checkNetworkTraffic(issues: Issues, o: JsonRecord): void {
  if (o.src_ref === undefined && o.dst_ref === undefined) issues.add('src_ref', 'a network-traffic object must have src_ref or dst_ref (or both)');
  const p = o.protocols;
  if (p !== undefined) {
    if (!Array.isArray(p) || p.length === 0) issues.add('protocols', `must be a non-empty list of protocol names, not ${describe(p)}`);
    else p.forEach((e, i) => {
      if (checkString(issues, child('protocols', i), e, { nonEmpty: true }) && e !== e.toLowerCase()) issues.add(child('protocols', i), `protocol names are lowercase ("${e.toLowerCase()}")`);
    });
  }
  for (const k of ['src_port', 'dst_port'] as const) if (o[k] !== undefined) checkInteger(issues, k, o[k], 0, 65535);
  for (const k of ['src_byte_count', 'dst_byte_count', 'src_packets', 'dst_packets'] as const) if (o[k] !== undefined) checkInteger(issues, k, o[k], 0, Number.MAX_SAFE_INTEGER);
  for (const k of ['start', 'end'] as const) if (o[k] !== undefined) checkTimestamp(issues, k, o[k]);
  checkOrder(issues, o, 'start', 'end');
  if (o.is_active !== undefined) {
    checkBoolean(issues, 'is_active', o.is_active);
    if (o.is_active === true && o.end !== undefined) issues.add('is_active', 'must be false when end is present');
  }
  if (o.ipfix !== undefined && !isRecord(o.ipfix)) issues.add('ipfix', `must be a dictionary, not ${describe(o.ipfix)}`);
}

function checkFile(issues: Issues, o: JsonRecord): void {
  if (o.hashes === undefined && o.name === undefined) issues.add('hashes', 'a file object must have hashes or name (or both)');
  if (o.hashes !== undefined) checkHashes(issues, 'hashes', o.hashes);
  if (o.name !== undefined) checkString(issues, 'name', o.name, { nonEmpty: true });
  if (o.size !== undefined) checkInteger(issues, 'size', o.size, 0, Number.MAX_SAFE_INTEGER);
  for (const k of ['ctime', 'mtime', 'atime'] as const) if (o[k] !== undefined) checkTimestamp(issues, k, o[k]);
  for (const k of ['name_enc', 'mime_type'] as const) if (o[k] !== undefined) checkString(issues, k, o[k]);
  if (o.magic_number_hex !== undefined && (typeof o.magic_number_hex !== 'string' || !/^([0-9a-fA-F]{2})+$/.test(o.magic_number_hex))) {
    issues.add('magic_number_hex', `must be hexadecimal octets, not ${describe(o.magic_number_hex)}`);
  }
}
