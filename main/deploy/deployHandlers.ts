// The `deploy.*` requests: the project's release (revisions, pods, events), rollback, and a
// preview of the manifests the next deploy would apply.
import type { ApiHandlers } from '../ipc/dispatch';
import type { ResolveProjectCluster } from '../app/projectCluster';
import type { EventBus } from '../ipc/events';
import { AppError } from '../ipc/errors';

export interface DeployHandlerDeps {
  events: EventBus;
  resolveProjectCluster: ResolveProjectCluster;
  log: (line: string) => void;
}

export type DeployHandlers = Pick<ApiHandlers, 'deploy.status' | 'deploy.rollback' | 'deploy.manifests'>;

// SKELETON (lead): replaced by the deployment helper.
export function createDeployHandlers(_deps: DeployHandlerDeps): DeployHandlers {
  const todo = () => {
    throw new AppError('INTERNAL', 'Not built yet.');
  };
  return { 'deploy.status': todo, 'deploy.rollback': todo, 'deploy.manifests': todo };
}
