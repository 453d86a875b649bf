// The `registry.*` requests: which registry the project pushes to and its state, removing the
// in-cluster registry, and the user's registry logins (encrypted in the app's store).
import type { ApiHandlers } from '../ipc/dispatch';
import type { ResolveProjectCluster } from '../app/projectCluster';
import type { EventBus } from '../ipc/events';
import { AppError } from '../ipc/errors';
import type { SecretBox } from './credentials';

export interface RegistryHandlerDeps {
  events: EventBus;
  resolveProjectCluster: ResolveProjectCluster;
  log: (line: string) => void;
  dataDir: string;
  homeDir: string;
  env: Record<string, string | undefined>;
  /** Electron's safeStorage box; default the file-key box in dataDir. */
  secretBox?: SecretBox;
}

export type RegistryHandlers = Pick<ApiHandlers, 'registry.status' | 'registry.remove' | 'registry.logins' | 'registry.login' | 'registry.logout'>;

// SKELETON (lead): replaced by the registry helper.
export function createRegistryHandlers(_deps: RegistryHandlerDeps): RegistryHandlers {
  const todo = () => {
    throw new AppError('INTERNAL', 'Not built yet.');
  };
  return { 'registry.status': todo, 'registry.remove': todo, 'registry.logins': todo, 'registry.login': todo, 'registry.logout': todo };
}
