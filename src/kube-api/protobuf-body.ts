/**
 * Request bodies in the Kubernetes protobuf encoding (`application/vnd.kubernetes.protobuf`), which
 * kubectl's typed clients send for a few commands (`kubectl create namespace`). The envelope is
 * the 4-byte magic `k8s\0` and a `runtime.Unknown` (typeMeta, raw); the simulator decodes the
 * kinds those commands create from their .proto field numbers (k8s.io/api generated.proto) and
 * answers other protobuf bodies with 415 and a hint. Pure; never throws.
 */

type Obj = Record<string, unknown>;
type Field = { no: number; wire: number; bytes?: Uint8Array; varint?: bigint };

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

/** The fields of one protobuf message; undefined when the bytes are not a well-formed message. */
function readFields(b: Uint8Array): Field[] | undefined {
  const out: Field[] = [];
  let i = 0;
  const varint = (): bigint | undefined => {
    let v = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (i >= b.length) return undefined;
      const c = b[i++];
      v |= BigInt(c & 0x7f) << shift;
      if ((c & 0x80) === 0) return v;
    }
    return undefined;
  };
  while (i < b.length) {
    const key = varint();
    if (key === undefined) return undefined;
    const no = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const v = varint();
      if (v === undefined) return undefined;
      out.push({ no, wire, varint: v });
    } else if (wire === 2) {
      const len = varint();
      if (len === undefined || i + Number(len) > b.length) return undefined;
      out.push({ no, wire, bytes: b.subarray(i, i + Number(len)) });
      i += Number(len);
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else return undefined;
  }
  return i === b.length ? out : undefined;
}

const text = (f: Field) => Buffer.from(f.bytes ?? new Uint8Array()).toString('utf8');

function readMap(fields: Field[], no: number): Record<string, string> | undefined {
  const entries = fields.filter((f) => f.no === no && f.bytes);
  if (entries.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const e of entries) {
    const kv = readFields(e.bytes!) ?? [];
    out[text(kv.find((f) => f.no === 1) ?? { no: 1, wire: 2 })] = text(kv.find((f) => f.no === 2) ?? { no: 2, wire: 2 });
  }
  return out;
}

/** ObjectMeta: name 1, generateName 2, namespace 3, labels 11, annotations 12, finalizers 14. */
function readObjectMeta(b: Uint8Array): Obj | undefined {
  const f = readFields(b);
  if (!f) return undefined;
  const one = (no: number) => f.find((x) => x.no === no && x.bytes);
  const m: Obj = {};
  if (one(1)) m.name = text(one(1)!);
  if (one(2)) m.generateName = text(one(2)!);
  if (one(3)) m.namespace = text(one(3)!);
  const labels = readMap(f, 11);
  if (labels) m.labels = labels;
  const annotations = readMap(f, 12);
  if (annotations) m.annotations = annotations;
  return m;
}

/** Decoders by kind: the object's fields from its protobuf bytes. */
const DECODERS: Record<string, (raw: Uint8Array) => Obj | undefined> = {
  Namespace: (raw) => {
    const f = readFields(raw);
    const meta = f?.find((x) => x.no === 1 && x.bytes);
    const metadata = meta ? readObjectMeta(meta.bytes!) : {};
    return f && metadata ? { metadata } : undefined;
  },
};

export type ProtobufDecode = { ok: true; object: Obj } | { ok: false; message: string };

/** Decodes a protobuf request body into the JSON object it stands for. */
export function decodeProtobufBody(body: Uint8Array): ProtobufDecode {
  if (body.length < 4 || MAGIC.some((c, i) => body[i] !== c)) return { ok: false, message: 'the protobuf body does not start with the Kubernetes magic "k8s\\0"' };
  const unknown = readFields(body.subarray(4));
  const typeMeta = unknown?.find((f) => f.no === 1 && f.bytes);
  const raw = unknown?.find((f) => f.no === 2 && f.bytes);
  const tm = typeMeta ? readFields(typeMeta.bytes!) : undefined;
  if (!unknown || !tm || !raw) return { ok: false, message: 'the protobuf body is not a runtime.Unknown with typeMeta and raw' };
  const apiVersion = text(tm.find((f) => f.no === 1) ?? { no: 1, wire: 2 });
  const kind = text(tm.find((f) => f.no === 2) ?? { no: 2, wire: 2 });
  const decode = DECODERS[kind];
  if (!decode) return { ok: false, message: `kube-dns-sim reads ${kind} objects as JSON only: write it as YAML and use "kubectl apply -f" (or "kubectl create -f")` };
  const object = decode(raw.bytes!);
  return object ? { ok: true, object: { apiVersion, kind, ...object } } : { ok: false, message: `the protobuf ${kind} could not be decoded` };
}
