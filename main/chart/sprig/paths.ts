// Sprig's path functions: base, dir, clean, ext, isAbs from Go's "path" (always '/'), and the
// os* variants from "path/filepath", which on Linux and macOS behave the same. Helm running
// on Windows would treat '\' as a separator in os*; this engine always uses '/'.

import { goFunc, type FuncMap } from './signature';

/** path.Clean: Rob Pike's lexical cleaning. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!rooted) parts.push('..');
      continue;
    }
    parts.push(seg);
  }
  const out = (rooted ? '/' : '') + parts.join('/');
  return out === '' ? '.' : out;
}

/** path.Base */
export function basePath(p: string): string {
  if (p === '') return '.';
  p = p.replace(/\/+$/, '');
  if (p === '') return '/';
  return p.slice(p.lastIndexOf('/') + 1);
}

/** path.Dir */
export function dirPath(p: string): string {
  const i = p.lastIndexOf('/');
  return cleanPath(p.slice(0, i + 1));
}

/** path.Ext */
export function extPath(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) {
    if (p[i] === '.') return p.slice(i);
  }
  return '';
}

export function pathFunctions(): FuncMap {
  const fns: FuncMap = {};
  const table: [string, (p: string) => unknown][] = [
    ['base', basePath],
    ['dir', dirPath],
    ['clean', cleanPath],
    ['ext', extPath],
    ['isAbs', (p: string) => p.startsWith('/')],
  ];
  for (const [name, f] of table) {
    fns[name] = goFunc(name, ['string'], f);
    const osName = 'os' + name[0].toUpperCase() + name.slice(1);
    fns[osName] = goFunc(osName, ['string'], f);
  }
  return fns;
}
