// Opens a project the way a new user does in browser mode: "Open project…", the folder browser,
// projects/<name>, Open; then waits until the project's cluster context is shown.
import { expect, type Page } from '@playwright/test';

export async function openTestProject(page: Page, name: string, context = 'test-admin'): Promise<void> {
  await page.getByRole('button', { name: 'Open project…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open project folder' });
  await dialog.getByRole('option', { name: 'projects', exact: true }).click();
  await dialog.getByRole('option', { name, exact: true }).click();
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('combobox', { name: 'Context' })).toHaveValue(context);
}
