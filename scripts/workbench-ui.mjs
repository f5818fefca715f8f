// Driving the LLM Balance UI in a live code-server workbench with Playwright: the fake provider
// server in-process, the status bar item, the command palette, notification toasts, the hover,
// the extension's globalState as the browser stores it, and cropped screenshots. Shared by the
// drivers (e2e, e2e-l10n, screenshots, walkthrough-shots, vsix-test); see scripts/vscode-host.mjs
// for starting code-server and chromium.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { openWorkbench, repoRoot } from './vscode-host.mjs';

export const EXTENSION_ID = 'llmbalance.llm-balance';
/** The status bar item: VS Code gives it the DOM id `<extension id>.<item id>`. */
export const STATUS_SELECTOR = '.statusbar-item[id$="llmBalance.status" i]';
export const FAKE_SERVER_JS = path.join(repoRoot, 'out', 'test', 'fake', 'server.js');

/**
 * Starts the fake providers (out/test/fake/server.js, compiled by tsc) on 127.0.0.1 (`port`, or
 * any free one); with a HostSession, they stop when it cleans up.
 * @param {import('./vscode-host.mjs').HostSession} [session]
 * @param {number} [port]
 */
export async function startFakeProviders(session, port = 0) {
  if (!fs.existsSync(FAKE_SERVER_JS)) throw new Error(`no ${FAKE_SERVER_JS}: compile first (npx tsc -p . --outDir out)`);
  const { FakeProviderServer } = createRequire(import.meta.url)(FAKE_SERVER_JS);
  const fake = new FakeProviderServer();
  const url = await fake.start(port);
  session?.onCleanup(() => fake.stop(), 'stop the fake providers');
  return { fake, url };
}

/**
 * A workbench window with this repository's extension loaded, its console in the session's log
 * and (with `toasts`) every toast recorded from the first paint on; resolves once the LLM Balance
 * status bar item is there.
 * @param {import('playwright-core').Browser} browser
 * @param {import('./vscode-host.mjs').HostSession} session
 * @param {{ url: string, folder: string, viewport: {width:number,height:number}, theme?: 'dark'|'light',
 *           deviceScaleFactor?: number, locale?: string, workbenchSelector?: string, toasts?: boolean,
 *           timeoutMs?: number, itemTimeoutMs?: number }} opts
 */
export async function openExtensionWindow(browser, session, opts) {
  let toasts;
  const { page, context } = await openWorkbench(browser, {
    ...opts,
    extensionDevelopmentPath: repoRoot,
    timeoutMs: opts.timeoutMs ?? 90_000,
    beforeGoto: async (p) => {
      session.logPage(p);
      if (opts.toasts) toasts = await trackToasts(p, (e) => session.log(`toast: ${e.text}`));
    },
  });
  const item = await statusItem(page, opts.itemTimeoutMs ?? 60_000);
  return { context, page, item, toasts };
}

/** OpenRouter /credits answering with a balance of `total − usage` dollars. */
export function openRouterCredits(fake, totalCredits, totalUsage) {
  fake.route('GET', '/openrouter/api/v1/credits', { body: { data: { total_credits: totalCredits, total_usage: totalUsage } } });
}

/**
 * The status bar item. Found by its id; if VS Code ever names it differently, by its text
 * ("LLM Balance", its `name`, or the text of a provider) once no id has matched for a few
 * seconds, and then held by the id it has: a locator by text loses the item as soon as it shows
 * another account (the lowest balance may be any provider's).
 */
