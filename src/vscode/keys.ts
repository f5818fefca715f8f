import * as vscode from 'vscode';

export const KEY_PREFIX = 'llmBalance.key.';
export const ADMIN_KEY_PREFIX = 'llmBalance.adminKey.';

/** Keys in SecretStorage, and nowhere else. `onDidChange` fires across windows. */
export class KeyStore implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<string>();
  readonly onDidChange = this.emitter.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.sub = secrets.onDidChange((e) => {
      if (e.key.startsWith(KEY_PREFIX) || e.key.startsWith(ADMIN_KEY_PREFIX)) this.emitter.fire(e.key);
    });
  }

  async get(accountId: string): Promise<{ key?: string; adminKey?: string }> {
    const [key, adminKey] = await Promise.all([this.secrets.get(KEY_PREFIX + accountId), this.secrets.get(ADMIN_KEY_PREFIX + accountId)]);
    const out: { key?: string; adminKey?: string } = {};
    if (key) out.key = key;
    if (adminKey) out.adminKey = adminKey;
    return out;
  }

  async set(accountId: string, key: string, adminKey?: string): Promise<void> {
    await this.secrets.store(KEY_PREFIX + accountId, key);
    if (adminKey !== undefined) {
      if (adminKey) await this.secrets.store(ADMIN_KEY_PREFIX + accountId, adminKey);
      else await this.secrets.delete(ADMIN_KEY_PREFIX + accountId);
    }
  }

  async delete(accountId: string): Promise<void> {
    await this.secrets.delete(KEY_PREFIX + accountId);
    await this.secrets.delete(ADMIN_KEY_PREFIX + accountId);
  }

  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }
}
