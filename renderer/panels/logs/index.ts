import type { PanelDefinition } from '../panel';
import { LogsPanel } from './LogsPanel';

export const logsPanel: PanelDefinition = { id: 'logs', label: 'Logs', icon: 'logs', component: LogsPanel };
