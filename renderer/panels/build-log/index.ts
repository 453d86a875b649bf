import type { PanelDefinition } from '../panel';
import { BuildLogPanel } from './BuildLogPanel';

export const buildLogPanel: PanelDefinition = { id: 'build-log', label: 'Build log', icon: 'buildLog', component: BuildLogPanel };
