// A panel asking for another panel to be shown (e.g. the Pipeline panel's "Open the Deployment
// panel" after a failed deploy). The project view owns which panel is selected and listens here.
const listeners = new Set<(panelId: string) => void>();

export function requestPanel(panelId: string): void {
  for (const l of listeners) l(panelId);
}

export function onPanelRequest(listener: (panelId: string) => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
