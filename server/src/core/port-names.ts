// What a variable's or a host's name says about a service: its own listening port, a port it serves,
// the host it binds, itself. A leaf module: formats' lowerings and the rules share it.

const OWN_PORT_VARS = new Set(['PORT', 'HTTP_PORT', 'SERVER_PORT', 'APP_PORT', 'LISTEN_PORT', 'WEB_PORT', 'SERVICE_PORT', 'ASPNETCORE_HTTP_PORTS']);

/** Variables that set the service's own listening port (`REDIS_PORT` names another service's). */
export function isOwnPortVar(name: string, service: string): boolean {
  if (OWN_PORT_VARS.has(name)) return true;
  return name === `${service.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_PORT`;
}

/**
 * Variables that set a port the service itself listens on, its main one or a second listener of its
 * own (Spring's MANAGEMENT_SERVER_PORT, METRICS_PORT, GRPC_PORT): what the service serves. Another
 * service's port (REDIS_PORT, DB_PORT) is not.
 */
export function isServedPortVar(name: string, service: string): boolean {
  return isOwnPortVar(name, service) || /^(MANAGEMENT(_SERVER)?|METRICS|ADMIN|HEALTH(CHECK)?|PROBE|STATUS|MONITORING|PROMETHEUS|GRPC|HTTPS|DEBUG|INTERNAL|PUBLIC)_(SERVER_)?PORT$/.test(name);
}

/** Variables whose value is the host a server binds. */
export const BIND_VARS = new Set(['HOST', 'HOSTNAME', 'BIND', 'BIND_ADDRESS', 'BIND_ADDR', 'LISTEN_ADDRESS', 'LISTEN_ADDR', 'LISTEN_HOST', 'SERVER_HOST', 'SERVER_ADDRESS', 'APP_HOST', 'UVICORN_HOST', 'FLASK_RUN_HOST']);

/**
 * A health check host that means "this container": loopback, any-address, or one of `names` (the
 * service's own name and the names its network knows it by, lower-cased as written).
 */
export function isSelfHost(host: string | undefined, names: readonly (string | undefined)[]): boolean {
  if (!host) return true;
  const h = host.toLowerCase();
  if (['localhost', '127.0.0.1', '0.0.0.0', '::1', '[::1]', '::'].includes(h)) return true;
  return names.includes(h);
}

