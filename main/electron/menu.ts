// The application menu: the usual roles plus the app's own commands, sent to the renderer.
import { Menu, type MenuItemConstructorOptions, app } from 'electron';

export function buildMenu(o: { send: (command: 'open-project' | 'settings' | 'about') => void }): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: () => o.send('open-project') },
        { label: 'Project Settings…', accelerator: 'CmdOrCtrl+,', click: () => o.send('settings') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: `About ${app.getName()}`, click: () => o.send('about') }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
