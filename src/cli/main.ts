import { Command, CommanderError, Option } from 'commander';
import { newLogger } from './logger.js';
import { runServe, type ServeFlags } from './serve-command.js';
import { runValidate, type ValidateFlags } from './validate-command.js';
import { runShell, type ShellFlags } from './shell-command.js';
import { runExplain, type ExplainFlags } from './explain-command.js';
import { runRecords, type RecordsFlags } from './records-command.js';
import { ExitCode, UsageError } from './usage-error.js';
import { addKubectlCommands, RuntimeError } from './kubectl-commands.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Adds the DNS flags shared by serve and the offline verbs (names after CoreDNS's `kubernetes` options). */
export function addDnsFlags(cmd: Command, zoneHelp = 'zone to serve (repeatable); the first forward zone is the cluster domain (default: cluster.local in-addr.arpa ip6.arpa)'): Command {
  return cmd
    .option('--zone <zone>', zoneHelp, collect)
    .option('--namespace <ns>', 'namespace of objects without one, and of short names asked from outside', 'default')
    .option('--ttl <seconds>', 'TTL of answers, 0..3600', '5')
    .option('--pods <mode>', 'pod records: insecure | verified | disabled', 'insecure')
    .option('--namespaces <list>', 'expose only these namespaces (comma-separated)')
    .option('--ignore-empty-service', 'return NXDOMAIN for services without ready endpoints')
    .option('--endpoint-pod-names', 'name endpoints after their pods instead of their IPs')
    .option('--service-cidr <cidr>', 'cluster IP range', '10.96.0.0/12')
    .option('--pod-cidr <cidr>', 'pod IP range', '10.244.0.0/16');
}

