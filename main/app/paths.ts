// Where the app keeps its own files. The same folder Electron uses for userData (product name
// "DevSpace Desktop"), so the desktop window and the browser host share recents and settings.
import path from 'node:path';

export const PRODUCT_NAME = 'DevSpace Desktop';

export function appDataDir(env: Record<string, string | undefined>, homeDir: string, platform: NodeJS.Platform = process.platform): string {
  if (env.DEVSPACE_DESKTOP_DATA_DIR) return path.resolve(env.DEVSPACE_DESKTOP_DATA_DIR);
  if (platform === 'darwin') return path.join(homeDir, 'Library', 'Application Support', PRODUCT_NAME);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(homeDir, 'AppData', 'Roaming'), PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(homeDir, '.config'), PRODUCT_NAME);
}
