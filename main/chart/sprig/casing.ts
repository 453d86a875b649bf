// Sprig's snakecase, kebabcase and camelcase, ported from github.com/huandu/xstrings (the
// word splitter behind ToSnakeCase/ToKebabCase, and ToCamelCase): "HTTPServer" → http_server,
// "HTTP20xOK" → http_20x_ok, "Bld4Floor3rd" → bld4_floor_3rd, "GOLANG_IS_GREAT" →
// GolangIsGreat. Go decodes a literal U+FFFD as an invalid rune, and so does this port.

const RUNE_ERROR = '\ufffd';
const isSpace = (r: string) => /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u.test(r);
const isConnector = (r: string) => r === '-' || r === '_' || isSpace(r);
const isUpper = (r: string) => /^\p{Lu}$/u.test(r); // unicode.IsUpper
const isPunct = (r: string) => /^\p{P}$/u.test(r);
const isNumber = (r: string) => /^\p{N}$/u.test(r);
const isAlphabet = (r: string) => /^[A-Za-z]$/.test(r);
const toLowerRune = (r: string) => {
  const l = r.toLowerCase();
  return [...l].length === 1 ? l : r;
};
const toUpperRune = (r: string) => {
  const u = r.toUpperCase();
  return [...u].length === 1 ? u : r;
};

type WordType = 'invalid' | 'number' | 'upperCase' | 'alphabet' | 'connector' | 'punct' | 'other';

/** nextValidRune: skips invalid runes, returning the next valid one and how many runes it took. */
function nextValidRune(s: string[], prev: string): [string, number] {
  let size = 0;
  for (const r of s) {
    size++;
    if (r !== RUNE_ERROR) return [r, size];
  }
  return [prev, size];
}

function nextWord(str: string[]): [WordType, string[], string[]] {
  if (str.length === 0) return ['invalid', [], []];
  let offset = 0;
  let remaining = str;
  let [r, size] = nextValidRune(remaining, RUNE_ERROR);
  offset += size;
  if (r === RUNE_ERROR) return ['invalid', str.slice(0, offset), str.slice(offset)];
  let wt: WordType;
  const scan = (stop: (r: string) => boolean) => {
    while (remaining.length > 0) {
      [r, size] = nextValidRune(remaining, r);
      if (stop(r)) break;
      offset += size;
      remaining = remaining.slice(size);
    }
  };
  if (isConnector(r)) {
    wt = 'connector';
    remaining = remaining.slice(size);
    scan((x) => !isConnector(x));
  } else if (isPunct(r)) {
    wt = 'punct';
    remaining = remaining.slice(size);
    scan((x) => !isPunct(x));
  } else if (isUpper(r)) {
    wt = 'upperCase';
    remaining = remaining.slice(size);
    if (remaining.length > 0) {
      [r, size] = nextValidRune(remaining, r);
      if (isUpper(r)) {
        let prevSize = size;
        offset += size;
        remaining = remaining.slice(size);
        while (remaining.length > 0) {
          [r, size] = nextValidRune(remaining, r);
          if (!isUpper(r)) break;
          prevSize = size;
          offset += size;
          remaining = remaining.slice(size);
        }
        // "HTTPStatus" splits into "HTTP" and "Status": the "S" goes back to remaining.
        if (remaining.length > 0 && isAlphabet(r)) {
          offset -= prevSize;
          remaining = str.slice(offset);
        }
      } else if (isAlphabet(r)) {
        offset += size;
        remaining = remaining.slice(size);
        scan((x) => !isAlphabet(x) || isUpper(x));
      }
    }
  } else if (isAlphabet(r)) {
    wt = 'alphabet';
    remaining = remaining.slice(size);
    scan((x) => !isAlphabet(x) || isUpper(x));
  } else if (isNumber(r)) {
    wt = 'number';
    remaining = remaining.slice(size);
    scan((x) => !isNumber(x));
  } else {
    wt = 'other';
    remaining = remaining.slice(size);
    while (remaining.length > 0) {
      [r, size] = nextValidRune(remaining, r);
      if (size === 0 || isConnector(r) || isAlphabet(r) || isNumber(r) || isPunct(r)) break;
      offset += size;
      remaining = remaining.slice(size);
    }
  }
  return [wt, str.slice(0, offset), remaining];
}

