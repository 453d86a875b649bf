// The `settings.*` requests: the project's builder, registry and deploy engine, read from and
// written to .devspace/config.yaml (comments and formatting kept; see config/settingsWriter.ts).
import type { ProjectInfo, ProjectSettings } from '../../preload/api';
import type { ApiHandlers } from '../ipc/dispatch';
import type { EventBus } from '../ipc/events';
import { AppError } from '../ipc/errors';
import { readConfig } from './config/parseConfig';
import { projectSettings } from './config/projectSettings';
import { saveProjectSettings } from './config/settingsWriter';

export interface SettingsHandlerDeps {
  events: EventBus;
  currentProject: () => ProjectInfo | null;
  log: (line: string) => void;
}

export type SettingsHandlers = Pick<ApiHandlers, 'settings.get' | 'settings.update'>;

export function createSettingsHandlers(deps: SettingsHandlerDeps): SettingsHandlers {
  const project = (): ProjectInfo => {
    const p = deps.currentProject();
    if (!p) throw new AppError('NO_PROJECT', 'Open a project first.', 'Settings are kept per project in its .devspace/config.yaml.');
    return p;
  };
  // One write at a time: two quick Saves must not interleave their read-modify-write.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    'settings.get': async (): Promise<ProjectSettings> => {
      const loaded = await readConfig(project().path);
      return projectSettings(loaded?.config ?? null);
    },
    'settings.update': (settings) => {
      const dir = project().path;
      const run = queue.then(async () => {
        const saved = await saveProjectSettings(dir, settings);
        deps.log(`settings: saved builder=${saved.builder} registry=${saved.registry.kind} deployEngine=${saved.deployEngine} to ${dir}/.devspace/config.yaml`);
        return saved;
      });
      queue = run.catch(() => {});
      return run;
    },
  };
}
