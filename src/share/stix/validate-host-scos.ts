/**
 * The SCOs beyond network addresses and files (section 6): artifacts, autonomous systems,
 * directories, e-mail, MAC addresses, mutexes, processes, software, user accounts, registry keys
 * and X.509 certificates — each one's MUSTs.
 */
import { checkBoolean, checkHashes, checkInteger, checkString, checkStringList, checkTimestamp } from './validate-common.js';
import { child, describe, isRecord, type Issues, type JsonRecord } from './issues.js';

const ENCRYPTION_ALGORITHMS = ['AES-256-GCM', 'ChaCha20-Poly1305', 'mime-type-indicated'];
const REGISTRY_TYPES = [
  'REG_NONE', 'REG_SZ', 'REG_EXPAND_SZ', 'REG_BINARY', 'REG_DWORD', 'REG_DWORD_BIG_ENDIAN', 'REG_DWORD_LITTLE_ENDIAN', 'REG_LINK', 'REG_MULTI_SZ',
  'REG_RESOURCE_LIST', 'REG_FULL_RESOURCE_DESCRIPTION', 'REG_RESOURCE_REQUIREMENTS_LIST', 'REG_QWORD', 'REG_INVALID_TYPE',
];
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** "a single colon-delimited, lowercase MAC-48 address, which MUST include leading zeros for each octet". */
const MAC48 = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;
/** RFC 5322 addr-spec, in its general shape: something before and after one "@", no spaces. */
const ADDR_SPEC = /^[^\s@]+@[^\s@]+$/;

/** Types whose properties are all optional: "at least one … MUST be included" (besides type and the common ones). */
const AT_LEAST_ONE: Readonly<Record<string, readonly string[]>> = {
  process: ['is_hidden', 'pid', 'created_time', 'cwd', 'command_line', 'environment_variables', 'opened_connection_refs', 'creator_user_ref', 'image_ref', 'parent_ref', 'child_refs', 'extensions'],
  'user-account': [
    'user_id', 'credential', 'account_login', 'account_type', 'display_name', 'is_service_account', 'is_privileged', 'can_escalate_privs', 'is_disabled',
    'account_created', 'account_expires', 'credential_last_changed', 'account_first_login', 'account_last_login', 'extensions',
  ],
  'windows-registry-key': ['key', 'values', 'modified_time', 'creator_user_ref', 'number_of_subkeys'],
  'x509-certificate': [
    'is_self_signed', 'hashes', 'version', 'serial_number', 'signature_algorithm', 'issuer', 'validity_not_before', 'validity_not_after', 'subject',
    'subject_public_key_algorithm', 'subject_public_key_modulus', 'subject_public_key_exponent', 'x509_v3_extensions',
  ],
};

const BOOLEANS = ['is_hidden', 'is_multipart', 'is_service_account', 'is_privileged', 'can_escalate_privs', 'is_disabled', 'is_self_signed'];
const TIMESTAMPS = [
  'ctime', 'mtime', 'atime', 'date', 'created_time', 'modified_time', 'account_created', 'account_expires', 'credential_last_changed', 'account_first_login',
  'account_last_login', 'validity_not_before', 'validity_not_after',
];
const STRINGS = [
  'mime_type', 'url', 'name', 'rir', 'path', 'path_enc', 'display_name', 'content_type', 'message_id', 'subject', 'body', 'cwd', 'command_line', 'cpe',
  'swid', 'vendor', 'version', 'user_id', 'credential', 'account_login', 'account_type', 'key', 'serial_number', 'signature_algorithm', 'issuer',
  'subject_public_key_algorithm', 'subject_public_key_modulus',
];

