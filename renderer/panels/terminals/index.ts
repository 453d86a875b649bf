import { lazy } from 'react';
import type { PanelDefinition } from '../panel';

// xterm is the largest part of the UI: load it when the Terminals panel is first opened.
const TerminalsPanel = lazy(() => import('./TerminalsPanel').then((m) => ({ default: m.TerminalsPanel })));

export const terminalsPanel: PanelDefinition = { id: 'terminals', label: 'Terminals', icon: 'terminal', component: TerminalsPanel };
