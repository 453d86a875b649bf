// Sprig's urlParse/urlJoin over Go's net/url rules: a URL string becomes a dict of scheme,
// host, hostname, path, query, opaque, fragment and userinfo, and such a dict joins back into
// a string with Go's escaping (URL.String()).

import { goFunc, type FuncMap } from './signature';
import { goKind, goQuote } from './convert';

type Mode = 'path' | 'host' | 'userPassword' | 'fragment' | 'queryComponent';

function shouldEscape(c: string, mode: Mode): boolean {
  if (/[A-Za-z0-9]/.test(c)) return false;
  if (mode === 'host' && `!$&'()*+,;=:[]<>"`.includes(c)) return false;
  if ('-_.~'.includes(c)) return false;
  if ('$&+,/:;=?@'.includes(c)) {
    switch (mode) {
      case 'path':
        return c === '?';
      case 'userPassword':
        return c === '@' || c === '/' || c === '?' || c === ':';
      case 'fragment':
        return false;
      case 'queryComponent':
        return true;
      case 'host':
        return true;
    }
  }
  if (mode === 'fragment' && '!()*'.includes(c)) return false;
  return true;
}

function escape(s: string, mode: Mode): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (byte < 0x80 && !shouldEscape(c, mode)) out += c;
    else if (mode === 'host' && byte >= 0x80) out += c; // Go leaves non-ASCII host bytes alone
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return mode === 'host' ? Buffer.from(out, 'latin1').toString('utf8') : out;
}

class UrlError extends Error {}

function unescape(s: string, what: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new UrlError(`invalid URL escape ${goQuote(s.slice(i, i + 3))}`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(s[i], 'utf8'));
    }
  }
  void what;
  return Buffer.from(bytes).toString('utf8');
}

interface GoURL {
  scheme: string;
  opaque: string;
  user?: { username: string; password?: string };
  host: string;
  path: string;
  rawQuery: string;
  fragment: string;
}

function userString(u: { username: string; password?: string }): string {
  let s = escape(u.username, 'userPassword');
  if (u.password !== undefined) s += ':' + escape(u.password, 'userPassword');
  return s;
}

/** net/url.Parse (the common paths: scheme, opaque, authority, path, query, fragment). */
export function parseUrl(raw: string): GoURL {
  const fail = (msg: string): never => {
    throw new UrlError(`parse ${goQuote(raw)}: ${msg}`);
  };
  let rest = raw;
  let fragment = '';
  const hash = rest.indexOf('#');
  try {
    if (hash >= 0) {
      fragment = unescape(rest.slice(hash + 1), 'fragment');
      rest = rest.slice(0, hash);
    }
  } catch (e) {
    fail((e as Error).message);
  }
  if (/[\x00-\x1f\x7f]/.test(rest)) fail('net/url: invalid control character in URL');
  const u: GoURL = { scheme: '', opaque: '', host: '', path: '', rawQuery: '', fragment };
  const sm = /^([a-zA-Z][a-zA-Z0-9+\-.]*):/.exec(rest);
  if (sm) {
    u.scheme = sm[1].toLowerCase();
    rest = rest.slice(sm[0].length);
  } else if (rest.startsWith(':')) fail('missing protocol scheme');
  const q = rest.indexOf('?');
  if (q >= 0) {
    u.rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (!rest.startsWith('/')) {
    if (u.scheme !== '') {
      u.opaque = rest;
      return u;
    }
    const colon = rest.indexOf(':');
    const slash = rest.indexOf('/');
    if (colon >= 0 && (slash < 0 || colon < slash)) fail('first path segment in URL cannot contain colon');
  }
  if ((u.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    const slash = authority.indexOf('/');
    rest = slash >= 0 ? authority.slice(slash) : '';
    if (slash >= 0) authority = authority.slice(0, slash);
    const at = authority.lastIndexOf('@');
    try {
      if (at >= 0) {
        const userinfo = authority.slice(0, at);
        if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) throw new UrlError('net/url: invalid userinfo');
        const colon = userinfo.indexOf(':');
        u.user =
          colon >= 0
            ? { username: unescape(userinfo.slice(0, colon), 'user'), password: unescape(userinfo.slice(colon + 1), 'password') }
            : { username: unescape(userinfo, 'user') };
      }
      u.host = unescape(authority.slice(at + 1), 'host');
    } catch (e) {
      fail((e as Error).message);
    }
  }
  try {
    u.path = unescape(rest, 'path');
  } catch (e) {
    fail((e as Error).message);
  }
  return u;
}

function hostname(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end >= 0 ? host.slice(1, end) : host.slice(1);
  }
  const colon = host.lastIndexOf(':');
  return colon >= 0 && /^:\d*$/.test(host.slice(colon)) ? host.slice(0, colon) : host;
}

/** net/url URL.String() */
export function urlString(u: GoURL): string {
  let out = '';
  if (u.scheme !== '') out += u.scheme + ':';
  if (u.opaque !== '') out += u.opaque;
  else {
    if (u.scheme !== '' || u.host !== '' || u.user) {
      if (u.host !== '' || u.path !== '' || u.user) out += '//';
      if (u.user) out += userString(u.user) + '@';
      if (u.host !== '') out += escape(u.host, 'host');
    }
    const path = escape(u.path, 'path');
    if (path !== '' && path[0] !== '/' && u.host !== '') out += '/';
    if (out === '' && path.split('/')[0].includes(':')) out += './';
    out += path;
  }
  if (u.rawQuery !== '') out += '?' + u.rawQuery;
  if (u.fragment !== '') out += '#' + escape(u.fragment, 'fragment');
  return out;
}

function dictGetOrEmpty(d: Record<string, unknown> | null, key: string): string {
  if (d === null || !Object.prototype.hasOwnProperty.call(d, key)) return '';
  const v = d[key];
  if (typeof v !== 'string') throw new Error(`unable to parse ${key} key, must be of type string, but ${goKind(v)} found`);
  return v;
}

export function urlFunctions(): FuncMap {
  return {
    urlParse: goFunc('urlParse', ['string'], (v: string) => {
      let u: GoURL;
      try {
        u = parseUrl(v);
      } catch (e) {
        throw new Error(`unable to parse url: ${(e as Error).message}`);
      }
      return {
        scheme: u.scheme,
        host: u.host,
        hostname: hostname(u.host),
        path: u.path,
        query: u.rawQuery,
        opaque: u.opaque,
        fragment: u.fragment,
        userinfo: u.user ? userString(u.user) : '',
      };
    }),
    urlJoin: goFunc('urlJoin', ['map'], (d: Record<string, unknown> | null) => {
      const u: GoURL = {
        scheme: dictGetOrEmpty(d, 'scheme'),
        host: dictGetOrEmpty(d, 'host'),
        path: dictGetOrEmpty(d, 'path'),
        rawQuery: dictGetOrEmpty(d, 'query'),
        opaque: dictGetOrEmpty(d, 'opaque'),
        fragment: dictGetOrEmpty(d, 'fragment'),
      };
      const userinfo = dictGetOrEmpty(d, 'userinfo');
      if (userinfo !== '') {
        try {
          u.user = parseUrl(`proto://${userinfo}@host`).user;
        } catch (e) {
          throw new Error(`unable to parse userinfo in dict: ${(e as Error).message}`);
        }
      }
      return urlString(u);
    }),
  };
}
