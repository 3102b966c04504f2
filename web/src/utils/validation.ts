/** 18-character resident ID number (GB 11643): 17 digits and a digit or X. The check digit is left to the server. */
export const ID_NUMBER_PATTERN = /^\d{17}[\dXx]$/;

export const PHONE_PATTERN = /^(\+?86)?1\d{10}$|^0\d{2,3}-?\d{7,8}$/;

export interface PasswordChecks {
  length: boolean;
  classes: boolean;
  notUsername: boolean;
  classCount: number;
}

/** Mirrors the server's password policy: ≥10 characters, ≥3 of 4 character classes, must not contain the username. */
export function checkPassword(password: string, username: string): PasswordChecks {
  let classCount = 0;
  if (/[a-z]/.test(password)) classCount++;
  if (/[A-Z]/.test(password)) classCount++;
  if (/\d/.test(password)) classCount++;
  if (/[^A-Za-z0-9]/.test(password)) classCount++;
  const user = username.trim().toLowerCase();
  return {
    length: password.length >= 10,
    classes: classCount >= 3,
    notUsername: !user || !password.toLowerCase().includes(user),
    classCount,
  };
}

export function passwordOk(password: string, username: string): boolean {
  const c = checkPassword(password, username);
  return c.length && c.classes && c.notUsername;
}
