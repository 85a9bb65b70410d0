// Runs check-consistency.mjs on a copy of the container files, once as committed (must pass) and
// once per deliberate break (must fail naming the problem), so the check is known to bite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const script = fileURLToPath(new URL('../check-consistency.mjs', import.meta.url));

function withCopy(edit) {
  const dir = mkdtempSync(join(tmpdir(), 'check-docker-'));
  try {
    // The whole build context the Dockerfile copies from, less what is large and irrelevant.
    cpSync(repo, dir, {
      recursive: true,
      filter: (src) => !/[\\/](?:\.git|target|node_modules)$/.test(src),
    });
    edit?.((p, from, to) => {
      const f = join(dir, p);
      const text = readFileSync(f, 'utf8');
      assert.ok(text.includes(from), `${p} does not contain ${from}`);
      writeFileSync(f, text.replace(from, to));
    });
    return spawnSync(process.execPath, [script, dir], { encoding: 'utf8', timeout: 30_000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the committed files are consistent', () => {
  const r = withCopy();
  assert.equal(r.status, 0, r.stderr);
});

const ENTRYPOINT = 'ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/signaling.jsa", "-jar", "/app/signaling.jar"]';
const TRAINING = 'RUN java -Xmx512m -XX:ArchiveClassesAtExit=/app/signaling.jsa -jar /app/signaling.jar warmup';

const breaks = [
  ['entrypoint drifts from the contract file', 'docker/Dockerfile',
    ENTRYPOINT, 'ENTRYPOINT ["java", "-Xmx1g", "-jar", "/app/signaling.jar"]', /ENTRYPOINT .* differs/],
  ['an ENV missing from the contract file', 'docker/Dockerfile',
    'SIGNALING_PROFILE=prod', 'SIGNALING_PROFILE=prod \\\n    EXTRA=1', /EXTRA="1" in the Dockerfile, missing/],
  ['root user', 'docker/Dockerfile', 'USER 10001:10001', 'USER 0:0', /USER/],
  ['shell-form entrypoint', 'docker/Dockerfile',
    ENTRYPOINT, 'ENTRYPOINT java -XX:SharedArchiveFile=/app/signaling.jsa -jar /app/signaling.jar', /exec-form/],
  ['the training run drifting from the contract file', 'docker/Dockerfile',
    TRAINING, `${TRAINING} --server.port=1`, /no RUN in the runtime stage runs `java -Xmx512m .* warmup`, which .* generates \/app\/signaling.jsa/],
  ['the training run without the environment it shares with the entrypoint', 'docker/Dockerfile',
    'USER 10001:10001', 'ENV LATE=1\nUSER 10001:10001', /the RUN generating \/app\/signaling.jsa \(line \d+\) comes before ENV/],
  ['the training run as the app user', 'docker/Dockerfile',
    TRAINING, `USER 10001:10001\n${TRAINING}`, /the RUN generating \/app\/signaling.jsa \(line \d+\) comes after USER/],
  ['the archive left writable', 'docker/Dockerfile',
    ' \\\n && chmod 0444 /app/signaling.jsa', '', /must end it read-only: chmod 0444 \/app\/signaling.jsa/],
  ['the training run before the jar it reads is copied', 'docker/Dockerfile',
    'WORKDIR /app\n', `WORKDIR /app\n${TRAINING}\n`, /reads \/app\/signaling.jar, which is copied later/],
  ['an archive the entrypoint never reads', 'docker/entrypoint-command.txt',
    'generated /app/signaling.jsa', 'generated /app/other.jsa', /generated \/app\/other.jsa is read by no arg/],
  ['unpinned base image', 'docker/Dockerfile', 'eclipse-temurin:17.0.16_8-jre-noble', 'eclipse-temurin', /FROM \$\{RUNTIME_IMAGE\} \(eclipse-temurin\) has no pinned tag/],
  ['a base image build argument without a default', 'docker/Dockerfile',
    'ARG BUILD_IMAGE=eclipse-temurin:17.0.16_8-jdk-noble', 'ARG BUILD_IMAGE', /FROM \$\{BUILD_IMAGE\} uses BUILD_IMAGE, which no ARG/],
  ['a latest base image', 'docker/Dockerfile', 'eclipse-temurin:17.0.16_8-jdk-noble', 'eclipse-temurin:latest', /no pinned tag/],
  ['.dockerignore dropping the prebuilt jar', '.dockerignore', '!signaling-app/target/signaling-app-*-all.jar', '',
    /"\*\*\/target" excludes signaling-app\/target\/signaling-app-\*-all.jar/],
  ['the prebuilt stage copying a jar the contract does not name', 'docker/entrypoint-command.txt',
    'file /app/signaling.jar signaling-app/target/signaling-app-*-all.jar', 'file /app/signaling.jar signaling-app/target/signaling-app-*-shaded.jar',
    /COPY source signaling-app\/target\/signaling-app-\*-all.jar is a glob but no file directive/],
  ['Prometheus scraping the public port', 'docker/prometheus/prometheus.yml', 'signaling:9090', 'signaling:8080', /must scrape signaling:9090/],
  ['OTLP pointing nowhere', 'docker-compose.yml', 'http://jaeger:4318', 'http://collector:4318', /not a service of the stack/],
  ['a mount of a missing file', 'docker-compose.yml', './docker/prometheus/prometheus.yml:', './docker/prometheus/missing.yml:', /does not exist/],
  ['a dashboard on an unprovisioned data source', 'docker/grafana/dashboards/signaling.json',
    '"uid": "prometheus"', '"uid": "other"', /data source uid other/],
  ['.dockerignore dropping a copied source', '.dockerignore', '# Not part of the image', 'signaling-app/src\n# Not part of the image',
    /"signaling-app\/src" excludes signaling-app\/src\//],
  ['.dockerignore keeping build output', '.dockerignore', '**/target', '**/targets', /does not exclude signaling-app\/target/],
  ['invalid YAML', 'docker/grafana/provisioning/datasources/prometheus.yml', 'apiVersion: 1', 'apiVersion: 1\napiVersion: 2', /YAML/],
];
for (const [name, file, from, to, expected] of breaks) {
  test(`fails on ${name}`, () => {
    const r = withCopy((edit) => edit(file, from, to));
    assert.equal(r.status, 1, `expected failure, got:\n${r.stdout}${r.stderr}`);
    assert.match(r.stderr, expected);
  });
}
