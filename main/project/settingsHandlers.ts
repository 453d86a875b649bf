// The `settings.*` requests: the project's builder, registry and deploy engine, read from and
// written to .devspace/config.yaml (comments and formatting kept).
import type { ProjectInfo } from '../../preload/api';
import type { ApiHandlers } from '../ipc/dispatch';
import type { EventBus } from '../ipc/events';
import { AppError } from '../ipc/errors';

export interface SettingsHandlerDeps {
  events: EventBus;
  currentProject: () => ProjectInfo | null;
  log: (line: string) => void;
}

export type SettingsHandlers = Pick<ApiHandlers, 'settings.get' | 'settings.update'>;

// SKELETON (lead): replaced by the registry/settings helper.
export function createSettingsHandlers(_deps: SettingsHandlerDeps): SettingsHandlers {
  const todo = () => {
    throw new AppError('INTERNAL', 'Not built yet.');
  };
  return { 'settings.get': todo, 'settings.update': todo };
}
