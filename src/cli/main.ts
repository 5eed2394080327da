// Command-line wiring. The only place that calls process.exit: typed errors map to exit codes here.
import { Command, CommanderError, Option } from 'commander';
import { EXIT, RunError, ScenarioError, UsageError, formatProblem } from '../errors.js';
import { DEFAULT_IMAGE, VERSION } from '../version.js';
import { processConsole, useColor, type Console } from './console.js';
// Each command's module (and what it pulls in: engine, reports, compare, demo…) is imported only when
// that command runs: memory and start-up before the first request are mostly loaded code (issue 18).

const EXAMPLES = `
Examples:
  $ bench demo                                   built-in backend, both topologies, compared
  $ bench run scenarios/quickstart.yml --target http://127.0.0.1:3000
  $ bench run api.yml --rate 500 --duration 30s  open model: 500 arrivals/s for 30 s
  $ bench run api.yml --vus 20 --duration 1m     closed model: 20 users
  $ bench run api.yml --target mono=http://a:3000 --target micro=http://b:3000 --rounds 4
  $ bench capacity api.yml --target http://127.0.0.1:3000 --min-capacity 500/s
  $ bench compare base/result.json head/result.json --max-regression 10%
  $ bench validate api.yml

Exit codes: 0 all SLOs passed (capacity: at least --min-capacity) · 1 an SLO failed, or a regression in compare / an A/B run (capacity: below --min-capacity) · 2 invalid scenario or usage · 3 run could not be carried out · 130 interrupted`;

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function buildProgram(io: Console, setExit: (code: number) => void): Command {
  const program = new Command('bench')
    .description('HTTP load testing with true latency (no coordinated omission), HDR histograms and SLO gates')
    .version(VERSION, '-V, --version')
    .option('--no-color', 'no colours (also NO_COLOR)')
    .option('--debug', 'show stack traces for internal errors')
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError('(bench --help for usage)')
    .exitOverride();
  const color = (): boolean => useColor(program.opts().color !== false, io.env, io.stderrIsTTY);

  program
    .command('run')
    .description('run a scenario and check its SLOs')
    .argument('<scenario>', 'scenario YAML file')
    .option('-t, --target <url>', 'target base URL; repeat NAME=URL for an A/B comparison', collect, [])
    .option('--rate <n>', 'replace the load with one open phase of N arrivals/s (each starts one iteration of a flow)')
    .option('--vus <n>', 'replace the load with one closed phase of N users')
    .option('-d, --duration <d>', 'length of the --rate/--vus phase (e.g. 30s)')
    .option('-o, --out <dir>', 'where reports go (default reports/<scenario>-<timestamp>)')
    .option('--json', 'print result.json to stdout; everything human goes to stderr')
    .option('-q, --quiet', 'no progress line, no summary')
    .option('--workers <n>', 'worker threads, each running an exact segment of the load')
    .option('--segment <i/N>', 'run segment i of N of the load (or env BENCH_SEGMENT)')
    .option('--start-at <iso>', 'wait until this time to start (segments start together)')
    .option('--coordinator <host:port>', 'with --segment i/N: meet the other segments before any load (segment 0 listens, the others connect)')
    .option('--barrier-timeout <duration>', 'with --coordinator: how long to wait for every segment', '5m')
    .option('--run-id <id>', "this split run's identity, in every segment's result (or env BENCH_RUN_ID)")
    .option('--log-result', 'write the result to stdout in framed blocks, flushed once a second (for pod logs; bench collect/merge read them)')
    .option('--rounds <n>', 'A/B: alternating rounds per target (3 or more give the t-test some power)', '3')
    .option('--max-regression <bounds>', 'A/B: exit 1 on a regression past these bounds (as for compare; e.g. 10% or p95=10%+2ms)')
    .option('--max-rate <n>', 'refuse any phase above N arrivals/s')
    .option('--tag <key=value>', 'a tag on every step, as in the scenario\'s tags: (over a scenario tag of the same key); repeatable', collect, [])
    .option('--preflight', 'check the target answers before the run; exit 3 fast if not')
    .option('--stream <kind=url>', 'live metrics while running: prometheus=URL (remote write) or otlp=URL; repeatable', collect, [])
    .option('--summary-export <file>', "write a k6-compatible summary (GitLab's Load Performance widget reads it)")
    .option('--http-debug [full]', 'no load: run the setup and one iteration of each flow, printing every request and response (redacted); =full adds bodies')
    .action(async (file: string, opts) => {
      const values = opts.target as string[];
      const ab = values.some((v) => v.includes('='));
      if (!ab && opts.maxRegression !== undefined) {
        throw new UsageError('--max-regression gates an A/B run (two --target NAME=URL); to gate one run against a saved one, use bench compare');
      }
      // Without a NAME=URL there is no A/B run: its module (compare, merge) is not loaded.
      if (!ab && values.length <= 1) {
        setExit(await (await import('./run-command.js')).runCommand(file, { ...opts, color: color(), target: values[0] }, io));
        return;
      }
      const { abCommand, parseTargets } = await import('./ab-command.js');
      const targets = parseTargets(values);
      // One k6 summary per run: the rounds of an A/B run would overwrite each other's.
      if (targets.named.length > 0 && opts.summaryExport) throw new UsageError('--summary-export: one target only (an A/B run writes one result per target; run each target with --summary-export)');
      const flags = { ...opts, color: color(), target: targets.single };
      setExit(targets.named.length > 0 ? await abCommand(file, targets.named, flags, io) : await (await import('./run-command.js')).runCommand(file, flags, io));
    });

  program
    .command('validate')
    .description('check a scenario file; exit 0 when valid, 2 with every problem listed')
    .argument('<scenario>')
    .option('--dry-run', "print the first iteration's requests of each flow, rendered, without sending them")
    .action(async (file: string, opts) => setExit(await (await import('./validate-command.js')).validateCommand(file, io, opts)));

  program
    .command('capacity')
    .description('find the highest load the target sustains within its SLOs (rise, bisect, confirm)')
    .argument('<scenario>', 'scenario YAML file (its flows, data and SLOs; its load is replaced by the search)')
    .option('-t, --target <url>', 'target base URL; repeat NAME=URL to search two deployments, interleaved', collect, [])
    .option('--from <rate>', 'first probe rate', '10/s')
    .option('--max <rate>', 'never probe above this rate', '50000/s')
    .option('--step <d>', 'measured length of each probe, whole seconds (confirmations run twice as long)', '10s')
    .option('--warm-up <d>', 'unmeasured run at the same rate before each probe (default step/5, 1–5 s)')
    .option('--cool-down <d>', 'pause between probes, after the last response', '1s')
    .option('--precision <pct>', 'stop bisecting when the bracket is this narrow', '5%')
    .option('--max-time <d>', 'stop the whole search by then, with the best bracket so far', '10m')
    .option('--min-capacity <rate>', 'exit 1 when the capacity is below this rate')
    .option('--workers <n>', 'worker threads per probe, each running an exact segment of its load')
    .option('-o, --out <dir>', 'where reports go (default reports/capacity-<scenario>-<timestamp>)')
    .option('--json', 'print capacity.json to stdout')
    .action(async (file: string, opts) => setExit(await (await import('./capacity-command.js')).capacityCommand(file, opts, io)));

  program
    .command('compare')
    .description('compare two result.json files from their histograms; exit 1 on a regression')
    .argument('<base>')
    .argument('<head>')
    .option('--max-regression <bounds>', 'e.g. 10% or p99=15%,error_rate=0.5pp,rps=5%')
    .option('--json', 'print comparison.json to stdout')
    .option('-o, --out <dir>', 'write comparison.json, comparison.md, comparison.html')
    .action(async (base: string, head: string, opts) => setExit(await (await import('./compare-command.js')).compareCommand(base, head, { ...opts, color: color() }, io)));

  program
    .command('merge')
    .description('add segment results into one and judge the SLOs once')
    .argument('<results...>')
    .requiredOption('-o, --out <dir>', 'where the merged reports go')
    .option('--json', 'print the merged result.json to stdout')
    .option('-q, --quiet', 'no summary')
    .option('--allow-partial', 'merge even with missing or incomplete segments; the result says "partial" and absolute SLOs are not judged')
    .action(async (files: string[], opts) => setExit(await (await import('./merge-command.js')).mergeCommand(files, { ...opts, color: color() }, io)));

  program
    .command('collect')
    .description("gather every segment's result from an Indexed Job's pod logs (kubectl logs) and merge them")
    .argument('<job>', 'job/NAME (or NAME)')
    .requiredOption('-o, --out <dir>', 'where the merged reports go (and each segment-<i>.log)')
    .option('-n, --namespace <ns>', 'namespace')
    .option('--kubectl <path>', 'the kubectl to call', 'kubectl')
    .option('--segments <n>', "the Job's completions (default: asked of kubectl)")
    .option('--allow-partial', 'merge even with missing or incomplete segments')
    .option('--json', 'print the merged result.json to stdout')
    .option('-q, --quiet', 'no summary')
    .action(async (job: string, opts) => setExit(await (await import('./collect-command.js')).collectCommand(job, { ...opts, color: color() }, io)));

  program
    .command('report')
    .description('re-render a saved result.json')
    .argument('<result>')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['terminal', 'md', 'junit', 'html', 'hlog', 'json']).default('terminal'))
    .action(async (file: string, opts) => setExit(await (await import('./report-command.js')).reportCommand(file, opts.format as string, color(), io)));

  program
    .command('k8s')
    .description('print a ConfigMap, a headless Service and an Indexed Job that run the scenario in N segments')
    .argument('<scenario>')
    .requiredOption('-p, --parallelism <n>', 'number of pods (segments)')
    .option('--image <image>', 'container image with bench', DEFAULT_IMAGE)
    .option('-n, --namespace <ns>', 'namespace')
    .option('--cpu <quantity>', 'CPU per pod, requests = limits (whole cores keep generators apart)', '1')
    .option('--memory <quantity>', 'memory per pod, requests = limits', '1Gi')
    .option('--coordinator-port <port>', "the start barrier's port on pod 0", '7070')
    .option('--barrier-timeout <duration>', 'how long pod 0 waits for every pod before failing the run', '5m')
    .option('--start-delay <seconds>', 'instead of the barrier: a fixed start this many seconds from now')
    .option('--secret <name>', "a Secret whose keys become the pods' environment (the scenario's ${VAR}s)")
    .action(async (file: string, opts) => setExit(await (await import('./k8s-command.js')).k8sCommand(file, opts, io)));

  program
    .command('demo')
    .description('start the built-in backend (monolith and microservices), load both, compare them')
    .addOption(new Option('--topology <kind>', 'which topology').choices(['monolith', 'microservices', 'both']).default('both'))
    .option('--serve', 'only start the topology and keep it up for your own scenarios')
    .option('--rounds <n>', 'alternating rounds per topology', '2')
    .option('-o, --out <dir>', 'where reports go (default reports/demo-<timestamp>)')
    .option('--port <n>', 'with --serve: port to listen on', '3000')
    .action(async (opts) => setExit(await (await import('./demo-command.js')).demoCommand({ ...opts, color: color() }, io)));

  program
    .command('convert')
    .description('an Artillery script as a bench scenario (the common subset; what is not converted is listed at the top)')
    .argument('<artillery>', 'Artillery YAML script')
    .option('-o, --out <file>', 'write the scenario here instead of stdout')
    .option('--force', 'overwrite an existing --out file')
    .action(async (file: string, opts) => setExit(await (await import('./convert-command.js')).convertCommand(file, opts, io)));

  program
    .command('init')
    .description('write a commented starter scenario')
    .argument('[file]', 'where to write it', 'scenario.yml')
    .option('--force', 'overwrite an existing file')
    .action(async (file: string, opts) => setExit(await (await import('./init-command.js')).initCommand(file, Boolean(opts.force), io)));

  return program;
}

