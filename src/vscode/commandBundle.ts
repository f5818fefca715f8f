import type * as vscode from 'vscode';
import type * as Bodies from './commands/bodies';
import type { AlertChannels } from './alertChannels';
import type { Log } from './log';

export type CommandBodies = typeof Bodies;

let loaded: CommandBodies | undefined;

/** The commands' bodies and the alert channels (dist/commands.js, src/vscode/commands/bodies.ts), required on first use. */
export function commandBodies(): CommandBodies {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('./commands.js') as CommandBodies);
}

/** The window's alert channels, made when first needed (an alert, a channel command, the test API): one instance. */
export function lazyAlertChannels(context: Pick<vscode.ExtensionContext, 'secrets' | 'subscriptions'>, log: Log): () => AlertChannels {
  let channels: AlertChannels | undefined;
  return () => {
    if (!channels) {
      channels = new (commandBodies().AlertChannels)(context.secrets, log);
      context.subscriptions.push(channels);
    }
    return channels;
  };
}
