// Reader of docker/entrypoint-command.txt (format described at the top of that file). Kept strict:
// a Java test reads the same file, so anything this accepts must be unambiguous.

const SINGLE = new Set(['format', 'user', 'workdir', 'healthcheck', 'stopsignal']);
// What a shell leaves alone, so a generate command joined by spaces is the RUN's command verbatim.
const SHELL_SAFE = /^[A-Za-z0-9_./:=+,@%-]+$/;
export const FORMAT = '2';

// Whether an arg/env/generate value names IMAGE_PATH: equal to it, or an option's value (`-X=PATH`).
export function refersTo(value, imagePath) {
  return value === imagePath || value.endsWith(`=${imagePath}`);
}

export function parseEntrypointCommand(text) {
  const result = { format: null, args: [], env: new Map(), files: new Map(), generated: new Map(), expose: [],
    user: null, workdir: null, healthcheck: null, stopsignal: null };
  const problems = [];
  let generating = null;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const at = `line ${i + 1}`;
    if (line === '' || line.startsWith('#')) return;
    const sp = line.indexOf(' ');
    const keyword = sp < 0 ? line : line.slice(0, sp);
    const value = sp < 0 ? null : line.slice(sp + 1);
    if (value === null || (value === '' && keyword !== 'arg')) {
      problems.push(`${at}: "${keyword}" needs a value`);
      return;
    }
    switch (keyword) {
      case 'arg': result.args.push(value); break;
      case 'env': {
        const eq = value.indexOf('=');
        const name = eq < 0 ? '' : value.slice(0, eq);
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) { problems.push(`${at}: env needs NAME=VALUE, got "${value}"`); break; }
        if (result.env.has(name)) problems.push(`${at}: env ${name} given twice`);
        result.env.set(name, value.slice(eq + 1));
        break;
      }
      case 'file': {
        const parts = value.split(' ');
        if (parts.length !== 2 || !parts[0].startsWith('/') || parts[1].startsWith('/')) {
          problems.push(`${at}: file needs IMAGE_PATH (absolute) and REPO_GLOB (relative), got "${value}"`);
          break;
        }
        if (result.files.has(parts[0])) problems.push(`${at}: file ${parts[0]} given twice`);
        result.files.set(parts[0], parts[1]);
        break;
      }
      case 'generated':
        if (!value.startsWith('/') || value.includes(' ')) { problems.push(`${at}: generated needs one absolute IMAGE_PATH, got "${value}"`); break; }
        if (result.generated.has(value)) problems.push(`${at}: generated ${value} given twice`);
        generating = value;
        result.generated.set(value, []);
        break;
      case 'generate':
        if (generating === null) { problems.push(`${at}: generate before any generated IMAGE_PATH`); break; }
        if (!SHELL_SAFE.test(value)) { problems.push(`${at}: generate value "${value}" has characters a shell would interpret`); break; }
        result.generated.get(generating).push(value);
        break;
      case 'expose':
        if (!/^[0-9]{1,5}$/.test(value)) problems.push(`${at}: expose needs a port number, got "${value}"`);
        else result.expose.push(value);
        break;
      default:
        if (!SINGLE.has(keyword)) { problems.push(`${at}: unknown keyword "${keyword}"`); break; }
        if (result[keyword] !== null) problems.push(`${at}: ${keyword} given twice`);
        result[keyword] = value;
    }
  });
  if (result.format !== FORMAT) problems.push(`format must be ${FORMAT}, got ${result.format ?? 'none'}`);
  if (result.args.length === 0) problems.push('no arg lines: the command is empty');
  for (const [path, command] of result.generated) {
    if (command.length === 0) problems.push(`generated ${path} has no generate lines: nothing writes it`);
    if (result.files.has(path)) problems.push(`${path} is both a file and generated`);
  }
  if (problems.length) throw new Error(problems.join('\n'));
  return result;
}