export async function main(argv: string[]): Promise<void> {
  const io = processConsole();
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    exitCode = reportError(err, io, argv.includes('--debug'));
  }
  // Leave naturally so a piped --json result drains; a stray handle must not turn into a hang.
  process.exitCode = exitCode;
  setTimeout(() => process.exit(exitCode), 1500).unref();
}

/** Typed errors → one clear line and their exit code; anything else is a bug in bench. */
export function reportError(err: unknown, io: Console, debug: boolean): number {
  if (err instanceof CommanderError) {
    // commander already printed its message (or help/version, which exit 0)
    return err.exitCode === 0 ? EXIT.ok : EXIT.invalid;
  }
  if (err instanceof ScenarioError) {
    for (const p of err.problems) io.err(formatProblem(p));
    io.err(`bench: ${err.problems.length} problem${err.problems.length === 1 ? '' : 's'} in the scenario`);
    return EXIT.invalid;
  }
  if (err instanceof UsageError) {
    io.err(`bench: ${err.message}`);
    return EXIT.invalid;
  }
  if (err instanceof RunError) {
    io.err(`bench: ${err.message}`);
    return EXIT.runFailed;
  }
  const e = err as Error;
  io.err(`bench: internal error — please report: ${e?.message ?? String(err)}`);
  if (debug && e?.stack) io.err(e.stack);
  else io.err('bench: run again with --debug for the stack trace');
  return EXIT.runFailed;
}
