#!/usr/bin/env node
// Cross-checks the container files against each other where no linter can: the Dockerfile
// against docker/entrypoint-command.txt, the Compose file against the files it mounts and the
// ports the image exposes, Prometheus against the admin port, Grafana's dashboard against its
// provisioned data source. Usage: node check-consistency.mjs REPO_ROOT. Exit 1 listing every
// problem found.
import { readFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, posix } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import YAML from 'yaml';
import { parseEntrypointCommand, refersTo } from './entrypoint-command.mjs';

const root = process.argv[2] ?? process.cwd();
const problems = [];
const passed = [];
const fail = (where, msg) => problems.push(`${where}: ${msg}`);
const ok = (msg) => passed.push(msg);
const read = (p) => readFileSync(join(root, p), 'utf8');

function yamlFile(p) {
  const doc = YAML.parseDocument(read(p), { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length) {
    doc.errors.forEach((e) => fail(p, `YAML: ${e.message}`));
    return null;
  }
  return doc.toJS();
}

function walkFiles(dir, pred) {
  const out = [];
  for (const e of readdirSync(join(root, dir))) {
    const p = posix.join(dir, e);
    if (e === 'node_modules') continue;
    if (statSync(join(root, p)).isDirectory()) out.push(...walkFiles(p, pred));
    else if (pred(p)) out.push(p);
  }
  return out;
}

// ------------------------------------------------------------------ Dockerfile vs entrypoint file
const DF = 'docker/Dockerfile';
const EC = 'docker/entrypoint-command.txt';
let contract = null;
try {
  contract = parseEntrypointCommand(read(EC));
} catch (e) {
  fail(EC, e.message);
}
const dockerfile = DockerfileParser.parse(read(DF));
const instructions = dockerfile.getInstructions();
const fromIdx = instructions.map((ins, i) => (ins.getKeyword() === 'FROM' ? i : -1)).filter((i) => i >= 0);
const runtime = instructions.slice(fromIdx.at(-1));
const of = (kw) => runtime.filter((ins) => ins.getKeyword() === kw);
const lastArgs = (kw) => { const l = of(kw).at(-1); return l ? l.getArgumentsContent() : null; };

// Base images are build arguments (ARG before the first FROM): their defaults must be pinned. A
// FROM may also name `scratch` or an earlier stage (the jar stage picks one by JAR_FROM).
const globalArgs = new Map();
for (const ins of instructions.slice(0, fromIdx[0])) {
  if (ins.getKeyword() !== 'ARG') continue;
  const [name, ...value] = (ins.getArgumentsContent() ?? '').split('=');
  globalArgs.set(name.trim(), value.length ? value.join('=').trim() : null);
}
const stages = [];
for (const ins of instructions.filter((x) => x.getKeyword() === 'FROM')) {
  const where = `line ${ins.getRange().start.line + 1}: FROM ${ins.getImage()}`;
  const unknown = [];
  const image = (ins.getImage() ?? '').replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, a, b) => {
    const v = globalArgs.get(a ?? b);
    if (v == null) unknown.push(a ?? b);
    return v ?? '';
  });
  if (unknown.length) fail(DF, `${where} uses ${unknown.join(', ')}, which no ARG before the first FROM gives a default`);
  else if (image === 'scratch' || stages.includes(image)) { /* no registry image */ }
  else {
    const tag = image.includes('@') ? image.split('@').at(-1) : /:([^/:]+)$/.exec(image)?.[1];
    if (!tag || tag === 'latest') fail(DF, `${where} (${image}) has no pinned tag`);
  }
  if (ins.getBuildStage?.()) stages.push(ins.getBuildStage());
}

