// The development panels in sidebar order. Each feature owns its folder under panels/.
import { buildLogPanel } from './build-log';
import { logsPanel } from './logs';
import { pipelinePanel } from './pipeline';
import type { PanelDefinition } from './panel';
import { portsPanel } from './ports';
import { terminalsPanel } from './terminals';

export type { PanelDefinition } from './panel';

/** Panels still to come (the deployment view); listed so the layout is already clear. */
export const UPCOMING_PANELS: PanelDefinition[] = [
  { id: 'deployment', label: 'Deployment', icon: 'deployment', pendingNote: 'Deployment status arrives with Up' },
];

export const DEVELOPMENT_PANELS: PanelDefinition[] = [pipelinePanel, buildLogPanel, ...UPCOMING_PANELS, terminalsPanel, portsPanel, logsPanel];
