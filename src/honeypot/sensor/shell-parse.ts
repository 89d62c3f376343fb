/**
 * A shell line split as ash would split it, enough for what bots type: words with '…', "…" and
 * backslash quoting, the operators ; && || | &, and redirections (> >> < 2> 2>&1). `$(…)` and
 * backticks stay literal text: nothing is ever substituted or run.
 */

export type Joint = ';' | '&&' | '||' | '|' | '&';

export interface Redirect {
  readonly fd: number;
  readonly op: '>' | '>>' | '<' | '>&';
  readonly target: string;
}

export interface SimpleCommand {
  readonly argv: string[];
  readonly redirects: Redirect[];
  /** How the next command is joined to this one (null: the last). */
  next: Joint | null;
}

const OPERATOR_CHARS = new Set([';', '&', '|', '>', '<']);

type Token = { word: string } | { op: string };

function tokenize(line: string): Token[] {
  const out: Token[] = [];
  let word = '';
  let inWord = false;
  const end = (): void => { if (inWord) out.push({ word }); word = ''; inWord = false; };
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === ' ' || c === '\t') { end(); continue; }
    if (c === "'") {
      const close = line.indexOf("'", i + 1);
      const stop = close < 0 ? line.length : close;
      word += line.slice(i + 1, stop);
      inWord = true;
      i = stop;
      continue;
    }
    if (c === '"') {
      inWord = true;
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1] as string)) j++;
        word += line[j];
      }
      i = j;
      continue;
    }
    if (c === '\\') { if (i + 1 < line.length) word += line[++i]; inWord = true; continue; }
    if (c === '#' && !inWord) break;
    if (OPERATOR_CHARS.has(c)) {
      // A lone digit before > or < is the file descriptor it redirects.
      if ((c === '>' || c === '<') && inWord && /^[0-9]$/.test(word)) { out.push({ op: `${word}` }); word = ''; inWord = false; }
      else end();
      const two = line.slice(i, i + 2);
      if (two === '&&' || two === '||' || two === '>>' || two === '>&') { out.push({ op: two }); i++; }
      else out.push({ op: c });
      continue;
    }
    word += c;
    inWord = true;
  }
  end();
  return out;
}

export function parseLine(line: string): SimpleCommand[] {
  const cmds: SimpleCommand[] = [];
  let cur: SimpleCommand = { argv: [], redirects: [], next: null };
  const tokens = tokenize(line);
  let fd: number | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if ('word' in t) { cur.argv.push(t.word); continue; }
    if (/^[0-9]$/.test(t.op)) { fd = Number(t.op); continue; }
    if (t.op === '>' || t.op === '>>' || t.op === '<' || t.op === '>&') {
      const next = tokens[i + 1];
      const target = next && 'word' in next ? next.word : '';
      if (next && 'word' in next) i++;
      cur.redirects.push({ fd: fd ?? (t.op === '<' ? 0 : 1), op: t.op, target });
      fd = undefined;
      continue;
    }
    fd = undefined;
    cur.next = t.op as Joint;
    if (cur.argv.length || cur.redirects.length) cmds.push(cur);
    cur = { argv: [], redirects: [], next: null };
  }
  if (cur.argv.length || cur.redirects.length) cmds.push(cur);
  const last = cmds[cmds.length - 1];
  if (last && last.next !== '&') last.next = null;
  return cmds;
}
