import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { COMMAND, INTERNAL_COMMANDS } from '../../src/core/commandIds';

const root = path.resolve(__dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|js)$/.test(e.name) ? [p] : [];
  });
}

describe('command ids', () => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    contributes: { commands: { command: string }[]; menus?: Record<string, { command: string }[]> };
  };
  const all = new Set<string>(Object.values(COMMAND));

  it('package.json contributes exactly the palette commands of COMMAND', () => {
    const contributed = pkg.contributes.commands.map((c) => c.command).sort();
    const palette = [...all].filter((id) => !INTERNAL_COMMANDS.includes(id as never)).sort();
    assert.deepEqual(contributed, palette);
    for (const items of Object.values(pkg.contributes.menus ?? {})) {
      for (const item of items) assert.ok(all.has(item.command), `menu item for unknown command ${item.command}`);
    }
  });

  it('no source file spells a command id outside the COMMAND table', () => {
    const names = Object.values(COMMAND).map((id) => id.replace('.', '\\.')).join('|');
    const spelled = new RegExp(`['"\`:](${names})\\b`);
    const offenders = sources(path.join(root, 'src'))
      .filter((f) => !f.endsWith(path.join('core', 'commandIds.ts')))
      .filter((f) => spelled.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f));
    assert.deepEqual(offenders, []);
  });
});
