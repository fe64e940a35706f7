/**
 * The objects a fresh kubeadm cluster has before the user applies anything: the API server's
 * `kubernetes` Service and CoreDNS (`kube-dns` Service at 10.96.0.10, `coredns` Deployment).
 */
export const BUILTIN_FILE = '<built-in>';

export const BUILTIN_MANIFESTS = `
apiVersion: v1
kind: Service
metadata:
  name: kubernetes
  namespace: default
  labels: {component: apiserver, provider: kubernetes}
spec:
  clusterIP: 10.96.0.1
  ports:
    - {name: https, port: 443, protocol: TCP, targetPort: 6443}
---
apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  labels: {k8s-app: kube-dns, kubernetes.io/name: CoreDNS}
spec:
  clusterIP: 10.96.0.10
  selector: {k8s-app: kube-dns}
  ports:
    - {name: dns, port: 53, protocol: UDP, targetPort: 53}
    - {name: dns-tcp, port: 53, protocol: TCP, targetPort: 53}
    - {name: metrics, port: 9153, protocol: TCP, targetPort: 9153}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
  labels: {k8s-app: kube-dns}
spec:
  replicas: 2
  selector:
    matchLabels: {k8s-app: kube-dns}
  template:
    metadata:
      labels: {k8s-app: kube-dns}
    spec:
      containers:
        - name: coredns
          image: registry.k8s.io/coredns/coredns:v1.11.3
          ports:
            - {name: dns, containerPort: 53, protocol: UDP}
            - {name: dns-tcp, containerPort: 53, protocol: TCP}
            - {name: metrics, containerPort: 9153, protocol: TCP}
`;

/** Cluster IPs the built-in Services hold; never handed to user Services. */
export const BUILTIN_CLUSTER_IPS: ReadonlySet<string> = new Set(['10.96.0.1', '10.96.0.10']);
