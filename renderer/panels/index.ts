// The development panels in sidebar order. Each feature owns its folder under panels/.
import { logsPanel } from './logs';
import { pipelinePanel } from './pipeline';
import type { PanelDefinition } from './panel';
import { portsPanel } from './ports';
import { terminalsPanel } from './terminals';

export type { PanelDefinition } from './panel';

/** Panels still to come (the build log and deployment views); listed so the layout is already clear. */
export const UPCOMING_PANELS: PanelDefinition[] = [
  { id: 'build-log', label: 'Build log', icon: 'buildLog', pendingNote: 'The build log arrives with Up' },
  { id: 'deployment', label: 'Deployment', icon: 'deployment', pendingNote: 'Deployment status arrives with Up' },
];

export const DEVELOPMENT_PANELS: PanelDefinition[] = [pipelinePanel, ...UPCOMING_PANELS, terminalsPanel, portsPanel, logsPanel];
