// One module per kind: the group indexes load every kind's validator (about half a second at start-up).
import { Endpoints } from 'kubernetes-models/v1/Endpoints';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ReplicaSet } from 'kubernetes-models/apps/v1/ReplicaSet';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { EndpointSlice } from 'kubernetes-models/discovery.k8s.io/v1/EndpointSlice';
import type { SupportedKind } from './manifest-object.js';

/**
 * The Kubernetes API's own OpenAPI definitions for the kinds the simulator loads, as compiled by
 * kubernetes-models (one JSON-schema validator per definition, all errors collected).
 */

/** One ajv error as the compiled validators report it. */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** Runs a kind's OpenAPI validator on `data` (which may be a Proxy); [] when valid. */
export type KindValidator = (data: unknown) => SchemaError[];

interface ModelClass {
  apiVersion: string;
  prototype: { validate(): void };
}

const MODELS: Record<SupportedKind, ModelClass> = {
  Deployment,
  EndpointSlice,
  Endpoints,
  Namespace,
  Pod,
  ReplicaSet,
  Service,
  StatefulSet,
};

// kubernetes-models exposes each validator only as Model#validate, which validates `this` and throws
// ajv's ValidationError; calling it on the raw data keeps our object (and our Proxy) intact.
function toKindValidator(model: ModelClass): KindValidator {
  return (data) => {
    try {
      model.prototype.validate.call(data);
      return [];
    } catch (err) {
      const errors = (err as { errors?: unknown }).errors;
      if (Array.isArray(errors)) return errors as SchemaError[];
      throw err;
    }
  };
}

const VALIDATORS = new Map<SupportedKind, KindValidator>(Object.entries(MODELS).map(([k, m]) => [k as SupportedKind, toKindValidator(m)]));

/** The apiVersion a kind is served in (`apps/v1` for StatefulSet). */
export function getKindApiVersion(kind: SupportedKind): string {
  return MODELS[kind].apiVersion;
}

/** The OpenAPI validator of a kind. */
export function getKindValidator(kind: SupportedKind): KindValidator {
  return VALIDATORS.get(kind)!;
}
