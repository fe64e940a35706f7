// printEndpoints (formatEndpoints) and printEndpointSlice (formatDiscoveryPorts, formatDiscoveryEndpoints).
import { toAge } from './human-duration.js';
import type { ApiObject, RowCells } from './table-types.js';

const MAX = 3;

/** net.JoinHostPort: IPv6 hosts in brackets. */
const joinHostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** listWithMoreString: `a,b,c + N more...`, `<unset>` when empty. */
function toListWithMore(list: string[], count: number): string {
  if (count > MAX) return `${list.join(',')} + ${count - MAX} more...`;
  return list.join(',') || '<unset>';
}

/** ENDPOINTS of an Endpoints object: `ip:port` per ready address and port (bare ips without ports), 3 shown then `+ N more...`; `<none>` without subsets. */
export function formatEndpoints(ep: ApiObject): string {
  const subsets = (ep.subsets ?? []) as { addresses?: { ip: string }[]; ports?: { port: number }[] }[];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === MAX) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const p of ports) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === MAX) {
          more = true;
          break;
        }
        list.push(joinHostPort(a.ip, p.port));
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - MAX} more...` : ret;
}

/** The Endpoints row cells. */
export function toEndpointsCells(ep: ApiObject, nowMs: number): RowCells {
  return { cells: [ep.metadata?.name ?? '', formatEndpoints(ep), toAge(ep.metadata?.creationTimestamp, nowMs)] };
}

/** PORTS of a slice: port numbers (name when the number is unset, `*` when both are), 3 shown; `<unset>` when none. */
export function formatDiscoveryPorts(slice: ApiObject): string {
  const ports = (slice.ports ?? []) as { port?: number | null; name?: string | null }[];
  const list = ports.slice(0, MAX).map((p) => (p.port != null ? String(p.port) : p.name != null ? p.name : '*'));
  return toListWithMore(list, ports.length);
}

/** ENDPOINTS of a slice: every address of every endpoint, 3 shown; `<unset>` when none. */
export function formatDiscoveryEndpoints(slice: ApiObject): string {
  const addrs = ((slice.endpoints ?? []) as { addresses?: string[] }[]).flatMap((e) => e.addresses ?? []);
  return toListWithMore(addrs.slice(0, MAX), addrs.length);
}

/** The EndpointSlice row cells. */
export function toEndpointSliceCells(slice: ApiObject, nowMs: number): RowCells {
  return { cells: [slice.metadata?.name ?? '', slice.addressType ?? '', formatDiscoveryPorts(slice), formatDiscoveryEndpoints(slice), toAge(slice.metadata?.creationTimestamp, nowMs)] };
}
