// The development panels in sidebar order. Each feature owns its folder under panels/.
import { buildLogPanel } from './build-log';
import { deploymentPanel } from './deployment';
import { logsPanel } from './logs';
import { pipelinePanel } from './pipeline';
import type { PanelDefinition } from './panel';
import { portsPanel } from './ports';
import { registryPanel } from './registry';
import { settingsPanel } from './settings';
import { terminalsPanel } from './terminals';

export type { PanelDefinition } from './panel';

/** Panels still to come, listed (disabled) so the layout is already clear. */
export const UPCOMING_PANELS: PanelDefinition[] = [];

export const DEVELOPMENT_PANELS: PanelDefinition[] = [pipelinePanel, buildLogPanel, registryPanel, deploymentPanel, ...UPCOMING_PANELS, terminalsPanel, portsPanel, logsPanel, settingsPanel];
