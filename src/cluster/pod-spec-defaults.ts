/**
 * The defaults the API server fills into a pod spec (pkg/apis/core/v1/defaults.go, the fields a
 * simulated pod shows), and their inverse. A pod template's hash (controller revision,
 * pod-template-hash) is computed without them, so a template written with the defaults (as
 * `kubectl apply` writes back what it read) and without them is the same template, as it is
 * for Kubernetes, which hashes the defaulted one. Pure.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEmptyObj = (v: unknown) => isObj(v) && Object.keys(v).length === 0;

const POD_DEFAULTS: Obj = { restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler' };

/** imagePullPolicy's default: Always for `:latest` or no tag, else IfNotPresent. */
function defaultPullPolicy(image: unknown): string {
  return typeof image === 'string' && (/:latest$/.test(image) || !/:[^/@]+$/.test(image.split('@')[0])) ? 'Always' : 'IfNotPresent';
}

/** A pod spec with the API server's defaults filled in (what `kubectl get -o yaml` shows). */
export function addPodSpecDefaults(spec: Obj): Obj {
  const out: Obj = { ...POD_DEFAULTS, securityContext: {}, ...spec };
  const containers = (list: unknown) =>
    Array.isArray(list)
      ? list.map((c) => {
          const co = isObj(c) ? c : {};
          return {
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'File',
            imagePullPolicy: defaultPullPolicy(co.image),
            resources: {},
            ...co,
            ...(Array.isArray(co.ports) ? { ports: co.ports.map((p) => ({ protocol: 'TCP', ...(isObj(p) ? p : {}) })) } : {}),
          };
        })
      : list;
  out.containers = containers(out.containers);
  if (out.initContainers) out.initContainers = containers(out.initContainers);
  return out;
}

/** A pod spec without the fields addPodSpecDefaults fills in, where they hold the default value. */
export function removePodSpecDefaults(spec: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(spec)) {
    if (k in POD_DEFAULTS && POD_DEFAULTS[k] === v) continue;
    if (k === 'securityContext' && isEmptyObj(v)) continue;
    out[k] = k === 'containers' || k === 'initContainers' ? (Array.isArray(v) ? v.map(removeContainerDefaults) : v) : v;
  }
  return out;
}

function removeContainerDefaults(c: unknown): unknown {
  if (!isObj(c)) return c;
  const out: Obj = {};
  for (const [k, v] of Object.entries(c)) {
    if (k === 'terminationMessagePath' && v === '/dev/termination-log') continue;
    if (k === 'terminationMessagePolicy' && v === 'File') continue;
    if (k === 'imagePullPolicy' && v === defaultPullPolicy(c.image)) continue;
    if (k === 'resources' && isEmptyObj(v)) continue;
    out[k] = k === 'ports' && Array.isArray(v) ? v.map((p) => (isObj(p) && p.protocol === 'TCP' ? Object.fromEntries(Object.entries(p).filter(([pk]) => pk !== 'protocol')) : p)) : v;
  }
  return out;
}

/** A pod template (metadata + spec) in the form its hash is computed from: spec defaults removed. */
export function toHashedPodTemplate(template: unknown): unknown {
  if (!isObj(template) || !isObj(template.spec)) return template;
  return { ...template, spec: removePodSpecDefaults(template.spec) };
}
