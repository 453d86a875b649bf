// What a crashed panel shows (no DOM here: the boundary's state is derived as React would, then
// its render output is drawn to HTML).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PanelErrorBoundary } from './PanelErrorBoundary';

function crashed(label: string, error: unknown) {
  const boundary = new PanelErrorBoundary({ label, children: <p>the panel</p> });
  boundary.state = PanelErrorBoundary.getDerivedStateFromError(error);
  return renderToStaticMarkup(<>{boundary.render()}</>);
}

describe('PanelErrorBoundary', () => {
  it('shows its children while nothing has thrown', () => {
    const boundary = new PanelErrorBoundary({ label: 'Logs', children: <p>the panel</p> });
    expect(renderToStaticMarkup(<>{boundary.render()}</>)).toBe('<p>the panel</p>');
  });

  it('names the panel, says what broke and how to go on, folds the stack away', () => {
    const html = crashed('Logs', new TypeError("Cannot read properties of undefined (reading 'name')"));
    expect(html).toContain('data-error-boundary="Logs"');
    expect(html).toContain('role="alert"');
    expect(html).toContain('The Logs panel stopped');
    expect(html).toContain('Cannot read properties of undefined');
    expect(html).toContain('The other panels and Up keep working');
    expect(html).toMatch(/<details class="panel-crashed-details"><summary>Details<\/summary><pre[^>]*>TypeError/);
    expect(html).toContain('Try again');
    expect(html).not.toContain('the panel</p>');
  });

  it('copes with a thrown non-Error', () => {
    const html = crashed('Ports', 'plain string');
    expect(html).toContain('The Ports panel stopped');
    expect(html).toContain('plain string');
  });
});
