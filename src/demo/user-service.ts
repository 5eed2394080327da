// Users, login (JWT HS256) and the token-protected /profile.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, readJsonObject, requireMethod, sendJson, type Handler } from './http-json.js';
import { verifyJwt, signJwt } from './jwt.js';
import { idFromPath } from './routes.js';
import { checkCredentials, userById } from './users.js';

const USER_PREFIX = '/api/users/';
const UNAUTHORIZED = new HttpError(401, 'unauthorized', { 'www-authenticate': 'Bearer' });

function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return null;
  return header.slice('Bearer '.length).trim();
}

export function createUserService(jwtSecret: string): Handler {
  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJsonObject(req);
    const userId = checkCredentials(body.user, body.password);
    if (userId === null) throw new HttpError(401, 'invalid credentials');
    sendJson(res, 200, { token: signJwt({ sub: String(userId), userId }, jwtSecret), userId });
  }

  function profile(req: IncomingMessage, res: ServerResponse): void {
    const token = bearerToken(req);
    const claims = token === null ? null : verifyJwt(token, jwtSecret);
    const user = typeof claims?.userId === 'number' ? userById(claims.userId) : null;
    if (user === null) throw UNAUTHORIZED;
    sendJson(res, 200, { userId: user.id, name: user.name });
  }

  return async (req, res, path) => {
    if (path === '/api/users/login') {
      requireMethod(req, 'POST');
      return login(req, res);
    }
    requireMethod(req, 'GET');
    if (path === '/profile') return profile(req, res);
    const user = userById(idFromPath(path, USER_PREFIX) ?? 0);
    if (user === null) return sendJson(res, 404, { error: 'not found' });
    sendJson(res, 200, user);
  };
}
