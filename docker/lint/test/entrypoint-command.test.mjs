import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseEntrypointCommand, refersTo } from '../entrypoint-command.mjs';

test('parses the committed file', () => {
  const c = parseEntrypointCommand(readFileSync(new URL('../../entrypoint-command.txt', import.meta.url), 'utf8'));
  assert.deepEqual(c.args, ['java', '-XX:SharedArchiveFile=/app/signaling.jsa', '-jar', '/app/signaling.jar']);
  assert.deepEqual(c.generated.get('/app/signaling.jsa'),
    ['java', '-Xmx512m', '-XX:ArchiveClassesAtExit=/app/signaling.jsa', '-jar', '/app/signaling.jar', 'warmup']);
  assert.equal(c.env.get('SIGNALING_CONFIG'), '/etc/signaling/signaling.yaml');
  assert.equal(c.env.get('JAVA_TOOL_OPTIONS'), '-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError');
  assert.equal(c.files.get('/etc/signaling/signaling.yaml'), 'docker/signaling.yaml');
  assert.deepEqual(c.expose, ['8080', '9090']);
});

test('values are verbatim: spaces and = kept, empty env allowed', () => {
  const c = parseEntrypointCommand('format 2\narg java\narg -Dx=a b\nenv A=x=y z\nenv B=\n');
  assert.deepEqual(c.args, ['java', '-Dx=a b']);
  assert.equal(c.env.get('A'), 'x=y z');
  assert.equal(c.env.get('B'), '');
});

test('rejects unknown keywords, duplicates, bad env and a missing format, all at once', () => {
  assert.throws(() => parseEntrypointCommand('arg java\nenvv X=1\nenv =1\nuser 1:1\nuser 2:2\n'),
    (e) => /unknown keyword "envv"/.test(e.message) && /env needs NAME=VALUE/.test(e.message)
      && /user given twice/.test(e.message) && /format must be 2/.test(e.message));
  assert.throws(() => parseEntrypointCommand('format 2\n'), /command is empty/);
  assert.throws(() => parseEntrypointCommand('format 1\narg java\n'), /format must be 2, got 1/);
});

test('generate lines belong to the generated path above them', () => {
  const c = parseEntrypointCommand('format 2\narg java\ngenerated /a\ngenerate x\ngenerate -o=/a\ngenerated /b\ngenerate y\n');
  assert.deepEqual(Object.fromEntries(c.generated), { '/a': ['x', '-o=/a'], '/b': ['y'] });
});

test('rejects a generate without its path, shell-unsafe values, an empty command and a path given twice', () => {
  assert.throws(() => parseEntrypointCommand('format 2\narg java\ngenerate x\n'), /line 3: generate before any generated/);
  assert.throws(() => parseEntrypointCommand('format 2\narg java\ngenerated /a\ngenerate echo $HOME\n'),
    /line 4: generate value "echo \$HOME" has characters a shell would interpret/);
  assert.throws(() => parseEntrypointCommand('format 2\narg java\ngenerated /a\n'), /generated \/a has no generate lines/);
  assert.throws(() => parseEntrypointCommand('format 2\narg java\nfile /a x\ngenerated /a\ngenerate y\n'),
    /\/a is both a file and generated/);
  assert.throws(() => parseEntrypointCommand('format 2\narg java\ngenerated /a\ngenerate y\ngenerated /a\ngenerate z\n'),
    /line 5: generated \/a given twice/);
});

test('refersTo: the path itself or an option whose value it is', () => {
  assert.ok(refersTo('/app/a.jsa', '/app/a.jsa'));
  assert.ok(refersTo('-XX:SharedArchiveFile=/app/a.jsa', '/app/a.jsa'));
  assert.ok(!refersTo('/app/a.jsa.bak', '/app/a.jsa'));
  assert.ok(!refersTo('-XX:SharedArchiveFile=/other/app/a.jsa', '/app/a.jsa'));
});
