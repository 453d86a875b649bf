// Serves the built renderer from one folder and nothing outside it.
import { promises as fs } from 'node:fs';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

export type StaticResult = { status: 200; body: Buffer; type: string } | { status: 400 | 403 | 404 };

/**
 * Resolves a URL path inside `root`. Anything that would leave the folder (.., encoded slashes,
 * absolute paths, NUL) is refused; unknown paths without an extension fall back to index.html
 * so client-side routes reload.
 */
export async function readStatic(root: string, urlPath: string): Promise<StaticResult> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { status: 400 };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { status: 400 };
  const base = path.resolve(root);
  const target = path.resolve(base, `.${path.posix.normalize(`/${decoded}`)}`);
  if (target !== base && !target.startsWith(base + path.sep)) return { status: 403 };
  if (decoded.split('/').includes('..')) return { status: 403 };
  const file = target === base ? path.join(base, 'index.html') : target;
  try {
    const [real, realBase] = await Promise.all([fs.realpath(file), fs.realpath(base)]);
    if (real !== realBase && !real.startsWith(realBase + path.sep)) return { status: 403 };
    const body = await fs.readFile(real);
    return { status: 200, body, type: TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream' };
  } catch {
    if (!path.extname(file)) {
      const body = await fs.readFile(path.join(base, 'index.html')).catch(() => null);
      if (body) return { status: 200, body, type: TYPES['.html'] as string };
    }
    return { status: 404 };
  }
}
