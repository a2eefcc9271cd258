/** Matches request paths against the registry's route templates, the way API Gateway resources do. */
import type { RegistryEntry } from '../functions/registry';

export interface Route {
  entry: RegistryEntry;
  method: string;
  resource: string;
  pattern: RegExp;
  paramNames: string[];
}

export type RouteMatch =
  | { kind: 'found'; route: Route; pathParams: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const compileRoutes = (entries: readonly RegistryEntry[]): Route[] =>
  entries.map((entry) => {
    const paramNames: string[] = [];
    const source = entry.operation.path
      .split('/')
      .map((segment) => {
        const param = /^\{(\w+)\}$/.exec(segment);
        if (!param) return escape(segment);
        paramNames.push(param[1]!);
        return '([^/]+)';
      })
      .join('/');
    return { entry, method: entry.operation.method, resource: entry.operation.path, pattern: new RegExp(`^${source}/?$`), paramNames };
  });

export const matchRoute = (routes: readonly Route[], method: string, path: string): RouteMatch => {
  const onPath = routes.filter((route) => route.pattern.test(path));
  if (onPath.length === 0) return { kind: 'not-found' };
  const route = onPath.find((candidate) => candidate.method === method);
  if (!route) return { kind: 'method-not-allowed', allowed: onPath.map((candidate) => candidate.method) };
  const values = route.pattern.exec(path)!.slice(1);
  // Like API Gateway, path parameters are handed over as they appeared in the URL; the adapters decode them.
  return { kind: 'found', route, pathParams: Object.fromEntries(route.paramNames.map((name, i) => [name, values[i]!])) };
};