if (contract) {
  const ep = of('ENTRYPOINT').at(-1);
  const epArgs = ep?.getJSONStrings?.().map((j) => j.getJSONValue());
  if (!ep || !epArgs || epArgs.length === 0) fail(DF, 'runtime stage needs an exec-form (JSON) ENTRYPOINT');
  else if (JSON.stringify(epArgs) !== JSON.stringify(contract.args)) {
    fail(DF, `ENTRYPOINT ${JSON.stringify(epArgs)} differs from ${EC} args ${JSON.stringify(contract.args)}`);
  } else ok(`ENTRYPOINT matches ${EC}: ${epArgs.join(' ')}`);

  const cmd = of('CMD').at(-1);
  const cmdArgs = cmd?.getJSONStrings?.().map((j) => j.getJSONValue());
  if (cmd && !(cmdArgs && cmdArgs.length === 0 && /^\[\s*\]$/.test(cmd.getArgumentsContent() ?? ''))) {
    fail(DF, `CMD must be empty ([]) so ${EC} holds the whole command, got ${cmd.getArgumentsContent()}`);
  }

  const env = new Map();
  for (const e of of('ENV')) for (const p of e.getProperties()) env.set(p.getName(), p.getValue() ?? '');
  const envDiff = [];
  for (const [k, v] of env) if (contract.env.get(k) !== v) envDiff.push(`${k}=${JSON.stringify(v)} in the Dockerfile, ${contract.env.has(k) ? JSON.stringify(contract.env.get(k)) : 'missing'} in ${EC}`);
  for (const k of contract.env.keys()) if (!env.has(k)) envDiff.push(`${k} in ${EC} but not set by the Dockerfile's runtime stage`);
  envDiff.forEach((d) => fail(DF, `ENV: ${d}`));
  if (!envDiff.length) ok(`ENV matches ${EC}: ${[...env.keys()].join(', ')}`);

  const single = { USER: 'user', WORKDIR: 'workdir', STOPSIGNAL: 'stopsignal' };
  for (const [kw, key] of Object.entries(single)) {
    const v = lastArgs(kw);
    if (v !== contract[key]) fail(DF, `${kw} ${v ?? '(none)'} differs from ${EC} "${key} ${contract[key] ?? '(none)'}"`);
  }
  if (!/^[0-9]+:[0-9]+$/.test(lastArgs('USER') ?? '') || /^0:|:0$/.test(lastArgs('USER') ?? '')) {
    fail(DF, `USER must be a numeric non-root UID:GID, got ${lastArgs('USER')}`);
  }
  const exposed = of('EXPOSE').flatMap((e) => e.getArguments().map((a) => a.getValue().replace(/\/tcp$/, '')));
  if (JSON.stringify([...exposed].sort()) !== JSON.stringify([...contract.expose].sort())) {
    fail(DF, `EXPOSE ${exposed.join(' ')} differs from ${EC} expose ${contract.expose.join(' ')}`);
  }

  const hc = lastArgs('HEALTHCHECK') ?? '';
  const hcNormal = hc.replace(/\$\{SIGNALING_SERVER_PORT:-([0-9]+)\}/g, '$1');
  if (!contract.healthcheck || !hcNormal.includes(contract.healthcheck)) {
    fail(DF, `HEALTHCHECK does not probe ${contract.healthcheck}: ${hc}`);
  } else if (!contract.healthcheck.endsWith('/health/live')) {
    fail(EC, `healthcheck must probe /health/live (liveness), got ${contract.healthcheck}`);
  } else ok(`HEALTHCHECK probes ${contract.healthcheck}`);

  for (const [imagePath, repoGlob] of contract.files) {
    const copy = of('COPY').find((c) => c.getArguments().at(-1)?.getValue() === imagePath);
    if (!copy) { fail(DF, `no COPY in the runtime stage puts a file at ${imagePath} (${EC})`); continue; }
    const from = copy.getFlags().find((f) => f.getName() === 'from');
    if (from) {
      // Built in another stage: that stage must pick the artifact the contract names.
      const pattern = posix.basename(repoGlob);
      if (!read(DF).includes(pattern)) fail(DF, `${imagePath} comes from stage ${from.getValue()}, which never mentions ${pattern}`);
    } else {
      const src = copy.getArguments().at(0)?.getValue();
      if (src !== repoGlob) fail(DF, `${imagePath} is copied from ${src}, ${EC} says ${repoGlob}`);
      if (!existsSync(join(root, repoGlob))) fail(EC, `${repoGlob} does not exist`);
    }
  }
  // Generated files (the AppCDS archive): the contract's command must be what a RUN of the
  // runtime stage runs, with the whole environment the entrypoint gets (after every ENV), as
  // root (before USER), ending read-only; and something must read the file.
  const line = (ins) => ins.getRange().start.line + 1;
  const commandsOf = (ins) => (ins.getArgumentsContent() ?? '')
    .replace(/\\\r?\n/g, ' ').split(/&&|\|\||;/).map((c) => c.trim().replace(/\s+/g, ' '));
  for (const [imagePath, command] of contract.generated) {
    const wanted = command.join(' ');
    const runIdx = runtime.findIndex((ins) => ins.getKeyword() === 'RUN' && commandsOf(ins).includes(wanted));
    if (runIdx < 0) {
      fail(DF, `no RUN in the runtime stage runs \`${wanted}\`, which ${EC} says generates ${imagePath}`);
    } else {
      const run = runtime[runIdx];
      const lateEnv = runtime.slice(runIdx + 1).find((ins) => ins.getKeyword() === 'ENV');
      if (lateEnv) fail(DF, `the RUN generating ${imagePath} (line ${line(run)}) comes before ENV (line ${line(lateEnv)}): it must run with the image's whole environment`);
      const user = runtime.slice(0, runIdx).find((ins) => ins.getKeyword() === 'USER');
      if (user) fail(DF, `the RUN generating ${imagePath} (line ${line(run)}) comes after USER (line ${line(user)}): it must run as root so the app cannot rewrite the file`);
      for (const [filePath] of contract.files) {
        if (!command.some((v) => refersTo(v, filePath))) continue;
        const copyIdx = runtime.findIndex((c) => c.getKeyword() === 'COPY' && c.getArguments().at(-1)?.getValue() === filePath);
        if (copyIdx > runIdx) fail(DF, `the RUN generating ${imagePath} (line ${line(run)}) reads ${filePath}, which is copied later (line ${line(runtime[copyIdx])})`);
      }
      if (!commandsOf(run).some((c) => c === `chmod 0444 ${imagePath}` || c === `chmod 444 ${imagePath}`)) {
        fail(DF, `the RUN generating ${imagePath} (line ${line(run)}) must end it read-only: chmod 0444 ${imagePath}`);
      }
    }
    if (!contract.args.some((a) => refersTo(a, imagePath))) fail(EC, `generated ${imagePath} is read by no arg of the entrypoint`);
  }
  if (contract.generated.size && !problems.length) ok(`generated ${[...contract.generated.keys()].join(', ')}: RUN after ENV, before USER, read-only`);

  const configPath = contract.env.get('SIGNALING_CONFIG');
  if (!configPath || !contract.files.has(configPath)) fail(EC, `SIGNALING_CONFIG (${configPath}) must name a file the image holds`);
  if (contract.env.get('SIGNALING_ADMIN_HOST') !== '0.0.0.0') fail(EC, 'SIGNALING_ADMIN_HOST must be 0.0.0.0 so Prometheus can scrape the admin port');
  if (!problems.length) ok(`USER, WORKDIR, EXPOSE, STOPSIGNAL and files match ${EC}`);
}

