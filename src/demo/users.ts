// The demo's users: user1..user100 with password secret<N>. Computed, so no process holds a user table.

export const USER_COUNT = 100;

export interface User {
  id: number;
  name: string;
  email: string;
}

export function userById(id: number): User | null {
  if (!Number.isInteger(id) || id < 1 || id > USER_COUNT) return null;
  return { id, name: `User ${id}`, email: `user${id}@example.com` };
}

/** The user id when `user`/`password` are a valid pair (user7/secret7), else null. */
export function checkCredentials(user: unknown, password: unknown): number | null {
  if (typeof user !== 'string' || typeof password !== 'string') return null;
  const match = /^user([1-9]\d{0,2})$/.exec(user);
  if (!match) return null;
  const id = Number(match[1]);
  if (userById(id) === null) return null;
  return password === `secret${id}` ? id : null;
}
