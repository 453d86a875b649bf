import type { PanelDefinition } from '../panel';
import { PipelinePanel } from './PipelinePanel';

export const pipelinePanel: PanelDefinition = { id: 'pipeline', label: 'Pipeline', icon: 'pipeline', component: PipelinePanel };
