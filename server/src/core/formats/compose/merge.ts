// Compose's merge of one service definition over another: an override file's over the base's, and an
// extending service over the one it extends (Compose applies the same rules to both).
import type { ComposeService, EnvVar } from '../../types';

/** Compose's merge: maps key by key, ports unique by mapping, command/entrypoint/healthcheck replaced. */
export function mergeCompose(base: ComposeService, over: ComposeService): ComposeService {
  // Keys the override tags `!override`/`!reset` start from nothing: the base's entries are dropped.
  const keep = (key: string): boolean => !over.replaced?.includes(key);
  const portKey = (p: ComposeService['ports'][number]): string => `${p.hostIp ?? ''}|${p.host?.port ?? ''}|${p.container.port ?? p.container.raw}|${p.protocol}`;
  const ports = new Map<string, ComposeService['ports'][number]>();
  for (const p of [...(keep('ports') ? base.ports : []), ...over.ports]) if (!ports.has(portKey(p))) ports.set(portKey(p), p);
  const env = new Map<string, EnvVar>();
  for (const e of [...(keep('environment') ? base.environment : []), ...over.environment]) env.set(e.name, e);
  const expose = new Map<string, ComposeService['expose'][number]>();
  for (const e of [...(keep('expose') ? base.expose : []), ...over.expose]) if (!expose.has(`${e.port}/${e.protocol}`)) expose.set(`${e.port}/${e.protocol}`, e);
  return {
    ...base,
    image: over.image ?? base.image,
    build: over.build ?? base.build,
    containerName: over.containerName ?? base.containerName,
    aliases: [...base.aliases, ...over.aliases],
    ports: [...ports.values()],
    expose: [...expose.values()],
    environment: [...env.values()],
    envFiles: [...(keep('env_file') ? base.envFiles : []), ...over.envFiles],
    command: over.command ?? (keep('command') ? base.command : undefined),
    entrypoint: over.entrypoint ?? (keep('entrypoint') ? base.entrypoint : undefined),
    healthchecks: over.hasHealthcheck || !keep('healthcheck') ? over.healthchecks : base.healthchecks,
    hasHealthcheck: base.hasHealthcheck || over.hasHealthcheck,
    networkModeHost: over.networkModeHost || base.networkModeHost,
    profiles: over.profiles ?? base.profiles,
    inherits: base.inherits || over.inherits ? [...(over.inherits ?? []), ...(base.inherits ?? [])] : undefined,
  };
}