export async function statusItem(page, timeoutMs) {
  const byId = page.locator(STATUS_SELECTOR).first();
  const byLabel = page.locator('.statusbar-item').filter({ hasText: /OpenRouter|LLM Balance|LLM API key/ }).first();
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await byId.count()) return byId;
    if (Date.now() - started > 5000 && await byLabel.count()) {
      const id = await byLabel.getAttribute('id', { timeout: 1000 }).catch(() => null);
      return id ? page.locator(`.statusbar-item[id="${id.replace(/["\\]/g, '\\$&')}"]`) : byLabel;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no LLM Balance status bar item within ${Math.round(timeoutMs / 1000)} s`);
}

/** The item's visible text (icons are codicon spans, so only words and numbers). */
export async function statusText(item) {
  return ((await item.textContent({ timeout: 2000 }).catch(() => '')) ?? '').replace(/\s+/g, ' ').trim();
}

/** What the item shows: its text, the codicons in its label, and whether it has the warning / error background. */
export async function statusState(item) {
  return item.evaluate((el) => ({
    text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
    icons: [...el.querySelectorAll('.codicon')].map((c) => [...c.classList].find((k) => k.startsWith('codicon-') && k !== 'codicon-modifier-spin') ?? ''),
    warningBackground: el.classList.contains('warning-kind'),
    errorBackground: el.classList.contains('error-kind'),
    background: getComputedStyle(el).backgroundColor,
    color: getComputedStyle(el.querySelector('.statusbar-item-label') ?? el).color,
  }), undefined, { timeout: 2000 });
}

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes; returns the value or throws with `what`. */
export async function waitUntil(fn, { timeoutMs, what, intervalMs = 250 }) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= deadline) {
      const seen = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${seen !== undefined ? ` (last: ${seen})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Runs a command from the palette: F1, type the title, check that the highlighted entry is that
 * command, Enter. Throws if the palette does not offer it within `timeoutMs`.
 */
export async function runCommand(page, title, timeoutMs = 15_000) {
  const widget = page.locator('.quick-input-widget');
  // Focus the workbench (not a toast or a hover) so that F1 reaches the keybinding service.
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await widget.waitFor({ state: 'visible', timeout: timeoutMs });
  const input = widget.locator('input.input');
  await input.fill(`>${title}`);
  const row = widget.locator('.monaco-list-row.focused');
  await waitUntil(async () => {
    const label = (await row.first().getAttribute('aria-label', { timeout: 500 }).catch(() => null)) ?? '';
    return label.replace(/,.*$/, '').trim() === title;
  }, { timeoutMs, what: `the palette to offer "${title}"`, intervalMs: 100 });
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: timeoutMs });
}

/**
 * Records every notification toast the page shows, across reloads: each toast container is
 * reported once, with its message, when its text appears. Call before the first `goto`.
 * @returns {{ all: {t: number, text: string}[], since(i: number): {t: number, text: string}[] }}
 */
export async function trackToasts(page, onToast) {
  const all = [];
  await page.exposeBinding('__llmbToast', (_source, text) => {
    const entry = { t: Date.now(), text };
    all.push(entry);
    onToast?.(entry);
  });
  await page.addInitScript(() => {
    const scan = () => {
      for (const c of document.querySelectorAll('.notifications-toasts .notification-toast-container:not([data-llmb-seen])')) {
        const msg = c.querySelector('.notification-list-item-message');
        const text = (msg?.textContent ?? '').trim();
        if (!text) continue;
        c.setAttribute('data-llmb-seen', '1');
        // @ts-ignore the binding is exposed by Playwright
        void window.__llmbToast(text);
      }
    };
    const start = () => new MutationObserver(scan).observe(document.body, { childList: true, subtree: true, characterData: true });
    if (document.body) start();
    else document.addEventListener('DOMContentLoaded', start, { once: true });
  });
  return { all, since: (i) => all.slice(i) };
}

/**
 * Every notification's message as the notification center lists it — the visible toasts, those
 * queued behind them (VS Code shows three toasts at most) and those already hidden — until
 * "Clear All Notifications" or a reload. Opens the center, reads it and closes it again.
 */
export async function notificationCenter(page) {
  const center = page.locator('.notifications-center');
  await runCommand(page, 'Notifications: Show Notifications');
  // The center is `.visible` when open; its list container stays hidden while it is empty.
  await page.locator('.notifications-center.visible').waitFor({ state: 'visible', timeout: 5000 });
  // The list is virtual: with the handful of notifications a test makes, all rows are rendered.
  const texts = await center.locator('.notification-list-item-message').evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()));
  // "Hide Notifications" is bound to Escape while the center is open (the palette does not offer it then).
  await page.keyboard.press('Escape');
  await page.locator('.notifications-center.visible').waitFor({ state: 'detached', timeout: 5000 });
  return texts.filter(Boolean);
}

/** The texts of the status bar's passing messages (`window.setStatusBarMessage`) now on screen. */
export async function statusBarMessages(page, pattern) {
  const texts = await page.locator('.statusbar-item').evaluateAll((els) => els.map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim()));
  return texts.filter((t) => pattern.test(t));
}

