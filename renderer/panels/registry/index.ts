import type { PanelDefinition } from '../panel';
import { RegistryPanel } from './RegistryPanel';

export const registryPanel: PanelDefinition = { id: 'registry', label: 'Registry', icon: 'registry', component: RegistryPanel };
