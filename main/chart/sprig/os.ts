// Sprig's env and expandenv (os.Getenv, os.ExpandEnv) over an injectable environment. Helm
// removes both from its function map (see HELM_REMOVED in index.ts).

import { goFunc, type FuncMap } from './signature';

export type Environment = Record<string, string | undefined>;

const isShellSpecial = (c: string) => /[*#$@!?\-0-9]/.test(c);
const isAlphaNum = (c: string) => /[A-Za-z0-9_]/.test(c);

/** os.Expand's name scanner: returns the name and how many characters it used. */
function shellName(s: string): [string, number] {
  if (s[0] === '{') {
    if (s.length > 2 && isShellSpecial(s[1]) && s[2] === '}') return [s[1], 3];
    for (let i = 1; i < s.length; i++) {
      if (s[i] === '}') return i === 1 ? ['', 2] : [s.slice(1, i), i + 1];
    }
    return ['', 1]; // bad syntax: missing }
  }
  if (s.length > 0 && isShellSpecial(s[0])) return [s[0], 1];
  let i = 0;
  while (i < s.length && isAlphaNum(s[i])) i++;
  return [s.slice(0, i), i];
}

/** os.ExpandEnv */
export function expandEnv(s: string, env: Environment): string {
  let out = '';
  let i = 0;
  for (let j = 0; j < s.length; j++) {
    if (s[j] === '$' && j + 1 < s.length) {
      out += s.slice(i, j);
      const [name, w] = shellName(s.slice(j + 1));
      if (name === '' && w > 0) {
        // Invalid syntax: Go drops it.
      } else if (name === '') {
        out += s[j];
      } else {
        out += env[name] ?? '';
      }
      j += w;
      i = j + 1;
    }
  }
  return i === 0 ? s : out + s.slice(i);
}

export function osFunctions(env: Environment): FuncMap {
  return {
    env: goFunc('env', ['string'], (name: string) => env[name] ?? ''),
    expandenv: goFunc('expandenv', ['string'], (s: string) => expandEnv(s, env)),
  };
}
