// printPod (pkg/printers/internalversion/printers.go): READY, STATUS, RESTARTS, AGE, IP, NODE, NOMINATED NODE, READINESS GATES.
import { toAge } from './human-duration.js';
import type { ApiObject, RowCells, TableRowCondition } from './table-types.js';

const SUCCEEDED: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const FAILED: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
const NODE_LOST = 'NodeLost';

type ContainerStatus = {
  name: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; running?: object; terminated?: { reason?: string; exitCode?: number; signal?: number } };
  lastState?: { terminated?: { finishedAt?: string } };
};

const isRestartable = (c: { restartPolicy?: string } | undefined) => c?.restartPolicy === 'Always';
const lastFinished = (c: ContainerStatus) => {
  const t = c.lastState?.terminated;
  if (!t) return undefined;
  const ms = t.finishedAt ? Date.parse(t.finishedAt) : NaN;
  return Number.isNaN(ms) ? 0 : ms; // a terminated state without finishedAt is the zero time
};
const later = (a: number, b: number | undefined) => (b !== undefined && b > a ? b : a);
const hasCondition = (pod: ApiObject, type: string) => ((pod.status?.conditions ?? []) as { type: string; status: string }[]).some((c) => c.type === type && c.status === 'True');

/** The pod's row cells and, once it has finished, its `Completed` condition. */
export function toPodCells(pod: ApiObject, nowMs: number): RowCells {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const initSpecs = (spec.initContainers ?? []) as { name: string; restartPolicy?: string }[];
  const initByName = new Map(initSpecs.map((c) => [c.name, c]));
  let restarts = 0;
  let restartableInitRestarts = 0;
  const totalContainers = (spec.containers ?? []).length + initSpecs.filter(isRestartable).length;
  let readyContainers = 0;
  let lastRestart = 0; // ms; 0 is Go's zero time
  let lastRestartableInitRestart = 0;
  const phase: string = status.phase ?? '';
  let reason: string = status.reason || phase;
  for (const c of (status.conditions ?? []) as { type: string; reason?: string }[]) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }
  const conditions = phase === 'Succeeded' ? SUCCEEDED : phase === 'Failed' ? FAILED : undefined;

  let initializing = false;
  const initStatuses = (status.initContainerStatuses ?? []) as ContainerStatus[];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += c.restartCount ?? 0;
    lastRestart = later(lastRestart, lastFinished(c));
    const restartable = isRestartable(initByName.get(c.name));
    if (restartable) {
      restartableInitRestarts += c.restartCount ?? 0;
      lastRestartableInitRestart = later(lastRestartableInitRestart, lastFinished(c));
    }
    const term = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (term && (term.exitCode ?? 0) === 0) continue;
    if (restartable && c.started === true) {
      if (c.ready) readyContainers++;
      continue;
    }
    if (term) {
      if (!term.reason) reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode ?? 0}`;
      else reason = `Init:${term.reason}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(pod, 'Initialized')) {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const statuses = (status.containerStatuses ?? []) as ContainerStatus[];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount ?? 0;
      lastRestart = later(lastRestart, lastFinished(c));
      const term = c.state?.terminated;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode ?? 0}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = hasCondition(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting = pod.metadata?.deletionTimestamp != null;
  if (deleting && status.reason === NODE_LOST) reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart !== 0) restartsText = `${restarts} (${toAge(new Date(lastRestart).toISOString(), nowMs)} ago)`;

  const podIPs = (status.podIPs ?? []) as { ip?: string }[];
  const podIP = (podIPs.length > 0 ? podIPs[0].ip : undefined) || '<none>';
  const gates = (spec.readinessGates ?? []) as { conditionType: string }[];
  let readinessGates = '<none>';
  if (gates.length > 0) {
    const conds = (status.conditions ?? []) as { type: string; status: string }[];
    const trueCount = gates.filter((g) => conds.find((c) => c.type === g.conditionType)?.status === 'True').length;
    readinessGates = `${trueCount}/${gates.length}`;
  }
  return {
    cells: [
      pod.metadata?.name ?? '',
      `${readyContainers}/${totalContainers}`,
      reason,
      restartsText,
      toAge(pod.metadata?.creationTimestamp, nowMs),
      podIP,
      spec.nodeName || '<none>',
      status.nominatedNodeName || '<none>',
      readinessGates,
    ],
    conditions,
  };
}
