// The builder's ANSI colours as spans with classes (the CSP forbids inline style sheets, and a
// class per colour keeps the palette in build-log.css). Only SGR colours and bold are shown;
// every other escape (cursor moves, OSC titles, 256/true colour) is dropped.

export interface AnsiSegment {
  text: string;
  /** e.g. "ansi-fg-32 ansi-bold"; empty for plain text. */
  className: string;
}

// CSI (incl. SGR), OSC (ended by BEL or ST), and the remaining two-byte escapes.
const ESCAPE = /\x1b\[([0-?]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]?/g;
// Other control characters (a trailing \r of progress output, backspace …) except tab.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;

interface Pen {
  fg: number | null;
  bold: boolean;
}

function applySgr(params: string, pen: Pen): void {
  const codes = params === '' ? [0] : params.split(';').map((p) => (p === '' ? 0 : Number(p)));
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c === 0) {
      pen.fg = null;
      pen.bold = false;
    } else if (c === 1) pen.bold = true;
    else if (c === 22) pen.bold = false;
    else if (c === 39) pen.fg = null;
    else if ((c >= 30 && c <= 37) || (c >= 90 && c <= 97)) pen.fg = c;
    else if (c === 38 || c === 48) {
      // 256 colour (5;n) or true colour (2;r;g;b): skip the arguments, keep the current colour.
      i += codes[i + 1] === 5 ? 2 : codes[i + 1] === 2 ? 4 : 0;
    }
  }
}

const classOf = (pen: Pen) => [pen.fg !== null ? `ansi-fg-${pen.fg}` : '', pen.bold ? 'ansi-bold' : ''].filter(Boolean).join(' ');

/** One raw line → coloured segments (adjacent text of the same colour merged). */
export function parseAnsi(line: string): AnsiSegment[] {
  const out: AnsiSegment[] = [];
  const pen: Pen = { fg: null, bold: false };
  const push = (raw: string) => {
    const text = raw.replace(CONTROL, '');
    if (!text) return;
    const className = classOf(pen);
    const last = out.at(-1);
    if (last && last.className === className) last.text += text;
    else out.push({ text, className });
  };
  let at = 0;
  for (const m of line.matchAll(ESCAPE)) {
    push(line.slice(at, m.index));
    at = m.index + m[0].length;
    if (m[2] === 'm') applySgr(m[1] ?? '', pen);
  }
  push(line.slice(at));
  return out;
}

/** The line as text, without escapes (for the filter and Copy). */
export function stripAnsi(line: string): string {
  return line.replace(ESCAPE, '').replace(CONTROL, '');
}