function writeLower(out: string[], wt: WordType, word: string[], connector: string): void {
  if (wt !== 'upperCase' && wt !== 'connector') {
    out.push(...word);
    return;
  }
  for (const r of word) {
    if (isConnector(r)) out.push(connector);
    else if (isUpper(r)) out.push(toLowerRune(r));
    else out.push(r);
  }
}

/** xstrings camelCaseToLowerCase (ToSnakeCase with '_', ToKebabCase with '-'). */
export function toLowerCaseWords(s: string, connector: string): string {
  if (s.length === 0) return '';
  const out: string[] = [];
  let [wt, word, remaining] = nextWord([...s]);
  while (remaining.length > 0) {
    if (wt !== 'connector') writeLower(out, wt, word, connector);
    const prev = wt;
    const last = word;
    [wt, word, remaining] = nextWord(remaining);
    switch (prev) {
      case 'number':
        while (wt === 'alphabet' || wt === 'number') {
          writeLower(out, wt, word, connector);
          [wt, word, remaining] = nextWord(remaining);
        }
        if (wt !== 'invalid' && wt !== 'punct' && wt !== 'connector') out.push(connector);
        break;
      case 'connector':
        writeLower(out, prev, last, connector);
        break;
      case 'punct':
        break;
      default: {
        if (wt !== 'number') {
          if (wt !== 'connector' && wt !== 'punct') out.push(connector);
          break;
        }
        if (remaining.length === 0) break;
        const num = word;
        [wt, word, remaining] = nextWord(remaining);
        // A number followed by anything but letters belongs to the previous word ("Bld4Floor").
        if (wt !== 'alphabet') {
          writeLower(out, 'number', num, connector);
          if (wt !== 'connector' && wt !== 'punct') out.push(connector);
          break;
        }
        // Lower-case letters after a number start a new word at the number ("HTTP2xx").
        out.push(connector);
        writeLower(out, 'number', num, connector);
        while (wt === 'alphabet' || wt === 'number') {
          writeLower(out, wt, word, connector);
          [wt, word, remaining] = nextWord(remaining);
        }
        if (wt !== 'invalid' && wt !== 'connector' && wt !== 'punct') out.push(connector);
      }
    }
  }
  writeLower(out, wt, word, connector);
  return out.join('');
}

/**
 * xstrings v1.3 ToCamelCase, which is Sprig 3.2's camelcase: connectors are dropped, the rune
 * after one (and the first) is upper-cased and every other rune lower-cased, so "FirstName"
 * becomes "Firstname" and "GOLANG_IS_GREAT" "GolangIsGreat" (checked against Go, see
 * golden.test.ts).
 */
export function toCamelCase(s: string): string {
  const runes = [...s];
  if (runes.length === 0) return '';
  const out: string[] = [];
  let i = 0;
  let r0 = '';
  while (i < runes.length) {
    r0 = runes[i++];
    if (!isConnector(r0)) {
      r0 = toUpperRune(r0);
      break;
    }
    out.push(r0);
  }
  if (i >= runes.length) {
    // Go writes the last decoded rune once more here, even a connector ("__" → "___").
    out.push(r0);
    return out.join('');
  }
  while (i < runes.length) {
    const r1 = r0;
    r0 = runes[i++];
    if (isConnector(r0) && isConnector(r1)) {
      out.push(r1);
      continue;
    }
    if (isConnector(r1)) r0 = toUpperRune(r0);
    else {
      r0 = toLowerRune(r0);
      out.push(r1);
    }
  }
  out.push(r0);
  return out.join('');
}
