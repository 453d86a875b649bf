import type { PanelDefinition } from '../panel';
import { TerminalsPanel } from './TerminalsPanel';

export const terminalsPanel: PanelDefinition = { id: 'terminals', label: 'Terminals', icon: 'terminal', component: TerminalsPanel };
