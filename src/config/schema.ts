import { z } from 'zod';

/** UDP source ports whose packets are replies (DNS, NTP, NetBIOS, SNMP, CLDAP, SSDP, mDNS, memcached): backscatter. */
export const DEFAULT_UDP_BACKSCATTER_PORTS = [53, 123, 137, 161, 389, 1900, 5353, 11211] as const;

/**
 * Ports whose traffic counts as aimed at IoT devices (the "IoT share" of darknet traffic, as
 * NICTER reports it): telnet, TR-069, ADB, vendor-specific exploit ports, camera/DVR and
 * building-automation protocols.
 */
export const DEFAULT_IOT_PORTS = [
  23, 2323, 23231, 7547, 5555, 37215, 52869, 81, 8081, 8000, 8888, 49152, 34567, 9527, 60001, 554, 8554,
  1883, 8883, 5683, 1900, 47808, 502, 20000, 37777, 6036, 8291, 5358, 2222, 4567, 9000, 10001,
];

export const configSchema = z.object({
  /** Data directory of the embedded stores. */
  dataDir: z.string().default('./sakimori-data'),
  /** ClickHouse server instead of embedded chDB. */
  clickhouseUrl: z.string().url().optional(),
  /** PostgreSQL server instead of embedded PGlite. */
  postgresUrl: z.string().optional(),
  sensor: z.string().min(1).max(100).default('default'),
  log: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).prefault({}),
  server: z.object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
  }).prefault({}),
  auth: z.object({
    // No `mode` any more: nothing is served anonymously (docs/organisations.md, Security model).
    /**
     * Failed sign-ins in a row for one username from one address (IPv6: its /64) before each
     * further try from there waits 2, 4, 8 … s; one address may fail 4× this often per
     * throttleMinutes across usernames. Other addresses are never held back (auth/sessions.ts).
     */
    maxFailedLogins: z.number().int().min(1).max(1000).default(5),
    /** The longest sign-in back-off wait, and the period of the per-address cap. */
    throttleMinutes: z.number().min(1).max(24 * 60).default(15),
    /** Secure attribute on the session cookie: `auto` sets it when the request came over HTTPS (or X-Forwarded-Proto https). */
    secureCookies: z.enum(['auto', 'always', 'never']).default('auto'),
  }).prefault({}),
  /** Outgoing notifications (monitor alerts now; cases and digests later). */
  notify: z.object({
    smtp: z.object({
      /** smtp://user:pass@host:port (STARTTLS when offered; `?starttls=off` for a plain relay) or smtps://…; unset → no e-mail. */
      url: z.string().optional(),
      from: z.string().default('sakimori@localhost'),
    }).prefault({}),
    webhookTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    /** CIDRs webhooks may reach although loopback, private, link-local…: refused by default (SSRF); a metadata address needs its own /32 or /128. */
    webhookAllow: z.array(z.string().regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, 'a CIDR such as 10.1.2.0/24')).default([]),
    /** Cases nobody can be told about (no organisation, no RIR contact, no address) go here. */
    escalationEmails: z.array(z.string().email()).default([]),
    /** A case still open is told again after this many days (between, it is not repeated). */
    remindDays: z.number().min(1).max(365).default(30),
    maxAttempts: z.number().int().min(1).max(50).default(6),
    /** First retry after this many seconds, doubling each time. */
    backoffSeconds: z.number().min(1).default(60),
  }).prefault({}),
  effects: z.object({
    /** Figures about other organisations (overall, rank, published groups) need at least k of them. */
    minOrganisations: z.number().int().min(2).max(1000).default(5),
  }).prefault({}),
  /** Active survey (probe/): rates are caps, the socket bound stays below `ulimit -n`. */
  /** The sharing hub's TAXII client (`taxii pull|push`, /api/v1/share/feeds): the remotes are users' URLs fetched by the server. */
  share: z.object({
    /** CIDRs a TAXII remote may be at although loopback, private, link-local…: refused by default (SSRF), as webhooks are; a metadata address needs its own /32 or /128. */
    remoteAllow: z.array(z.string().regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, 'a CIDR such as 10.1.2.0/24')).default([]),
  }).prefault({}),
  /** Victim reports (issue 16): an aggregate cell is released only with at least k distinct reporting organisations. */
  victimReports: z.object({
    k: z.number().int().min(2).max(1000).default(5),
  }).prefault({}),
  survey: z.object({
    ratePerSecond: z.number().min(1).max(1_000_000).default(1000),
    perHostRatePerSecond: z.number().min(0.01).max(100_000).default(10),
    concurrency: z.number().int().min(1).max(100_000).default(2000),
    connectTimeoutMs: z.number().int().min(50).max(60_000).default(3000),
    readTimeoutMs: z.number().int().min(50).max(120_000).default(5000),
    retries: z.number().int().min(0).max(10).default(1),
    maxCredentialAttempts: z.number().int().min(0).max(100).default(10),
  }).prefault({}),
  /** What one principal and one query may cost, so that one member's load does not slow the others. */
  limits: z.object({
    /** Events queries; store/events/query-limits.ts says which statements get which limit and why. */
    queries: z.object({
      /** A request's query stops after this many seconds (max_execution_time); 0: never. */
      maxExecutionSeconds: z.number().min(0).max(86_400).default(30),
      /** A read outside any request (CLI reports, monitors, case building); 0: never. Writes have none. */
      backgroundMaxExecutionSeconds: z.number().min(0).max(86_400).default(600),
      /** Memory of one read (max_memory_usage); 0: only the engine's server-wide cap. */
      maxMemoryBytes: z.number().int().min(0).default(4 * 2 ** 30),
      /** Threads of one heavy query; 0: embedded, all cores but one; server, its default. */
      heavyMaxThreads: z.number().int().min(0).max(1024).default(0),
      /** Request queries run at once per class (embedded: connections; server: queries in flight). */
      cheapConcurrency: z.number().int().min(1).max(64).default(4),
      heavyConcurrency: z.number().int().min(1).max(64).default(1),
    }).prefault({}),
    /** Per principal (a user; an address when nobody is signed in) and class of route (api/request-limits.ts). */
    requests: z.object({
      heavy: z.object({ inFlight: z.number().int().min(1).default(6), perSecond: z.number().positive().default(10), burst: z.number().int().min(1).default(60) }).prefault({}),
      cheap: z.object({ inFlight: z.number().int().min(1).default(32), perSecond: z.number().positive().default(50), burst: z.number().int().min(1).default(200) }).prefault({}),
    }).prefault({}),
  }).prefault({}),
  monitors: z.object({
    /** `sakimori serve` evaluates every enabled monitor this often (and after each survey run or import). */
    intervalMinutes: z.number().min(1).max(7 * 24 * 60).default(60),
  }).prefault({}),
  /** Flow collection (issue 17, docs/flows.md). */
  flows: z.object({
    /** Days raw flow records are kept, from their ingest (the necessary minimum). */
    keepDays: z.number().int().min(1).max(3650).default(7),
    /** Days the hourly per-server and per-exporter aggregates are kept, from their latest ingest. */
    aggregateKeepDays: z.number().int().min(1).max(3650).default(400),
    /** UDP addresses `serve` and `collect flows` listen on for NetFlow/IPFIX/sFlow, e.g. `0.0.0.0:2055`, `[::]:6343`; none: no collector in `serve`. */
    listen: z.array(z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*):\d{1,5}$/, 'ADDRESS:PORT, IPv6 in brackets: 0.0.0.0:2055, [::]:4739')).default([]),
    /** The carrier's internal prefixes, to orient flows (client = internal side); none: by ports. */
    internal: z.array(z.string().regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, 'a CIDR such as 10.0.0.0/8')).default([]),
    /** Records per insert batch of the collector (also flushed every flushMs). */
    batchSize: z.number().int().min(100).max(4_000_000).default(100_000),
    flushMs: z.number().int().min(50).max(60_000).default(1000),
    /** SO_RCVBUF of each socket (the kernel caps it at net.core.rmem_max). */
    receiveBufferBytes: z.number().int().min(65_536).max(1 << 30).default(32 * 1024 * 1024),
    /** How often the collector saves its templates and exporter statistics to the state store. */
    saveSeconds: z.number().int().min(1).max(3600).default(10),
    /** Nice value of the collector's receiving thread (only that thread; below 0 needs CAP_SYS_NICE): a loaded machine then starves the writer, which has a queue, before the sockets. */
    receiverNice: z.number().int().min(-20).max(19).optional(),
  }).prefault({}),
  darknet: z.object({
    /** Packets per insert batch: the unit of exactly-once ingest. */
    batchSize: z.number().int().min(1000).max(4_000_000).default(1_000_000),
    /** Days raw packets are kept; aggregates are kept for good. */
    retentionDays: z.number().int().min(1).max(3650).default(90),
    iotPorts: z.array(z.number().int().min(0).max(65535)).default(DEFAULT_IOT_PORTS),
    udpBackscatterSourcePorts: z.array(z.number().int().min(0).max(65535)).default([...DEFAULT_UDP_BACKSCATTER_PORTS]),
    /** Moore et al. backscatter attacks, thresholds as in CAIDA Corsaro's dos plugin. */
    dos: z.object({
      minPackets: z.number().int().min(1).default(25),
      minDurationSeconds: z.number().min(0).default(60),
      minPeakPerMinute: z.number().min(0).default(30),
      vectorTimeoutSeconds: z.number().min(60).default(300),
    }).prefault({}),
    /**
     * A port surges in an hour when its packets are at least minPackets, at least factor × the mean
     * of its history, and at most maxPValue likely under that history (negative binomial): see
     * analyze/port-surges.ts. The history is the hours of the previous baselineHours in which the
     * telescope received; an hour with fewer than minHistoryHours of them is not judged.
     */
    surge: z.object({
      baselineHours: z.number().int().min(3).max(24 * 28).default(24 * 7),
      minHistoryHours: z.number().int().min(3).max(24 * 28).default(24),
      factor: z.number().min(1).default(5),
      minPackets: z.number().int().min(1).default(200),
      maxPValue: z.number().gt(0).max(0.5).default(1e-6),
    }).refine((s) => s.minHistoryHours <= s.baselineHours, { message: 'minHistoryHours cannot exceed baselineHours', path: ['minHistoryHours'] }).prefault({}),
  }).prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
