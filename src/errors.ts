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
  INGEST_INTERRUPTED: { status: 409, en: 'an interrupted ingest overlaps this input', ja: '中断された取り込みがこの入力と重なっています' },
  ENRICH_BAD_FORMAT: { status: 400, en: 'enrichment file does not match its format', ja: '付加情報ファイルの形式が正しくありません' },
  ENRICH_BAD_LINE: { status: 400, en: 'malformed line in enrichment file', ja: '付加情報ファイルに不正な行があります' },
  CONFIG_INVALID: { status: 400, en: 'invalid configuration', ja: '設定が正しくありません' },
  STORE_LOCKED: { status: 409, en: 'the data directory is in use by another process', ja: 'データディレクトリは他のプロセスが使用中です' },
  STORE_QUERY_FAILED: { status: 500, en: 'store query failed', ja: 'ストアへの問い合わせに失敗しました' },
  STORE_MIGRATION_FAILED: { status: 500, en: 'store migration failed', ja: 'ストアのマイグレーションに失敗しました' },
  SCOPE_DENIED: { status: 403, en: 'target is outside the authorised scope or excluded', ja: '対象は許可された調査範囲外、または除外対象です' },
  SCOPE_NOT_FOUND: { status: 404, en: 'no such scope', ja: '調査範囲が見つかりません' },
  SCOPE_INVALID: { status: 400, en: 'invalid scope', ja: '調査範囲の指定が正しくありません' },
  SCOPE_TOO_LARGE: { status: 400, en: 'the scope is larger than a /16 (IPv4) or a /48 (IPv6) and was not confirmed', ja: '調査範囲が /16（IPv4）または /48（IPv6）より広く、確認されていません' },
  SCOPE_EXPIRED: { status: 403, en: 'the scope is not valid at this time', ja: '調査範囲の有効期間外です' },
  IMPORT_BAD_FORMAT: { status: 400, en: 'input does not match the import format', ja: '取り込み形式と一致しません' },
  IMPORT_BAD_RECORD: { status: 400, en: 'malformed record in import', ja: '取り込みデータに不正なレコードがあります' },
  QUERY_PARSE: { status: 400, en: 'the search query does not parse', ja: '検索クエリを解釈できません' },
  QUERY_UNKNOWN_FIELD: { status: 400, en: 'unknown search field', ja: '不明な検索フィールドです' },
  RULES_INVALID: { status: 400, en: 'invalid fingerprint rules', ja: 'フィンガープリント規則が正しくありません' },
  VULN_FEED_INVALID: { status: 400, en: 'invalid vulnerability feed', ja: '脆弱性フィードが正しくありません' },
  CREDENTIALS_INVALID: { status: 400, en: 'invalid credential list', ja: '認証情報リストが正しくありません' },
  SURVEY_NOT_FOUND: { status: 404, en: 'no such survey run', ja: '調査の実行が見つかりません' },
  MONITOR_INVALID: { status: 400, en: 'invalid monitor', ja: 'モニターの設定が正しくありません' },
  AUTH_REQUIRED: { status: 401, en: 'sign-in or an API key is required', ja: 'ログインまたは API キーが必要です' },
  AUTH_FAILED: { status: 401, en: 'wrong username or password, or an invalid key', ja: 'ユーザー名・パスワードまたはキーが正しくありません' },
  RATE_LIMITED: { status: 429, en: 'too many requests', ja: 'リクエストが多すぎます' },
  QUERY_LIMIT_EXCEEDED: { status: 422, en: 'the query needed more time or memory than one query may use', ja: '問い合わせが 1 件あたりの時間またはメモリの上限を超えました' },
  AUTH_THROTTLED: { status: 429, en: 'too many failed sign-ins; try again later', ja: 'ログインの失敗が多すぎます。しばらくしてから再試行してください' },
  FORBIDDEN: { status: 403, en: 'not allowed for this account', ja: 'このアカウントには許可されていません' },
  CSRF_FAILED: { status: 403, en: 'missing or wrong CSRF token', ja: 'CSRF トークンがないか正しくありません' },
  BAD_REQUEST: { status: 400, en: 'invalid request', ja: 'リクエストが正しくありません' },
  BAD_IP: { status: 400, en: 'not a valid IP address', ja: '正しいIPアドレスではありません' },
  BAD_TIME: { status: 400, en: 'not a valid time', ja: '正しい日時ではありません' },
  NOT_FOUND: { status: 404, en: 'not found', ja: '見つかりません' },
  ORG_HAS_USERS: { status: 409, en: 'the organisation still has users: move or delete them first', ja: '組織にまだユーザーがいます。先に移動または削除してください' },
  INTERNAL: { status: 500, en: 'internal error', ja: '内部エラー' },
  TAXII_REMOTE_FAILED: { status: 502, en: 'the remote TAXII server refused or failed the request', ja: 'リモートの TAXII サーバーが要求を拒否したか失敗しました' },
} as const satisfies Record<string, { status: number; en: string; ja: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** The languages of the catalogue. */
export type Lang = 'en' | 'ja';
export const LANGS: readonly Lang[] = ['en', 'ja'];

/** A detail said in each language of the catalogue (a plain string is English only). */
export interface Localized { readonly en: string; readonly ja: string }

export class SakimoriError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Where the problem was found: a file name, byte offset, record number, field, line. */
  readonly where: Readonly<Record<string, string | number>>;
  /** The detail in Japanese, when the thrower gave one; otherwise the English detail is used. */
  private readonly detailJa: string | undefined;
  private readonly detailEn: string | undefined;

  constructor(code: ErrorCode, detail?: string | Localized, where: Record<string, string | number> = {}) {
    const en = typeof detail === 'string' ? detail : detail?.en;
    super(compose(ERRORS[code].en, en, where));
    this.name = 'SakimoriError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.where = where;
    this.detailEn = en;
    this.detailJa = typeof detail === 'string' ? undefined : detail?.ja;
  }

  /** The message in a language: the catalogue's text, the detail (in that language if given) and where. */
  messageIn(lang: Lang): string {
    return lang === 'en' ? this.message : compose(ERRORS[this.code].ja, this.detailJa ?? this.detailEn, this.where, '：');
  }

  toJSON(lang: Lang = 'en'): { code: ErrorCode; message: string; where: Readonly<Record<string, string | number>> } {
    return { code: this.code, message: this.messageIn(lang), where: this.where };
  }
}

function compose(base: string, detail: string | undefined, where: Readonly<Record<string, string | number>>, sep = ': '): string {
  const place = Object.entries(where).map(([k, v]) => `${k}=${v}`).join(' ');
  return [base, detail].filter(Boolean).join(sep) + (place ? ` (${place})` : '');
}

export function isSakimoriError(e: unknown): e is SakimoriError {
  return e instanceof SakimoriError;
}

/** A message for any thrown value, without assuming it is an Error. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
