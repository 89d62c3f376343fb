/**
 * What a ZGrab2 module result says about its port, from its status and its error together.
 *
 * The status alone is not enough (status.go, TryGetScanStatus): a dial error is mapped to
 * connection-timeout only when the module passes it on as a bare *net.OpError; modules that wrap it
 * in their own message ("unable to dial target (…): dial tcp …: i/o timeout", "error opening
 * connection to target …", "could not connect to target …", "failed to dial target …", "dial
 * context failed: …") or whose error reaches the scanner another way are recorded as unknown-error
 * or under another status, and a refused connection is recorded as connection-timeout too ("TODO:
 * Distinguish connection timeout / connection refused"). So the error text decides whether the TCP
 * connection was ever made; the status only for what comes after it.
 */
export type Zgrab2Outcome =
  | { readonly kind: 'open' }
  | { readonly kind: 'closed' }
  | { readonly kind: 'skip'; readonly reason: string };

/**
 * Messages of a connection that was never made: the wrappers of every module (modules/…/scanner.go,
 * conn.go, processing.go) and the net package's own dial errors ("dial tcp 192.0.2.1:80: …",
 * Windows' "connectex: …").
 */
const NOT_CONNECTED = /\b(?:unable to dial|could not dial|failed to dial|error opening connection to|could not connect to target|could not initiate a L4 connection|dial context failed|dialing blocked IP|dialing IP \S+ timed out|failed to connect to any IPs|no reachable IPs|dial (?:tcp|udp)[46]? |connectex:)/i;
/** The dial was answered with a reset: a closed port. */
const REFUSED = /connection refused|actively refused/i;

/**
 * Statuses that come after the TCP connection was made (the port is open, its protocol exchange
 * failed), unless the error says the dial failed. Over UDP nothing is "connected": there only an
 * answer that could not be understood says the port is open.
 */
const AFTER_CONNECT = new Set(['application-error', 'protocol-error', 'handshake-error', 'unknown-error', 'io-timeout', 'connection-closed', 'post-tls-application-error']);
const UDP_ANSWERED = new Set(['application-error', 'protocol-error']);

export function zgrab2Outcome(status: string, error: string, udp: boolean): Zgrab2Outcome {
  if (status === 'success') return { kind: 'open' };
  if (status === 'connection-refused') return { kind: 'closed' };
  // A scanner that panicked is recorded as unknown-error "panic: …" (processing.go): no evidence.
  if (status === 'unknown-error' && error.startsWith('panic:')) return { kind: 'skip', reason: 'zgrab2 unknown-error (scanner panic)' };
  const notConnected = status === 'connection-timeout' || NOT_CONNECTED.test(error);
  if (notConnected && REFUSED.test(error)) return { kind: 'closed' };
  if (status === 'connection-timeout') return { kind: 'skip', reason: 'zgrab2 connection-timeout' };
  if (!AFTER_CONNECT.has(status)) return { kind: 'skip', reason: status ? `zgrab2 ${status.slice(0, 30)}` : 'zgrab2 result without status' };
  if (notConnected) return { kind: 'skip', reason: `zgrab2 ${status.slice(0, 30)} (target not reached: the dial failed)` };
  if (udp && !UDP_ANSWERED.has(status)) return { kind: 'skip', reason: `zgrab2 ${status.slice(0, 30)} (udp: no answer)` };
  return { kind: 'open' };
}
