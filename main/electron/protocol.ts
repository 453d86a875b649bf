// Serves the renderer from app://renderer/ instead of file:// (Electron's security checklist):
// a real origin, our CSP on every response, and nothing outside dist/renderer reachable.
import { protocol } from 'electron';
import { SECURITY_HEADERS } from '../host/security';
import { readStatic } from '../host/staticFiles';

export const APP_ORIGIN = 'app://renderer';

export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function registerAppProtocol(rendererDir: string): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'renderer') return new Response('Not found', { status: 404 });
    const file = await readStatic(rendererDir, url.pathname);
    if (file.status !== 200) return new Response(null, { status: file.status, headers: SECURITY_HEADERS });
    return new Response(new Uint8Array(file.body), { status: 200, headers: { ...SECURITY_HEADERS, 'Content-Type': file.type } });
  });
}
