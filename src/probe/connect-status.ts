/** A failed connect's message as a finding's status: refused → closed, timed out → timeout. */
export function connectStatus(msg: string): 'closed' | 'timeout' | 'error' {
  return /ECONNREFUSED/.test(msg) ? 'closed' : /timeout/i.test(msg) ? 'timeout' : 'error';
}
