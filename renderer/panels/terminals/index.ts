import type { PanelDefinition } from '../panel';

export const terminalsPanel: PanelDefinition = { id: 'terminals', label: 'Terminals', icon: 'terminal', pendingNote: 'Terminals arrive with Up' };