/** Builds the command-line program; `run` resolves with the exit code. */
export function buildProgram(setExitCode: (code: number) => void, argv: readonly string[] = process.argv): Command {
  const program = new Command('kube-dns-sim')
    .description('A simulated Kubernetes cluster DNS service: manifests in, CoreDNS-style answers out')
    .exitOverride()
    // Options before the verb are the program's (kubectl's global --server, --token, -n); after it, the verb's.
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)');

  addDnsFlags(
    program
      .command('serve')
      .description('simulate the cluster the manifests describe (or follow a Kubernetes API server) and answer DNS for it over UDP and TCP')
      .option('-f, --file <path>', 'manifest file or directory (repeatable; - for stdin)', collect)
      .option('--kubeconfig <path>', 'instead of -f: list and watch the cluster of this kubeconfig (CoreDNS kubeconfig)')
      .option('--context <name>', "the kubeconfig context to use (default: the file's current-context)")
      .option('--endpoint <url>', 'instead of -f: list and watch the Kubernetes API server at this http(s) URL (CoreDNS endpoint)')
      .option('--token <token>', 'bearer token for --endpoint (env KUBE_DNS_SIM_KUBE_TOKEN)')
      .option('--startup-timeout <duration>', 'with --kubeconfig/--endpoint: how long to wait for the first complete list before serving (CoreDNS startup_timeout)', '5s')
      .option('--address <ip>', 'address to listen on (default: 127.0.0.1, and ::1 when it can be bound)')
      .option('--port <n>', 'port to listen on (UDP and TCP)', '53')
      .option('--strict', 'refuse to start when any manifest has an error')
      .option('--admin <host:port>', 'admin HTTP API address, or "off"', '127.0.0.1:8080')
      .option('--admin-token <token>', 'bearer token required for changes through the admin API (env KUBE_DNS_SIM_ADMIN_TOKEN); required off loopback')
      .option('--admin-tls-cert <pem>', 'serve the admin API over HTTPS with this certificate (kubectl sends --token only over https)')
      .option('--admin-tls-key <pem>', 'the private key of --admin-tls-cert')
      .option('--pod-ready-delay <duration>', 'simulated start-up time of each pod (e.g. 2s, 500ms)', '0s')
      .option('--state <path>', 'state file keeping addresses and overlays across restarts, or "none"', '.kube-dns-sim/state.json')
      .option('--upstream <ip[:port]>', 'resolver for names outside the cluster (repeatable; "none": REFUSED; default: nameservers of /etc/resolv.conf)', collect)
      .option('--upstream-timeout <ms>', 'time for one upstream to answer before the next is tried', '2000')
      .option('--allow-recursion <cidrs>', 'clients whose names outside the cluster are forwarded, comma-separated CIDRs (default: loopback and private ranges); others get REFUSED')
      .option('--log-queries', 'log one line per query (name, type, rcode, duration, client)'),
  ).action(async (flags: ServeFlags) => {
    setExitCode(await runServe(flags, newLogger()));
  });

  addDnsFlags(
    program
      .command('validate')
      .description('check manifests like kubectl apply and the API server would, and say how to fix each problem')
      .requiredOption('-f, --file <path>', 'manifest file or directory (repeatable; - for stdin)', collect)
      .option('-o, --output <format>', 'text | json', 'text'),
  ).action(async (flags: ValidateFlags) => {
    setExitCode(await runValidate(flags));
  });

  addKubectlCommands(program, setExitCode);

  addDnsFlags(
    program
      .command('shell')
      .description("a pod's shell without a cluster: the server and COMMAND (default: $SHELL) in their own network and mount namespaces, /etc/resolv.conf as a pod's")
      .requiredOption('-f, --file <path>', 'manifest file or directory (repeatable)', collect)
      .option('-n, --pod-namespace <ns>', 'namespace of the pod the shell stands in (its search path)', 'default')
      .option('--upstream <ip[:port]>', 'resolver for names outside the cluster (repeatable; default: none, the namespace has only loopback)', collect)
      .option('--userns', 'use a user namespace even as root (the rootless path)')
      .addOption(new Option('--inside <dir>').hideHelp())
      .argument('[command...]', 'command to run instead of a shell (after --)'),
  ).action(async (command: string[], flags: ShellFlags) => {
    setExitCode(await runShell(flags, command, argv, newLogger('warn', process.stderr)));
  });

  addDnsFlags(
    program
      .command('explain')
      .description('how a pod would resolve NAME: each search-path candidate, its rcode, the objects behind each record; for a miss, close names and likely causes')
      .argument('<name>', 'the name as a pod would ask it (e.g. myweb-sts-0.myweb-svc-headless)')
      .argument('[type]', 'record type', 'A')
      .option('-f, --file <path>', 'manifest file or directory (repeatable)', collect)
      .option('--server <url>', "a running server's admin API instead of files (e.g. http://127.0.0.1:8080)")
      .option('-n, --pod-namespace <ns>', 'namespace of the asking pod', 'default')
      .option('-o, --output <format>', 'text or json', 'text'),
  ).action(async (name: string, type: string, flags: ExplainFlags) => {
    setExitCode(await runExplain(name, type, flags));
  });

  addDnsFlags(
    program
      .command('records')
      .description('print every record the cluster serves: RFC 1035 zone files (load unchanged into Knot, NSD, BIND) or JSON')
      .requiredOption('-o, --output <format>', 'zone | json')
      .option('-f, --file <path>', 'manifest file or directory (repeatable; - for stdin)', collect)
      .option('--server <url>', 'a running server\'s admin API instead of files, e.g. http://127.0.0.1:8080'),
    'print only this zone (repeatable); a forward zone also becomes the cluster domain',
  ).action(async (flags: RecordsFlags) => {
    setExitCode(await runRecords(flags));
  });

  program.addOption(new Option('--no-color', 'plain output').hideHelp());
  return program;
}

/** Entry point: parses argv, runs the verb, maps errors to exit codes (0 ok, 1 findings, 2 usage, 3 runtime). */
export async function main(argv: string[]): Promise<number> {
  let code: number = ExitCode.OK;
  const program = buildProgram((c) => {
    code = c;
  }, argv);
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    if (err instanceof RuntimeError) {
      process.stderr.write(`kube-dns-sim: ${err.message}${err.hint ? `\n  hint: ${err.hint}` : ''}\n`);
      return ExitCode.RUNTIME;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`kube-dns-sim: ${err.message}${err.hint ? `\n  hint: ${err.hint}` : ''}\n`);
      return ExitCode.USAGE;
    }
    process.stderr.write(`kube-dns-sim: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return ExitCode.RUNTIME;
  }
}
