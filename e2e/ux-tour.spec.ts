// A tour of every screen, as a reviewer walks it: the welcome screen, the folder browser, then
// each panel of a project, in the light and the dark theme (the app follows prefers-color-scheme),
// and again in a small 1024×700 window. Each screen must show its heading or landmark, no panel may
// have crashed into its error boundary, nothing may scroll sideways, and the page must log no
// error. Screenshots land in e2e/artifacts/tour-<screen>-<theme>.png for design review.
//
// Terminals are visited before the project has a kubeconfig (what a new user sees); the other
// panels with a test cluster that answers (API server only: nothing is deployed, no pods run).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { startTestCluster, type TestCluster } from './cluster';
import { expect, test } from './fixtures';

const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');
const THEMES = ['light', 'dark'] as const;
type Theme = (typeof THEMES)[number];

let cluster: TestCluster;

test.beforeAll(async () => {
  cluster = await startTestCluster({ node: false });
});

test.afterAll(async () => {
  await cluster?.stop();
});

/** What each project panel must show: the check runs in both themes and at both sizes. */
const PANELS: { id: string; label: string; prepare?: (page: Page) => Promise<void>; check: (page: Page) => Promise<void> }[] = [
  {
    id: 'cluster',
    label: 'Cluster',
    check: async (page) => {
      await expect(page.getByRole('heading', { name: 'Cluster', level: 2 })).toBeVisible();
      await expect(page.getByRole('status', { name: 'Connection status' })).toContainText('Connected');
    },
  },
  {
    id: 'pipeline',
    label: 'Pipeline',
    check: async (page) => {
      await expect(page.getByRole('heading', { name: 'Pipeline', level: 2 })).toBeVisible();
      await expect(page.getByRole('status', { name: 'Up status' })).toContainText('Press Up');
      await expect(page.getByRole('list', { name: 'Pipeline steps' })).toHaveCount(0);
    },
  },
  {
    id: 'build-log',
    label: 'Build log',
    check: async (page) => {
      await expect(page.getByRole('heading', { name: 'Build log', level: 2 })).toBeVisible();
      await expect(page.getByRole('main', { name: 'Build log' }).getByText('No build yet')).toBeVisible();
    },
  },
  {
    id: 'registry',
    label: 'Registry',
    check: async (page) => {
      await expect(page.getByRole('heading', { name: 'Registry', level: 2 })).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Logins', level: 2 })).toBeVisible();
      // Names are content: the repository can be selected to copy it (the chrome around cannot).
      await page.getByRole('main', { name: 'Registry' }).locator('dd code').first().click({ clickCount: 3 });
      expect(await page.evaluate(() => window.getSelection()?.toString().trim())).toBe('localhost:5000/shop');
      await page.evaluate(() => window.getSelection()?.removeAllRanges());
    },
  },
  {
    id: 'deployment',
    label: 'Deployment',
    check: async (page) => {
      await expect(page.getByRole('heading', { name: 'Deployment', level: 2 })).toBeVisible();
      await expect(page.getByRole('status', { name: 'Release status' })).toContainText('Nothing deployed yet');
    },
  },
  {
    id: 'terminals',
    label: 'Terminals',
    check: async (page) => {
      const main = page.getByRole('main', { name: 'Terminals' });
      // A card like every other panel: heading, and the New terminal button in its header.
      await expect(main.getByRole('heading', { name: 'Terminals', level: 2 })).toBeVisible();
      await expect(main.locator('.card-header').getByRole('button', { name: 'New terminal' })).toBeVisible();
      // No shell can open (no kubeconfig, or nothing deployed): the panel says what is wrong and
      // what to do next, with a Retry button; there is no terminal (no black xterm box) without a session.
      await expect(main.getByRole('alert')).toContainText('Could not open a terminal');
      await expect(main.getByRole('status', { name: 'Terminal status' })).not.toBeEmpty();
      await expect(main.getByRole('button', { name: 'Retry' })).toBeVisible();
      await expect(main.locator('.terminal-stack')).toHaveCount(0);
      await expect(main.locator('[data-terminal-id]')).toHaveCount(0);
      await expect(main.getByRole('tablist', { name: 'Terminals' })).toHaveCount(0);
    },
  },
  {
    id: 'ports',
    label: 'Ports',
    // The editor with a mapping being typed (not saved: the project has no config.yaml yet).
    prepare: async (page) => {
      await page.getByRole('button', { name: 'Add pods to forward to' }).click();
      const group = page.getByRole('group', { name: 'Forwarding 1' });
      await group.getByRole('textbox', { name: 'Pod labels' }).fill('app.kubernetes.io/name=shop');
      if ((await group.getByRole('textbox', { name: 'Local port' }).count()) === 0) await group.getByRole('button', { name: 'Add mapping' }).click();
      await group.getByRole('textbox', { name: 'Local port' }).fill('3000');
      await group.getByRole('textbox', { name: 'Pod port' }).fill('3000');
    },
    check: async (page) => {
      await expect(page.getByRole('heading', { name: 'Ports', level: 2 })).toBeVisible();
      await expect(page.getByRole('status', { name: 'Forwarding status' })).toContainText('Forwards are stopped. You have unsaved changes.');
      await expect(page.getByRole('group', { name: 'Forwarding 1' }).getByText('Not saved')).toBeVisible();
      await expect(page.getByRole('button', { name: 'Add pods to forward to' })).toBeVisible();
    },
  },
  {
    id: 'logs',
    label: 'Logs',
    check: async (page) => {
      await expect(page.getByRole('heading', { name: 'Logs', level: 2 })).toBeVisible();
      // Nothing deployed: the status says so instead of "Connecting…" forever.
      await expect(page.getByRole('status', { name: 'Log status' })).toContainText('No pods');
    },
  },
  {
    id: 'settings',
    label: 'Settings',
    check: async (page) => {
      await expect(page.getByRole('heading', { name: 'Settings', level: 2 })).toBeVisible();
      await expect(page.getByRole('radio', { name: /Kaniko in the cluster/ })).toBeVisible();
    },
  },
];

