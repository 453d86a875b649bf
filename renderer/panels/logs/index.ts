import type { PanelDefinition } from '../panel';

export const logsPanel: PanelDefinition = { id: 'logs', label: 'Logs', icon: 'logs', pendingNote: 'Logs arrive with Up' };
