import fs from 'node:fs';
import type { Page } from 'playwright-core';

/** One account from the first start's credentials file (`role\tusername\tpassword\t…`). */
export interface Cred {
  role: string;
  username: string;
  password: string;
}

/** The accounts the server printed and saved on first start. */
export function readCredentials(file: string): Cred[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [role, username, password] = l.split('\t');
      return { role: role!, username: username!, password: password! };
    });
}

/** Signs in with a first-start password and goes through the forced password change. */
export async function signInAndChangePassword(page: Page, baseUrl: string, cred: Cred, newPassword: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(cred.username);
  await page.getByTestId('login-password').fill(cred.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/change-password/);
  await page.getByTestId('pw-current').fill(cred.password);
  await page.getByTestId('pw-new').fill(newPassword);
  await page.getByTestId('pw-confirm').fill(newPassword);
  await page.getByTestId('pw-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/change-password') && !u.pathname.startsWith('/login'));
}

/** Signs in with a password already changed (a second page of the same role in one file). */
export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}
