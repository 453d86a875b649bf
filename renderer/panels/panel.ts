// What a project panel is: an entry in the sidebar and, once its feature exists, the component
// shown when it is selected. Panels stay mounted after their first visit (hidden when not
// selected), so a terminal keeps its scrollback and a log view its lines while the user looks
// elsewhere.
import type { ComponentType } from 'react';
import type { ProjectInfo } from '../../preload/api';
import type { IconName } from '../components/Icon';

export interface PanelDefinition {
  id: string;
  label: string;
  icon: IconName;
  /** Absent until the feature exists: the sidebar then shows the entry disabled with `pendingNote`. */
  component?: ComponentType<{ project: ProjectInfo; active: boolean }>;
  pendingNote?: string;
}
