import * as vscode from 'vscode';
import { redact } from '../core/redact';
import { rememberSecret } from './ui';

/** The "LLM Balance" log. Every line passes through redaction; known keys are added as they are read. */
export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();
  /** The latest lines as written (already redacted), for "what did it log" checks. */
  readonly recent: string[] = [];

  constructor() {
    this.channel = vscode.window.createOutputChannel('LLM Balance', { log: true });
  }

  addSecret(s: string | undefined): void {
    if (!s) return;
    this.secrets.add(s);
    rememberSecret(s);
  }

  private clean(msg: string): string {
    const line = redact(msg, [...this.secrets]);
    this.recent.push(line);
    if (this.recent.length > 500) this.recent.shift();
    return line;
  }

  info(msg: string): void {
    this.channel.info(this.clean(msg));
  }
  warn(msg: string): void {
    this.channel.warn(this.clean(msg));
  }
  error(msg: string): void {
    this.channel.error(this.clean(msg));
  }
  debug(msg: string): void {
    this.channel.debug(this.clean(msg));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
