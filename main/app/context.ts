// What the app's handlers need from the outside world, passed in (not imported) so tests run
// them with real temp dirs and test clusters, and each transport supplies its own parts.
import type { EventBus } from '../ipc/events';
import type { SecretBox } from '../registry/credentials';

export interface AppContext {
  mode: 'electron' | 'browser';
  version: string;
  homeDir: string;
  /** Where the app keeps its own files (state.json, logs, encrypted credentials). */
  dataDir: string;
  env: Record<string, string | undefined>;
  now: () => Date;
  log: (line: string) => void;
  events: EventBus;
  /** Encrypts stored credentials: Electron's safeStorage in the desktop app; absent in browser
   *  mode, where an AES key file in dataDir (mode 0600) is used. */
  secretBox?: SecretBox;
  /** The native folder dialog; only the Electron adapter has one. */
  pickFolder?: () => Promise<string | null>;
}