/** Dismisses every notification (the bell's "Clear All Notifications"). */
export async function clearNotifications(page) {
  await runCommand(page, 'Notifications: Clear All Notifications').catch(() => {});
  await page.locator('.notifications-toasts .notification-toast-container').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
}

/**
 * The extension's globalState as the browser stores it: code-server's workbench keeps storage
 * in IndexedDB (database `vscode-web-state-db-global`, table ItemTable); an extension's
 * globalState is one JSON value under its id. Returns the parsed object, or undefined.
 */
export async function readGlobalState(page, extensionId = EXTENSION_ID) {
  const raw = await page.evaluate(async (key) => {
    const open = (name) => new Promise((resolve, reject) => {
      const r = indexedDB.open(name);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const names = (await indexedDB.databases()).map((d) => d.name).filter((n) => n && n.startsWith('vscode-web-state-db'));
    for (const name of names) {
      const db = await open(name);
      try {
        if (!db.objectStoreNames.contains('ItemTable')) continue;
        const v = await new Promise((resolve, reject) => {
          const r = db.transaction('ItemTable', 'readonly').objectStore('ItemTable').get(key);
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        if (v !== undefined) return { db: name, value: typeof v === 'string' ? v : new TextDecoder().decode(v) };
      } finally {
        db.close();
      }
    }
    return undefined;
  }, extensionId);
  if (!raw) return undefined;
  try {
    return { db: raw.db, state: JSON.parse(raw.value) };
  } catch {
    return { db: raw.db, state: undefined, raw: raw.value };
  }
}

/** The region around a box, clamped to the viewport, for `page.screenshot({ clip })`. */
export function padBox(box, viewport, pad = { x: 12, y: 6 }) {
  const x = Math.max(0, Math.floor(box.x - pad.x));
  const y = Math.max(0, Math.floor(box.y - pad.y));
  const right = Math.min(viewport.width, Math.ceil(box.x + box.width + pad.x));
  const bottom = Math.min(viewport.height, Math.ceil(box.y + box.height + pad.y));
  return { x, y, width: right - x, height: bottom - y };
}

/** The smallest box holding all `boxes`. */
export function unionBox(...boxes) {
  const bs = boxes.filter(Boolean);
  const x = Math.min(...bs.map((b) => b.x));
  const y = Math.min(...bs.map((b) => b.y));
  const right = Math.max(...bs.map((b) => b.x + b.width));
  const bottom = Math.max(...bs.map((b) => b.y + b.height));
  return { x, y, width: right - x, height: bottom - y };
}

/** A screenshot of the page (or of `clip`, a region in CSS pixels) into `file`. */
export async function saveShot(page, file, clip) {
  await page.screenshot({ path: file, ...(clip ? { clip } : {}), timeout: 10_000 });
  return file;
}

/** The status bar item as a region as tall as the status bar, with `padX` of the bar on either side. */
export async function statusBarClip(page, item, viewport, padX) {
  const bar = await page.locator('.part.statusbar').first().boundingBox();
  const box = await item.boundingBox();
  return padBox({ x: box.x, y: bar.y, width: box.width, height: bar.height }, viewport, { x: padX, y: 0 });
}

/**
 * Hovers the status bar item until `hover` (the tooltip's locator) shows, trying again within
 * `timeoutMs` (a redraw of the item closes a hover that was opening); resolves once it has faded in.
 */
export async function showTooltip(page, item, hover, { viewport, timeoutMs = 30_000 }) {
  await waitUntil(async () => {
    await page.mouse.move(viewport.width / 2, viewport.height / 3);
    await page.waitForTimeout(300);
    await item.hover({ timeout: 5000 });
    await hover.waitFor({ state: 'visible', timeout: 10_000 });
    return true;
  }, { timeoutMs, what: 'the status bar tooltip' });
  await page.waitForTimeout(400); // the hover fades in
}

/** Moves the mouse off the status bar and presses Escape, so that the tooltip closes. */
export async function hideTooltip(page, viewport) {
  await page.mouse.move(viewport.width / 2, viewport.height / 3);
  await page.keyboard.press('Escape');
}
