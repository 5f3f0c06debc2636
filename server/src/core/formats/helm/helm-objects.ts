// The objects of a render that have methods: `.Files` (the chart's files Port Parity reads) and `.Capabilities` (helm template's defaults).
import { posix } from 'node:path';
import picomatch from 'picomatch';
import { METHODS, text, unknowable } from './helm-print';
import { NIL, str } from './helm-values';
import type { Val } from './helm-values';
import { ENCODING_FUNCS } from './helm-funcs-encoding';
import type { Fn } from './helm-funcs-text';


/** The method `name` of `v`, if `v` is an object with methods. */
export function methodOf(v: Val, name: string): Fn | undefined {
  const m = METHODS.get(v);
  return m && Object.hasOwn(m, name) ? m[name] : undefined;
}

function withMethods(v: Val, m: Record<string, Fn>): Val {
  METHODS.set(v, m);
  return v;
}

/**
 * The Kubernetes version `helm template` assumes without a cluster (Helm 3.19 is built with client-go
 * 1.34); `.Capabilities.KubeVersion` is this unless the chart is rendered against a cluster.
 */
export const DEFAULT_KUBE_VERSION = { major: '1', minor: '34' };

/**
 * The API versions `helm template` offers without a cluster: Kubernetes' built-in groups (client-go's
 * scheme, as Helm's DefaultVersionSet). A CRD's group (monitoring.coreos.com/v1) is not among them,
 * so `.Capabilities.APIVersions.Has` is false for it, as in `helm template` without `--api-versions`.
 */
export const DEFAULT_API_VERSIONS = [
  'v1', 'admissionregistration.k8s.io/v1', 'admissionregistration.k8s.io/v1beta1', 'apiextensions.k8s.io/v1', 'apiregistration.k8s.io/v1',
  'apps/v1', 'authentication.k8s.io/v1', 'authorization.k8s.io/v1', 'autoscaling/v1', 'autoscaling/v2', 'batch/v1',
  'certificates.k8s.io/v1', 'coordination.k8s.io/v1', 'discovery.k8s.io/v1', 'events.k8s.io/v1', 'flowcontrol.apiserver.k8s.io/v1',
  'networking.k8s.io/v1', 'node.k8s.io/v1', 'policy/v1', 'rbac.authorization.k8s.io/v1', 'resource.k8s.io/v1', 'scheduling.k8s.io/v1',
  'storage.k8s.io/v1',
];

/** `.Capabilities` as `helm template` sets it without a cluster. */
export function capabilities(): Val {
  const { major, minor } = DEFAULT_KUBE_VERSION;
  const version = `v${major}.${minor}.0`;
  const apis = withMethods({ k: 'list', v: DEFAULT_API_VERSIONS.map((v) => str(v)) }, {
    // `Has "apps/v1"` or `Has "apps/v1/Deployment"`: a built-in group version (and any kind in it).
    Has: (a) => ({ k: 'bool', v: DEFAULT_API_VERSIONS.includes(text(a[0] ?? NIL).replace(/^((?:[^/]+\/)?v\w+)\/[A-Z]\w*$/, '$1')) }),
  });
  const kube: Val = { k: 'map', v: new Map<string, Val>([['Version', str(version)], ['Major', str(major)], ['Minor', str(minor)], ['GitVersion', str(version)]]) };
  return { k: 'map', v: new Map<string, Val>([['KubeVersion', kube], ['APIVersions', apis], ['HelmVersion', { k: 'map', v: new Map([['Version', str('v3.19.0')]]) }]]) };
}

/**
 * `.Files`: the chart's files (paths relative to the chart) that Port Parity reads. A file it does not
 * read (or that is not there) is unknown, never an empty string: helm would give its text.
 */
export function filesObject(files: Map<string, string>, chartDir: string): Val {
  const missing = (path: string): never => {
    throw unknowable(`.Files: ${chartDir ? `${chartDir}/` : ''}${path} is not a file Port Parity reads in the chart`);
  };
  const get = (path: string): string => files.get(posix.normalize(path)) ?? missing(path);
  const self = { k: 'map', v: new Map([...files].map(([p, t]) => [p, str(t)])) } as Val;
  return withMethods(self, {
    Get: (a) => str(get(text(a[0] ?? NIL))),
    GetBytes: (a) => str(get(text(a[0] ?? NIL))),
    Lines: (a) => ({ k: 'list', v: get(text(a[0] ?? NIL)).split('\n').map((l) => str(l)) }),
    Glob: (a) => {
      const pattern = text(a[0] ?? NIL);
      const match = picomatch(pattern, { dot: true });
      const hit = new Map([...files].filter(([p]) => match(p)));
      if (hit.size === 0) throw unknowable(`.Files.Glob "${pattern}": no file Port Parity reads in the chart matches`);
      return filesObject(hit, chartDir);
    },
    AsConfig: () => ENCODING_FUNCS.toYaml([{ k: 'map', v: new Map([...files].map(([p, t]) => [posix.basename(p), str(t)])) }]),
    AsSecrets: () => ENCODING_FUNCS.toYaml([{ k: 'map', v: new Map([...files].map(([p, t]) => [posix.basename(p), str(Buffer.from(t, 'utf8').toString('base64'))])) }]),
  });
}