export function checkHostSco(issues: Issues, type: string, o: JsonRecord): void {
  for (const k of BOOLEANS) if (o[k] !== undefined) checkBoolean(issues, k, o[k]);
  for (const k of TIMESTAMPS) if (o[k] !== undefined) checkTimestamp(issues, k, o[k]);
  for (const k of STRINGS) if (o[k] !== undefined) checkString(issues, k, o[k]);
  const oneOf = AT_LEAST_ONE[type];
  if (oneOf && !oneOf.some((k) => o[k] !== undefined)) issues.add('', `a ${type} object needs at least one of its own properties (${oneOf.join(', ')})`);
  switch (type) {
    case 'artifact':
      checkArtifact(issues, o);
      break;
    case 'autonomous-system':
      if (o.number !== undefined) checkInteger(issues, 'number', o.number, 0, 4_294_967_295);
      break;
    case 'email-addr':
      if (typeof o.value === 'string' && !ADDR_SPEC.test(o.value)) issues.add('value', `"${o.value.slice(0, 60)}" is not an e-mail address (RFC 5322 addr-spec)`);
      else if (o.value !== undefined) checkString(issues, 'value', o.value);
      break;
    case 'email-message':
      checkEmailMessage(issues, o);
      break;
    case 'mac-addr':
      if (typeof o.value === 'string' && !MAC48.test(o.value)) issues.add('value', `"${o.value.slice(0, 60)}" is not a lowercase, colon-delimited MAC-48 address with leading zeros`);
      else if (o.value !== undefined) checkString(issues, 'value', o.value);
      break;
    case 'process':
      if (o.pid !== undefined) checkInteger(issues, 'pid', o.pid, 0, Number.MAX_SAFE_INTEGER);
      if (o.environment_variables !== undefined && !isRecord(o.environment_variables)) issues.add('environment_variables', `must be a dictionary, not ${describe(o.environment_variables)}`);
      break;
    case 'software':
      if (o.languages !== undefined) checkStringList(issues, 'languages', o.languages);
      break;
    case 'windows-registry-key':
      checkRegistryKey(issues, o);
      break;
    case 'x509-certificate':
      if (o.hashes !== undefined) checkHashes(issues, 'hashes', o.hashes);
      if (o.subject_public_key_exponent !== undefined) checkInteger(issues, 'subject_public_key_exponent', o.subject_public_key_exponent, 0, Number.MAX_SAFE_INTEGER);
      if (o.x509_v3_extensions !== undefined && !isRecord(o.x509_v3_extensions)) issues.add('x509_v3_extensions', `must be an object, not ${describe(o.x509_v3_extensions)}`);
      break;
  }
}

function checkArtifact(issues: Issues, o: JsonRecord): void {
  const bin = o.payload_bin;
  if (bin === undefined && o.url === undefined) issues.add('payload_bin', 'an artifact needs payload_bin or url');
  if (bin !== undefined && o.url !== undefined) issues.add('url', 'must not be present together with payload_bin');
  if (o.url !== undefined && o.hashes === undefined) issues.add('hashes', 'is required when url is present');
  if (o.hashes !== undefined) checkHashes(issues, 'hashes', o.hashes);
  if (bin !== undefined && (typeof bin !== 'string' || !BASE64.test(bin))) issues.add('payload_bin', `must be base64, not ${describe(bin)}`);
  if (o.encryption_algorithm !== undefined && !ENCRYPTION_ALGORITHMS.includes(String(o.encryption_algorithm))) {
    issues.add('encryption_algorithm', `must be one of ${ENCRYPTION_ALGORITHMS.join(', ')}, not ${describe(o.encryption_algorithm)}`);
  }
  if (o.decryption_key !== undefined) {
    checkString(issues, 'decryption_key', o.decryption_key);
    if (o.encryption_algorithm === undefined) issues.add('decryption_key', 'must not be present when encryption_algorithm is absent');
  }
}

function checkEmailMessage(issues: Issues, o: JsonRecord): void {
  if (o.is_multipart === true && o.body !== undefined) issues.add('body', 'must not be present when is_multipart is true (use body_multipart)');
  if (o.is_multipart === false && o.body_multipart !== undefined) issues.add('body_multipart', 'must not be present when is_multipart is false');
  if (o.received_lines !== undefined) checkStringList(issues, 'received_lines', o.received_lines);
  if (o.additional_header_fields !== undefined && !isRecord(o.additional_header_fields)) issues.add('additional_header_fields', `must be a dictionary, not ${describe(o.additional_header_fields)}`);
  const parts = o.body_multipart;
  if (parts === undefined) return;
  if (!Array.isArray(parts)) {
    issues.add('body_multipart', `must be a list of MIME parts, not ${describe(parts)}`);
    return;
  }
  parts.forEach((p, i) => {
    const path = child('body_multipart', i);
    if (!isRecord(p)) issues.add(path, `must be an object, not ${describe(p)}`);
    else if ((p.body === undefined) === (p.body_raw_ref === undefined)) issues.add(path, 'a MIME part needs exactly one of body or body_raw_ref');
  });
}

function checkRegistryKey(issues: Issues, o: JsonRecord): void {
  if (o.number_of_subkeys !== undefined) checkInteger(issues, 'number_of_subkeys', o.number_of_subkeys, 0, Number.MAX_SAFE_INTEGER);
  const values = o.values;
  if (values === undefined) return;
  if (!Array.isArray(values)) {
    issues.add('values', `must be a list of registry values, not ${describe(values)}`);
    return;
  }
  values.forEach((v, i) => {
    const p = child('values', i);
    if (!isRecord(v)) return issues.add(p, `must be an object, not ${describe(v)}`);
    for (const k of ['name', 'data'] as const) if (v[k] !== undefined) checkString(issues, child(p, k), v[k]);
    if (v.data_type !== undefined && !REGISTRY_TYPES.includes(String(v.data_type))) issues.add(child(p, 'data_type'), `must be one of ${REGISTRY_TYPES.join(', ')}, not ${describe(v.data_type)}`);
  });
}
