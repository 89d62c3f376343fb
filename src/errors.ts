/**
 * The error catalogue: every error a user can see has a stable code, an HTTP status for the API
 * and a message in English and Japanese. Codes never change meaning once released.
 */
export const ERRORS = {
  CAPTURE_BAD_MAGIC: { status: 400, en: 'not a pcap or pcapng capture (unknown magic number)', ja: 'pcap/pcapng形式ではありません（マジックナンバー不明）' },
  CAPTURE_TRUNCATED: { status: 400, en: 'capture is truncated', ja: 'キャプチャが途中で切れています' },
  CAPTURE_CORRUPT: { status: 400, en: 'capture structure is corrupt', ja: 'キャプチャの構造が壊れています' },
  CAPTURE_UNSUPPORTED_LINKTYPE: { status: 400, en: 'unsupported link type', ja: '未対応のリンク種別です' },
  INPUT_NOT_FOUND: { status: 404, en: 'input file not found', ja: '入力ファイルが見つかりません' },
  INPUT_READ_FAILED: { status: 400, en: 'input could not be read', ja: '入力を読み込めませんでした' },
  ENRICH_BAD_FORMAT: { status: 400, en: 'enrichment file does not match its format', ja: '付加情報ファイルの形式が正しくありません' },
  ENRICH_BAD_LINE: { status: 400, en: 'malformed line in enrichment file', ja: '付加情報ファイルに不正な行があります' },
  CONFIG_INVALID: { status: 400, en: 'invalid configuration', ja: '設定が正しくありません' },
  STORE_LOCKED: { status: 409, en: 'the data directory is in use by another process', ja: 'データディレクトリは他のプロセスが使用中です' },
  STORE_QUERY_FAILED: { status: 500, en: 'store query failed', ja: 'ストアへの問い合わせに失敗しました' },
  STORE_MIGRATION_FAILED: { status: 500, en: 'store migration failed', ja: 'ストアのマイグレーションに失敗しました' },
  BAD_REQUEST: { status: 400, en: 'invalid request', ja: 'リクエストが正しくありません' },
  BAD_IP: { status: 400, en: 'not a valid IP address', ja: '正しいIPアドレスではありません' },
  BAD_TIME: { status: 400, en: 'not a valid time', ja: '正しい日時ではありません' },
  NOT_FOUND: { status: 404, en: 'not found', ja: '見つかりません' },
  INTERNAL: { status: 500, en: 'internal error', ja: '内部エラー' },
} as const satisfies Record<string, { status: number; en: string; ja: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class SakimoriError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Where the problem was found: a file name, byte offset, record number, field, line. */
  readonly where: Readonly<Record<string, string | number>>;

  constructor(code: ErrorCode, detail?: string, where: Record<string, string | number> = {}) {
    const base = ERRORS[code].en;
    const place = Object.entries(where)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    super([base, detail].filter(Boolean).join(': ') + (place ? ` (${place})` : ''));
    this.name = 'SakimoriError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.where = where;
  }

  toJSON(): { code: ErrorCode; message: string; where: Readonly<Record<string, string | number>> } {
    return { code: this.code, message: this.message, where: this.where };
  }
}

export function isSakimoriError(e: unknown): e is SakimoriError {
  return e instanceof SakimoriError;
}

/** A message for any thrown value, without assuming it is an Error. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
