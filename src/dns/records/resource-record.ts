/** DNS record types kube-dns-sim serves, by their wire codes. */
export const RRType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  HINFO: 13,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  OPT: 41,
  IXFR: 251,
  AXFR: 252,
  ANY: 255,
} as const;

export type RecordData =
  | { type: 'A'; address: string }
  | { type: 'AAAA'; address: string }
  | { type: 'CNAME'; target: string }
  | { type: 'PTR'; target: string }
  | { type: 'NS'; target: string }
  | { type: 'SRV'; priority: number; weight: number; port: number; target: string }
  | { type: 'TXT'; text: readonly string[] }
  | { type: 'SOA'; mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number };

/** One resource record; names are lower-case, absolute, without the trailing dot. */
export interface ResourceRecord {
  name: string;
  ttl: number;
  data: RecordData;
}

export function getTypeCode(type: RecordData['type']): number {
  return RRType[type];
}

/** Zone-file text of a record: `web-0.nginx.default.svc.cluster.local. 5 IN A 10.244.0.3`. */
export function toZoneLine(rr: ResourceRecord): string {
  const d = rr.data;
  const owner = `${rr.name}.`;
  let rdata: string;
  switch (d.type) {
    case 'A':
    case 'AAAA':
      rdata = d.address;
      break;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      rdata = `${d.target}.`;
      break;
    case 'SRV':
      rdata = `${d.priority} ${d.weight} ${d.port} ${d.target}.`;
      break;
    case 'TXT':
      rdata = d.text.map((t) => JSON.stringify(t)).join(' ');
      break;
    case 'SOA':
      rdata = `${d.mname}. ${d.rname}. ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
      break;
  }
  return `${owner} ${rr.ttl} IN ${d.type} ${rdata}`;
}
