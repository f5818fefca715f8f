import * as vscode from 'vscode';
import { redact } from '../core/redact';
import { rememberSecret } from './ui';

/** The "LLM Balance" log. Every line passes through redaction; known keys are added as they are read. */
export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();
  private readonly wrote = new vscode.EventEmitter<string>();
  /** Each line as written, already redacted. */
  readonly onDidWrite = this.wrote.event;

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
    this.wrote.fire(line);
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
    this.wrote.dispose();
    this.channel.dispose();
  }
}
