// Loads the built webview bundle (dist/webview.js, dist/webview.css) in headless chromium, in
// the same HTML and CSP the extension serves (src/panel/html.ts), with a stubbed
// acquireVsCodeApi that records what the webview posts and answers `ready` like the host.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { panelHtml } from '../../src/panel/html';
import type { Charts, PanelCards, PanelData, PanelState } from '../../src/panel/protocol';
import type { Theme } from './themes';

/** out/test/webview → the repository; scripts that bundle this file set LLMB_REPO_ROOT. */
export const repoRoot = process.env.LLMB_REPO_ROOT ?? path.resolve(__dirname, '..', '..', '..');
/** Where webview.js and webview.css are served from; the benchmark points it at a production build. */
const distDir = process.env.LLMB_WEBVIEW_DIST ?? path.join(repoRoot, 'dist');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface PanelServer {
  origin: string;
  /** The path of a page that carries these cards, as the host writes them into its HTML. */
  pageWith(cards: PanelCards): string;
  close(): Promise<void>;
}

/** Serves the panel page and dist/ on 127.0.0.1. */
export async function startPanelServer(): Promise<PanelServer> {
  for (const f of ['webview.js', 'webview-charts.js', 'webview.css']) {
    if (!fs.existsSync(path.join(distDir, f))) throw new Error(`${path.join(distDir, f)} is missing: run \`npm run build\` first`);
  }
  let origin = '';
  const pages = new Map<string, PanelCards>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/') {
      const cards = pages.get(url.searchParams.get('page') ?? '');
      const html = panelHtml({
        cspSource: origin,
        scriptUri: `${origin}/dist/webview.js`,
        styleUri: `${origin}/dist/webview.css`,
        nonce: randomBytes(16).toString('base64'),
        ...(cards ? { cards } : {}),
      });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
      return;
    }
    const m = /^\/dist\/(webview(?:-charts)?\.(?:js|css)(?:\.map)?)$/.exec(url.pathname);
    if (m) {
      const type = m[1]!.endsWith('.css') ? 'text/css' : m[1]!.endsWith('.js') ? 'text/javascript' : 'application/json';
      res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
      fs.createReadStream(path.join(distDir, m[1]!)).pipe(res);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    pageWith: (cards) => {
      const id = randomBytes(8).toString('hex');
      pages.set(id, cards);
      return `/?page=${id}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Where the webview tests put their screenshots for people to look at (git-ignored). */
export const SHOTS_DIR = path.join(repoRoot, 'screenshots');

/**
 * Mocha hooks: the panel server and a browser for the suite (and SHOTS_DIR made), both closed
 * after it; `use` receives them for the suite's own variables.
 */
export function usePanelBrowser(use: (x: { server: PanelServer; browser: Browser }) => void): void {
  let server: PanelServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    server = await startPanelServer();
    browser = await launchBrowser();
    fs.mkdirSync(SHOTS_DIR, { recursive: true });
    use({ server, browser });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface OpenOptions {
  /** Filled with the page's uncaught errors from before it loads (the first paint included). */
  errors?: string[];
  /** Sent as the host's answer to `ready`. */
  data?: PanelData;
  /** Written into the page, as the host does for the first cards (then `data` may be left out). */
  page?: PanelCards;
  /** Sent, like the host, in answer to a `ready` that says it painted the page's cards. */
  charts?: Charts;
  theme: Theme;
  width?: number;
  height?: number;
  state?: PanelState;
}

// Runs in the page before its scripts. Plain JS: the test's tsconfig has no DOM types.
// The data travels as a JSON string parsed on `ready`, as a message from the host would; a
// `ready` that says it painted the page's cards gets only the charts, if the test gave them.
const INIT_SCRIPT = `(() => {
  const cfg = __CFG__;
  const dataJson = __DATA__;
  const chartsJson = __CHARTS__;
  let state = cfg.state;
  window.__sent = [];
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
  window.__hostPost = (m) => window.postMessage(m, '*');
  window.acquireVsCodeApi = () => ({
    postMessage(m) {
      window.__sent.push(JSON.parse(JSON.stringify(m)));
      if (m && m.type === 'ready' && m.painted !== undefined && chartsJson) setTimeout(() => window.__hostPost({ type: 'charts', charts: JSON.parse(chartsJson) }), 0);
      else if (m && m.type === 'ready' && dataJson) setTimeout(() => window.__hostPost({ type: 'data', data: JSON.parse(dataJson) }), 0);
    },
    getState() { return state; },
    setState(s) { state = s; window.__state = s; },
  });
  // Like VS Code: variables on <html>, the theme kind as a class on <body>.
  const applyTheme = () => {
    if (!document.documentElement || !document.body) return false;
    for (const [k, v] of Object.entries(cfg.theme.vars)) document.documentElement.style.setProperty('--vscode-' + k, v);
    document.body.classList.add(cfg.theme.kind);
    return true;
  };
  if (!applyTheme()) {
    const observer = new MutationObserver(() => { if (applyTheme()) observer.disconnect(); });
    observer.observe(document, { childList: true, subtree: true });
  }
})();`;

export async function openPanel(browser: Browser, server: PanelServer, opts: OpenOptions): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: opts.width ?? 1200, height: opts.height ?? 900 } });
  const content = INIT_SCRIPT
    .replace('__CFG__', JSON.stringify({ theme: opts.theme, state: opts.state }))
    .replace('__DATA__', () => JSON.stringify(opts.data ? JSON.stringify(opts.data) : null))
    .replace('__CHARTS__', () => JSON.stringify(opts.charts ? JSON.stringify(opts.charts) : null));
  await page.addInitScript({ content });
  const errors = opts.errors;
  if (errors) page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.origin}${opts.page ? server.pageWith(opts.page) : '/'}`);
  return page;
}

export interface PanelTimings {
  /** Navigation start → cards on screen (the bundle loaded, `ready` answered, data rendered). */
  firstPaintMs: number;
  /** Data received → cards on screen. */
  renderMs: number;
  /** Navigation start → every chart drawn. */
  chartsMs: number;
  /** Milestones, ms after navigation start (-1: not passed, e.g. no message when the page carried the cards). */
  detail: Record<string, number>;
}

/**
 * Polls an expression until it is truthy. (page.waitForFunction compiles its predicate with
 * eval, which the panel's CSP rightly forbids; page.evaluate goes through the debugger.)
 */
export async function waitFor(page: Page, expression: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > until) throw new Error(`timed out waiting for: ${expression}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function waitForCharts(page: Page): Promise<PanelTimings> {
  await waitFor(page, "performance.getEntriesByName('llmb:charts').length > 0");
  return page.evaluate(`(() => {
    const at = (n) => performance.getEntriesByName(n)[0].startTime;
    const nav = performance.getEntriesByType('navigation')[0];
    const res = (suffix) => performance.getEntriesByType('resource').find((e) => e.name.endsWith(suffix));
    return {
      firstPaintMs: at('llmb:first-paint'), renderMs: at('llmb:first-paint') - at('llmb:data'), chartsMs: at('llmb:charts'),
      detail: {
        html: nav.responseEnd, css: res('webview.css')?.responseEnd ?? -1, js: res('webview.js')?.responseEnd ?? -1,
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1, scriptStart: at('llmb:start'),
        message: performance.getEntriesByName('llmb:message')[0]?.startTime ?? -1, validated: at('llmb:data'), rendered: at('llmb:rendered'),
      },
    };
  })()`);
}