async function setTheme(page: Page, theme: Theme) {
  await page.emulateMedia({ colorScheme: theme });
  // The theme really switched (the page background follows the CSS variables).
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg, `body background in the ${theme} theme`).toBe(theme === 'dark' ? 'rgb(20, 22, 27)' : 'rgb(244, 245, 248)');
}

/** Nothing on the screen scrolls sideways or crashed into a panel's error boundary. */
async function expectSound(page: Page, screen: string) {
  await expect(page.locator('[data-error-boundary]'), `${screen}: a panel crashed`).toHaveCount(0);
  const overflow = await page.evaluate(() => {
    const wide: string[] = [];
    for (const el of [document.documentElement, ...document.querySelectorAll('.project-main, .project-header, .welcome, [role="dialog"]')]) {
      if (el.scrollWidth > el.clientWidth + 1) wide.push(`${el.className || el.tagName} ${el.scrollWidth}>${el.clientWidth}`);
    }
    return wide;
  });
  expect(overflow, `${screen}: content wider than its box`).toEqual([]);
  // Every visible control has a name a screen reader can say (icon buttons included).
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('button, input:not([type="hidden"]), select, textarea, [role="tab"], [role="option"]')]
      .filter((el) => el.offsetParent !== null)
      .filter((el) => {
        const labelled = el.getAttribute('aria-labelledby')?.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join('');
        const labels = 'labels' in el ? [...((el as HTMLInputElement).labels ?? [])].map((l) => l.textContent ?? '').join('') : '';
        const own = el.tagName === 'BUTTON' || el.getAttribute('role') ? (el.textContent ?? '') : '';
        return !(el.getAttribute('aria-label') || labelled || labels || own || el.getAttribute('title') || el.getAttribute('placeholder') || '').trim();
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
  expect(unnamed, `${screen}: controls without an accessible name`).toEqual([]);
}

async function shoot(page: Page, screen: string, theme: Theme | 'small') {
  await expectSound(page, `${screen} (${theme})`);
  await page.screenshot({ path: path.join(ARTIFACTS, `tour-${screen}-${theme}.png`) });
}

async function inBothThemes(page: Page, screen: string, check: () => Promise<void>) {
  for (const theme of THEMES) {
    await setTheme(page, theme);
    await check();
    await shoot(page, screen, theme);
  }
}

async function openPanel(page: Page, label: string) {
  await page.getByRole('navigation', { name: 'Project panels' }).getByRole('button', { name: label, exact: true }).click();
  await expect(page.getByRole('main', { name: label })).toBeVisible();
}

test('a tour of every screen in the light and the dark theme, and in a 1024×700 window', async ({ page, app }) => {
  test.setTimeout(180_000);
  await fs.mkdir(ARTIFACTS, { recursive: true });
  await app.projectDir('shop', { Dockerfile: 'FROM busybox\nCMD ["sleep", "3600"]\n', 'src/index.js': 'console.log(1)\n' });

  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(app.url);

  // Welcome.
  await inBothThemes(page, 'welcome', async () => {
    await expect(page.getByRole('heading', { name: 'DevSpace Desktop', level: 1 })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Open project…' })).toBeVisible();
    await expect(page.getByText('No recent projects yet')).toBeVisible();
  });

  // The folder browser, inside the project folder.
  await page.getByRole('button', { name: 'Open project…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open project folder' });
  await dialog.getByRole('option', { name: 'projects', exact: true }).click();
  await dialog.getByRole('option', { name: 'shop', exact: true }).click();
  await inBothThemes(page, 'folder-browser', async () => {
    await expect(dialog.getByText('Looks like a project')).toBeVisible();
    await expect(dialog.getByRole('option', { name: 'Dockerfile' })).toHaveAttribute('aria-disabled', 'true');
  });
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(dialog).toBeHidden();

  // No kubeconfig yet: the Cluster panel explains what it needs; Terminals cannot open a shell.
  await inBothThemes(page, 'cluster-no-kubeconfig', async () => {
    await expect(page.getByRole('heading', { name: 'No kubeconfig found' })).toBeVisible();
  });
  await openPanel(page, 'Terminals');
  const terminals = PANELS.find((p) => p.id === 'terminals')!;
  await inBothThemes(page, 'terminals', async () => {
    await terminals.check(page);
    // What is wrong, its hint, and the next step.
    const main = page.getByRole('main', { name: 'Terminals' });
    await expect(main.getByRole('alert')).toContainText('No kubeconfig found');
    await expect(main.getByRole('alert')).toContainText('set KUBECONFIG');
    await expect(main.getByRole('status', { name: 'Terminal status' })).toContainText('Set up the cluster in the Cluster panel');
  });

  // Now a cluster that answers (the host watches the kubeconfig file).
  await app.writeKubeconfig(await fs.readFile(cluster.kubeconfigPath, 'utf8'));
  await openPanel(page, 'Cluster');
  await expect(page.getByRole('combobox', { name: 'Context' })).toHaveValue('test-admin', { timeout: 15_000 });

  for (const panel of PANELS.filter((p) => p.id !== 'terminals')) {
    await openPanel(page, panel.label);
    await panel.prepare?.(page);
    await inBothThemes(page, panel.id, () => panel.check(page));
  }

  // The cluster now answers: the Terminals panel retried by itself, so the stale "No kubeconfig"
  // is gone; nothing is deployed, so it now says to press Up first.
  await openPanel(page, 'Terminals');
  const terminalsMain = page.getByRole('main', { name: 'Terminals' });
  await expect(terminalsMain.getByRole('status', { name: 'Terminal status' })).toHaveText('Press Up to deploy the project, then open a terminal.', { timeout: 15_000 });
  await expect(terminalsMain.getByRole('alert')).not.toContainText('No kubeconfig');
  await PANELS.find((p) => p.id === 'terminals')!.check(page);

  // Up on a new project first shows the files it would create; nothing is written until confirmed.
  await openPanel(page, 'Pipeline');
  await page.getByRole('banner').getByRole('button', { name: 'Up', exact: true }).click();
  const firstUp = page.getByRole('dialog', { name: 'Files for the first Up' });
  await inBothThemes(page, 'first-up', async () => {
    await expect(firstUp.getByRole('list', { name: 'Files to create' })).toContainText('.devspace/config.yaml');
    await expect(firstUp.getByRole('button', { name: 'Create files and start Up' })).toBeVisible();
  });
  await firstUp.getByRole('button', { name: 'Cancel' }).click();
  await expect(firstUp).toBeHidden();
  await expect(fs.access(path.join(app.homeDir, 'projects', 'shop', '.devspace'))).rejects.toThrow();

  // A small window: every panel still fits, with the header's actions in view.
  await setTheme(page, 'light');
  await page.setViewportSize({ width: 1024, height: 700 });
  for (const panel of PANELS) {
    await openPanel(page, panel.label);
    await panel.check(page);
    await expect(page.getByRole('button', { name: 'Close project' })).toBeInViewport();
    await expect(page.getByRole('banner').getByRole('button', { name: 'Up', exact: true })).toBeInViewport();
    await shoot(page, panel.id, 'small');
  }

  // The welcome screen and the folder browser in the small window too.
  await page.getByRole('button', { name: 'Close project' }).click();
  await expect(page.getByRole('heading', { name: 'DevSpace Desktop', level: 1 })).toBeVisible();
  const recentShop = page.getByRole('list', { name: 'Recent projects' }).getByRole('button', { name: /^shop/ });
  await expect(recentShop).toBeVisible();
  await shoot(page, 'welcome', 'small');
  await page.getByRole('button', { name: 'Open project…' }).click();
  await expect(dialog.getByRole('button', { name: 'Open', exact: true })).toBeInViewport();
  await shoot(page, 'folder-browser', 'small');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await recentShop.click();
  await expect(page.getByRole('navigation', { name: 'Project panels' })).toBeVisible();

  // Keyboard users see where they are: a focused panel link has a visible focus ring.
  await page.getByRole('navigation', { name: 'Project panels' }).getByRole('button', { name: 'Ports', exact: true }).focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  const ring = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement!);
    return { outline: s.outlineStyle, shadow: s.boxShadow };
  });
  expect(ring.outline !== 'none' || ring.shadow !== 'none', `focus ring on the Ports link: ${JSON.stringify(ring)}`).toBe(true);

  expect(problems).toEqual([]);
});
