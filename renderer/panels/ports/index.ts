import type { PanelDefinition } from '../panel';
import { PortsPanel } from './PortsPanel';

export const portsPanel: PanelDefinition = { id: 'ports', label: 'Ports', icon: 'ports', component: PortsPanel };
