import type { PanelDefinition } from '../panel';
import { DeploymentPanel } from './DeploymentPanel';

export const deploymentPanel: PanelDefinition = { id: 'deployment', label: 'Deployment', icon: 'deployment', component: DeploymentPanel };
