// Column definitions per kind, as pkg/printers/internalversion/printers.go AddHandlers declares them.
// Descriptions are the SwaggerDoc() texts of the types printers.go names (k8s.io/api ~v1.33; enum lists are
// OpenAPI-only and not part of SwaggerDoc).
import type { TableColumnDefinition } from './table-types.js';

const D = {
  name: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  creationTimestamp:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  podIP: 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
  nodeName:
    'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename',
  nominatedNodeName:
    'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.',
  readinessGates:
    'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
  serviceType:
    'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. "ClusterIP" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is "None", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. "NodePort" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. "LoadBalancer" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. "ExternalName" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types',
  clusterIP:
    'clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are "None", empty string (""), or a valid IP address. Setting this to "None" makes a "headless service" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies',
  externalIPs:
    'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system.',
  servicePorts: 'The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies',
  serviceSelector:
    'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/',
  subsets:
    'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.',
  addressType:
    'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name.',
  slicePorts:
    'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates "all ports". Each slice may include a maximum of 100 ports.',
  sliceEndpoints: 'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.',
  containers: 'Names of each container in the template.',
  images: 'Images referenced by each container in the template.',
  readyPods: 'Number of the pod with ready state',
  rsReplicas:
    'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
  rsStatusReplicas: 'Replicas is the most recently oberved number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
  rsReadyReplicas: 'The number of ready replicas for this replica set.',
  rsSelector:
    'Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
  deployUpdated: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
  deployAvailable: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
  deploySelector: 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
  pvcPhase: 'phase represents the current phase of PersistentVolumeClaim.',
  volumeName: 'volumeName is the binding reference to the PersistentVolume backing this claim.',
  pvcCapacity: 'capacity represents the actual resources of the underlying volume.',
  pvcAccessModes: 'accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1',
  volumeMode: 'volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.',
};

type Col = [name: string, type: TableColumnDefinition['type'], description: string, priority?: number, format?: string];
const toColumns = (cols: Col[]): TableColumnDefinition[] => cols.map(([name, type, description, priority = 0, format = '']) => ({ name, type, format, description, priority }));

const NAME: Col = ['Name', 'string', D.name, 0, 'name'];
const AGE: Col = ['Age', 'string', D.creationTimestamp];

/** The kinds printers.go covers here. */
export type PrintedKind = 'Pod' | 'Service' | 'Endpoints' | 'EndpointSlice' | 'StatefulSet' | 'ReplicaSet' | 'Deployment' | 'PersistentVolumeClaim' | 'Namespace';

/** Column definitions per kind, wide (priority 1) columns included: the apiserver always generates wide tables. */
export const COLUMN_DEFINITIONS: Readonly<Record<PrintedKind, readonly TableColumnDefinition[]>> = {
  Pod: toColumns([
    NAME,
    ['Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'],
    ['Status', 'string', 'The aggregate status of the containers in this pod.'],
    ['Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'],
    AGE,
    ['IP', 'string', D.podIP, 1],
    ['Node', 'string', D.nodeName, 1],
    ['Nominated Node', 'string', D.nominatedNodeName, 1],
    ['Readiness Gates', 'string', D.readinessGates, 1],
  ]),
  Service: toColumns([NAME, ['Type', 'string', D.serviceType], ['Cluster-IP', 'string', D.clusterIP], ['External-IP', 'string', D.externalIPs], ['Port(s)', 'string', D.servicePorts], AGE, ['Selector', 'string', D.serviceSelector, 1]]),
  Endpoints: toColumns([NAME, ['Endpoints', 'string', D.subsets], AGE]),
  EndpointSlice: toColumns([NAME, ['AddressType', 'string', D.addressType], ['Ports', 'string', D.slicePorts], ['Endpoints', 'string', D.sliceEndpoints], AGE]),
  StatefulSet: toColumns([NAME, ['Ready', 'string', D.readyPods], AGE, ['Containers', 'string', D.containers, 1], ['Images', 'string', D.images, 1]]),
  ReplicaSet: toColumns([
    NAME,
    ['Desired', 'integer', D.rsReplicas],
    ['Current', 'integer', D.rsStatusReplicas],
    ['Ready', 'integer', D.rsReadyReplicas],
    AGE,
    ['Containers', 'string', D.containers, 1],
    ['Images', 'string', D.images, 1],
    ['Selector', 'string', D.rsSelector, 1],
  ]),
  Deployment: toColumns([
    NAME,
    ['Ready', 'string', D.readyPods],
    ['Up-to-date', 'string', D.deployUpdated],
    ['Available', 'string', D.deployAvailable],
    AGE,
    ['Containers', 'string', D.containers, 1],
    ['Images', 'string', D.images, 1],
    ['Selector', 'string', D.deploySelector, 1],
  ]),
  PersistentVolumeClaim: toColumns([
    NAME,
    ['Status', 'string', D.pvcPhase],
    ['Volume', 'string', D.volumeName],
    ['Capacity', 'string', D.pvcCapacity],
    ['Access Modes', 'string', D.pvcAccessModes],
    ['StorageClass', 'string', 'StorageClass of the pvc'],
    ['VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'],
    AGE,
    ['VolumeMode', 'string', D.volumeMode, 1],
  ]),
  Namespace: toColumns([NAME, ['Status', 'string', 'The status of the namespace'], AGE]),
};

/** The apiserver's default table (rest.DefaultTableConvertor) for kinds without printers: Name and Created At. */
export const DEFAULT_COLUMN_DEFINITIONS: readonly TableColumnDefinition[] = toColumns([NAME, ['Created At', 'date', D.creationTimestamp]]);
