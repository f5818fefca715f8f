// One build script for every bundle. `--production` minifies and drops source maps,
// `--watch` rebuilds on change. Type checking is left to `tsc --noEmit`.
import * as esbuild from 'esbuild';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { deferredBuiltins } from './scripts/deferred-builtins.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outdirArg = process.argv.find((a) => a.startsWith('--outdir='));
const outdir = outdirArg ? outdirArg.slice('--outdir='.length) : 'dist';

// `import * as vscode from 'vscode'` of an external module becomes `__toESM(require("vscode"))` in
// every importing file: a getter for each of the API object's ~300 names, per file (15 files were
// ~half of extension.js's code loading). The same import as `import vscode = require('vscode')`
// is a plain require of the one API object; the sources keep the usual form. And the bundle
// requires 'vscode' once: VS Code's loader hook realpaths the calling file on every call.
const VSCODE_NAMESPACE_IMPORT = /^import \* as vscode from 'vscode';$/m;
const plainVscodeRequire = {
  name: 'plain-vscode-require',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) => (args.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' }));
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "module.exports = require('vscode');", loader: 'js' }));
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      const text = await fs.readFile(args.path, 'utf8');
      if (!VSCODE_NAMESPACE_IMPORT.test(text)) return undefined;
      return { contents: text.replace(VSCODE_NAMESPACE_IMPORT, "import vscode = require('vscode');"), loader: 'ts' };
    });
  },
};

// A bundle required later by dist/extension-main.js takes these modules from it instead of a copy
// of its own: their state (the test UI holder, the secrets toasts hide, the loaded engine) is one
// per window. extensionMain.ts re-exports them; an import of one resolves to require('./extension-main.js').
const SHARED_WITH_MAIN = ['src/vscode/ui.ts', 'src/vscode/engineLoader.ts'].map((f) => path.resolve(f));
const sharedWithMain = {
  name: 'shared-with-main',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = path.resolve(args.resolveDir, args.path);
      return SHARED_WITH_MAIN.includes(`${target}.ts`) || SHARED_WITH_MAIN.includes(target) ? { path: './extension-main.js', external: true } : undefined;
    });
  },
};

/** @type {import('esbuild').BuildOptions[]} */
const bundles = [
  {
    entryPoints: { cli: 'src/cli/bin.ts' },
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // The command line, then each command's code, required by cli.js when it runs (src/cli/main.ts).
    entryPoints: { cliMain: 'src/cli/main.ts', checkCommand: 'src/cli/checkCommand.ts', historyCommand: 'src/cli/historyCommand.ts' },
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['./mailer.js'],
    plugins: [deferredBuiltins],
  },
  {
    // nodemailer, required by the CLI and the engine only when an e-mail is sent.
    entryPoints: { mailer: 'src/core/alerts/channels/mailer.ts' },
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
];
if (existsSync('src/extension.ts')) {
  bundles.push({
    // What VS Code loads at activation (extension.js: command ids and the panel's serializer)
    // requires the extension's main bundle (extension-main.js) on the next turn; that one stays
    // small too. The first check requires engine-main.js (the main thread's half: scheduler,
    // schemas on zod/mini, history, alert decisions) and starts check-worker.js (undici and the
    // providers, in a worker thread); engine.js (what sends requests from the main thread) loads
    // only when one is sent, engine-panel.js with the panel.
    entryPoints: { extension: 'src/extension.ts', 'extension-main': 'src/extensionMain.ts', engine: 'src/engineBundle.ts', 'engine-main': 'src/engineMain.ts', 'engine-panel': 'src/enginePanel.ts', 'check-worker': 'src/checkWorker.ts' },
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', './extension-main.js', './engine.js', './engine-main.js', './engine-panel.js', './mailer.js', './commands.js'],
    plugins: [plainVscodeRequire],
  });
  bundles.push({
    // What only a command or an alert needs (src/vscode/commands/bodies.ts), required on first use.
    entryPoints: { commands: 'src/vscode/commands/bodies.ts' },
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', './extension-main.js', './engine.js', './engine-main.js', './engine-panel.js', './mailer.js'],
    plugins: [sharedWithMain, plainVscodeRequire],
  });
}
if (existsSync('src/webview/main.ts')) {
  bundles.push({
    // The cards' script, and uPlot with the charts in a second one loaded after the first paint.
    entryPoints: { webview: 'src/webview/main.ts', 'webview-charts': 'src/webview/charts.ts' },
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'css' },
  });
}

const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
    });
  },
};

const contexts = await Promise.all(
  bundles.map((b) =>
    esbuild.context({
      bundle: true,
      outdir,
      minify: production,
      sourcemap: production ? false : 'linked',
      sourcesContent: false,
      logLevel: 'warning',
      legalComments: 'none',
      ...b,
      plugins: [problemMatcher, ...(b.plugins ?? [])],
    }),
  ),
);

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
