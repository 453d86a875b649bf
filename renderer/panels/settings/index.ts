import type { PanelDefinition } from '../panel';
import { SettingsPanel } from './SettingsPanel';

export const settingsPanel: PanelDefinition = { id: 'settings', label: 'Settings', icon: 'settings', component: SettingsPanel };
