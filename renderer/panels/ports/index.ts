import type { PanelDefinition } from '../panel';

export const portsPanel: PanelDefinition = { id: 'ports', label: 'Ports', icon: 'ports', pendingNote: 'Port forwarding arrives with Up' };
