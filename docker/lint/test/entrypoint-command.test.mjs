import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseEntrypointCommand } from '../entrypoint-command.mjs';

test('parses the committed file', () => {
  const c = parseEntrypointCommand(readFileSync(new URL('../../entrypoint-command.txt', import.meta.url), 'utf8'));
  assert.deepEqual(c.args, ['java', '-jar', '/app/signaling.jar']);
  assert.equal(c.env.get('SIGNALING_CONFIG'), '/etc/signaling/signaling.yaml');
  assert.equal(c.env.get('JAVA_TOOL_OPTIONS'), '-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError');
  assert.equal(c.files.get('/etc/signaling/signaling.yaml'), 'docker/signaling.yaml');
  assert.deepEqual(c.expose, ['8080', '9090']);
});

test('values are verbatim: spaces and = kept, empty env allowed', () => {
  const c = parseEntrypointCommand('format 1\narg java\narg -Dx=a b\nenv A=x=y z\nenv B=\n');
  assert.deepEqual(c.args, ['java', '-Dx=a b']);
  assert.equal(c.env.get('A'), 'x=y z');
  assert.equal(c.env.get('B'), '');
});

test('rejects unknown keywords, duplicates, bad env and a missing format, all at once', () => {
  assert.throws(() => parseEntrypointCommand('arg java\nenvv X=1\nenv =1\nuser 1:1\nuser 2:2\n'),
    (e) => /unknown keyword "envv"/.test(e.message) && /env needs NAME=VALUE/.test(e.message)
      && /user given twice/.test(e.message) && /format must be 1/.test(e.message));
  assert.throws(() => parseEntrypointCommand('format 1\n'), /command is empty/);
  assert.throws(() => parseEntrypointCommand('format 2\narg java\n'), /format must be 1/);
});
