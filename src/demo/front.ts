// The public face of either topology: /graphql plus each service's paths, wherever the services live.
import { sendJson, type Handler } from './http-json.js';
import { serviceFor, type ServiceName } from './routes.js';

export function createFrontHandler(services: Record<ServiceName, Handler>, graphql: Handler): Handler {
  return (req, res, path, query) => {
    if (path === '/graphql') return graphql(req, res, path, query);
    const owner = serviceFor(path);
    if (owner === null) {
      sendJson(res, 404, { error: 'not found' });
      return Promise.resolve();
    }
    return services[owner](req, res, path, query);
  };
}
