/**
 * JSON text → value, or where it breaks as line and column (JSON.parse names only a character
 * offset, and not in every message).
 */
export type JsonText = { ok: true; value: unknown } | { ok: false; message: string; line: number; column: number };

export function parseJsonText(text: string): JsonText {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const m = /position (\d+)/.exec(message);
    const at = m ? Math.min(Number(m[1]), text.length) : text.length;
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - (before.lastIndexOf('\n') + 1) + 1;
    return { ok: false, message: message.replace(/\s*(in JSON )?at position \d+.*$/s, '').replace(/^Unexpected end of JSON input$/, 'the JSON text ends too early'), line, column };
  }
}