const labels = new Set(of('LABEL').flatMap((l) => l.getProperties().map((p) => p.getName())));
const wantLabels = ['title', 'version', 'revision', 'source', 'licenses'].map((k) => `org.opencontainers.image.${k}`);
const missingLabels = wantLabels.filter((l) => !labels.has(l));
if (missingLabels.length) fail(DF, `runtime stage lacks OCI labels ${missingLabels.join(', ')}`);
else ok('OCI labels present');

// ------------------------------------------------------------------ .dockerignore vs COPY sources
// A build-context file the Dockerfile copies must not be excluded by .dockerignore, or the image
// build fails (or, with a glob, silently copies less). Docker's rules: patterns are relative to the
// context root, '*' stays within a path segment, '**' spans segments, a match on a directory
// excludes everything below it, and a later '!' pattern re-includes.
function ignoreRules(text) {
  return text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => {
    const negate = l.startsWith('!');
    const pat = posix.normalize((negate ? l.slice(1) : l).replace(/^\/+/, '')).replace(/\/+$/, '');
    const re = pat.split('/').map((seg) => (seg === '**' ? '(?:.*)' : seg
      .replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))).join('/')
      .replace(/\(\?:\.\*\)\//g, '(?:.*/)?');
    return { negate, re: new RegExp(`^${re}(?:/.*)?$`), pat: l };
  });
}
function ignored(rules, path) {
  let hit = null;
  for (const r of rules) if (r.re.test(path)) hit = r.negate ? null : r.pat;
  return hit;
}
if (existsSync(join(root, '.dockerignore'))) {
  const rules = ignoreRules(read('.dockerignore'));
  let copied = 0;
  for (const ins of instructions.filter((x) => x.getKeyword() === 'COPY' || x.getKeyword() === 'ADD')) {
    if (ins.getFlags().some((f) => f.getName() === 'from')) continue;
    const args = ins.getArguments().map((a) => a.getValue());
    for (const src of args.slice(0, -1)) {
      const path = posix.normalize(src).replace(/\/+$/, '');
      const rule = ignored(rules, path);
      // A glob is a build artifact (the prebuilt jar): it must be one the contract names; it only
      // exists once Maven has run, so its existence is not checked here.
      const artifact = /[*?[]/.test(path);
      if (rule) fail('.dockerignore', `"${rule}" excludes ${src}, which docker/Dockerfile copies (line ${ins.getRange().start.line + 1})`);
      else if (artifact && !(contract && [...contract.files.values()].includes(path))) fail(DF, `COPY source ${src} is a glob but no file directive of ${EC} (line ${ins.getRange().start.line + 1})`);
      else if (!artifact && !existsSync(join(root, path))) fail(DF, `COPY source ${src} does not exist (line ${ins.getRange().start.line + 1})`);
      copied++;
    }
  }
  for (const [path, why] of [['.git', 'VCS history'], ['signaling-app/target', 'stale build output'], ['docker/lint/node_modules', 'lint tools']]) {
    if (!ignored(rules, path)) fail('.dockerignore', `does not exclude ${path} (${why})`);
  }
  if (!problems.length) ok(`.dockerignore keeps all ${copied} COPY sources and drops .git, target/, node_modules`);
} else {
  fail('.dockerignore', 'missing');
}

// ------------------------------------------------------------------ every YAML and JSON parses
const yamls = ['docker-compose.yml', ...walkFiles('docker', (p) => /\.ya?ml$/.test(p))];
const parsed = Object.fromEntries(yamls.map((p) => [p, yamlFile(p)]));
const jsons = walkFiles('docker', (p) => p.endsWith('.json') && !p.endsWith('package-lock.json'));
const parsedJson = {};
for (const p of jsons) {
  try { parsedJson[p] = JSON.parse(read(p)); } catch (e) { fail(p, `JSON: ${e.message}`); }
}
ok(`${yamls.length} YAML and ${jsons.length} JSON files parse`);

// ------------------------------------------------------------------ Compose
const compose = parsed['docker-compose.yml'];
const appConfig = parsed['docker/signaling.yaml'];
const adminPort = String(appConfig?.admin?.port ?? '');
const serverPort = String(appConfig?.server?.port ?? '');
if (compose) {
  const services = compose.services ?? {};
  for (const name of ['signaling', 'prometheus', 'grafana']) if (!services[name]) fail('docker-compose.yml', `no service "${name}"`);
  for (const [name, svc] of Object.entries(services)) {
    if (svc.image && !/:[^/]+$/.test(svc.image)) fail('docker-compose.yml', `${name}: image ${svc.image} has no pinned tag`);
    if (svc.image && /:latest$/.test(svc.image)) fail('docker-compose.yml', `${name}: image ${svc.image} uses latest`);
    for (const v of svc.volumes ?? []) {
      const src = typeof v === 'string' ? v.split(':')[0] : v.source;
      if (src?.startsWith('.') && !existsSync(join(root, src))) fail('docker-compose.yml', `${name}: mounts ${src}, which does not exist`);
    }
    for (const [dep, spec] of Object.entries(Array.isArray(svc.depends_on) ? {} : (svc.depends_on ?? {}))) {
      if (!services[dep]) fail('docker-compose.yml', `${name}: depends on unknown service ${dep}`);
      else if (spec.condition === 'service_healthy' && !services[dep].healthcheck && !services[dep].build) {
        fail('docker-compose.yml', `${name}: waits for ${dep} to be healthy, but ${dep} has no healthcheck`);
      }
    }
    if (!svc.healthcheck) fail('docker-compose.yml', `${name}: no healthcheck`);
  }
  const sig = services.signaling;
  if (sig) {
    const df = posix.join(sig.build?.context ?? '.', sig.build?.dockerfile ?? 'Dockerfile');
    if (posix.normalize(df) !== DF) fail('docker-compose.yml', `signaling builds ${df}, not ${DF}`);
    const env = sig.environment ?? {};
    if (env.SIGNALING_PROFILE !== 'dev') fail('docker-compose.yml', 'signaling: SIGNALING_PROFILE must be dev');
    const otlp = env.OTEL_EXPORTER_OTLP_ENDPOINT;
    let host = null;
    try { host = new URL(otlp).hostname; } catch { /* reported below */ }
    if (!host || !services[host]) fail('docker-compose.yml', `signaling: OTEL_EXPORTER_OTLP_ENDPOINT ${otlp} is not a service of the stack`);
    else if (!String(otlp).endsWith(':4318')) fail('docker-compose.yml', `signaling: OTLP http/protobuf goes to port 4318, got ${otlp}`);
    const published = (sig.ports ?? []).map((p) => String(p).split(':').at(-1));
    for (const p of [serverPort, adminPort]) if (!published.includes(p)) fail('docker-compose.yml', `signaling: container port ${p} (docker/signaling.yaml) is not published`);
    if (contract) for (const p of contract.expose) if (!published.includes(p)) fail('docker-compose.yml', `signaling: exposed port ${p} is not published`);
    if (!String(sig.healthcheck?.test ?? '').includes(`:${serverPort}/health/live`)) fail('docker-compose.yml', 'signaling: healthcheck must probe /health/live on the public port');
  }
  if (!problems.length) ok('docker-compose.yml: mounts exist, images pinned, dependencies healthy-gated, OTLP and ports wired');
}

// ------------------------------------------------------------------ Prometheus
const prom = parsed['docker/prometheus/prometheus.yml'];
if (prom) {
  const job = (prom.scrape_configs ?? []).find((j) => j.job_name === 'signaling');
  const targets = job?.static_configs?.flatMap((s) => s.targets ?? []) ?? [];
  if (!job) fail('docker/prometheus/prometheus.yml', 'no scrape job "signaling"');
  else {
    if (!targets.includes(`signaling:${adminPort}`)) fail('docker/prometheus/prometheus.yml', `job signaling must scrape signaling:${adminPort} (admin.port), has ${targets.join(', ')}`);
    if ((job.metrics_path ?? '/metrics') !== '/metrics') fail('docker/prometheus/prometheus.yml', `metrics_path ${job.metrics_path}`);
    if ((job.scrape_interval ?? prom.global?.scrape_interval) !== '5s') fail('docker/prometheus/prometheus.yml', 'the signaling job must scrape every 5s');
    if (!problems.length) ok(`prometheus.yml scrapes signaling:${adminPort}/metrics every 5s`);
  }
}

// ------------------------------------------------------------------ Grafana
const dsFile = 'docker/grafana/provisioning/datasources/prometheus.yml';
const dbFile = 'docker/grafana/provisioning/dashboards/dashboards.yml';
const dsUids = new Set((parsed[dsFile]?.datasources ?? []).map((d) => d.uid));
for (const d of parsed[dsFile]?.datasources ?? []) {
  if (!d.uid) fail(dsFile, `data source ${d.name} has no uid: dashboards could not refer to it`);
  if (d.type === 'prometheus' && d.url !== 'http://prometheus:9090') fail(dsFile, `${d.name} points at ${d.url}, not the prometheus service`);
}
const providers = parsed[dbFile]?.providers ?? [];
const grafanaMounts = (compose?.services?.grafana?.volumes ?? []).map((v) => String(v).split(':'));
for (const p of providers) {
  const mount = grafanaMounts.find(([, target]) => target === p.options?.path);
  if (!mount) fail(dbFile, `provider ${p.name} reads ${p.options?.path}, which Compose does not mount`);
}
for (const [p, dash] of Object.entries(parsedJson).filter(([p]) => p.startsWith('docker/grafana/dashboards/'))) {
  if (!dash.uid || !dash.title) fail(p, 'dashboard needs a uid and a title');
  const ids = new Set();
  const check = (panels) => {
    for (const panel of panels ?? []) {
      if (ids.has(panel.id)) fail(p, `duplicate panel id ${panel.id}`);
      ids.add(panel.id);
      if (panel.type !== 'row' && !panel.gridPos) fail(p, `panel ${panel.id} has no gridPos`);
      for (const t of [panel, ...(panel.targets ?? [])]) {
        const uid = t.datasource?.uid;
        if (uid && !uid.startsWith('$') && !dsUids.has(uid)) fail(p, `panel ${panel.id} uses data source uid ${uid}, not provisioned in ${dsFile}`);
      }
      check(panel.panels);
    }
  };
  check(dash.panels);
  for (const v of dash.templating?.list ?? []) {
    const uid = v.datasource?.uid;
    if (uid && !uid.startsWith('$') && !dsUids.has(uid)) fail(p, `variable $${v.name} uses data source uid ${uid}, not provisioned in ${dsFile}`);
  }
  if (!problems.length) ok(`${p}: ${ids.size} panels, data sources provisioned`);
}
const home = compose?.services?.grafana?.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
if (home) {
  const mount = grafanaMounts.find(([, target]) => home.startsWith(`${target}/`));
  if (!mount || !existsSync(join(root, mount[0], relative(mount[1], home)))) fail('docker-compose.yml', `grafana home dashboard ${home} is not a mounted file`);
}

passed.forEach((m) => console.log(`  ok  ${m}`));
if (problems.length) {
  problems.forEach((m) => console.error(`  FAIL ${m}`));
  process.exitCode = 1;
}
