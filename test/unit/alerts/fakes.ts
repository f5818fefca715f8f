// Real parts for the alert tests: a fake Telegram Bot API and a webhook receiver (HTTP on
// 127.0.0.1, built on the fake provider server), a real SMTP server (smtp-server) whose mail
// is parsed with mailparser, and an in-process channel that records when it was called.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { FakeProviderServer, type FakeReply, type FakeRequest } from '../../fake/server';
import { DeliveryError, type Channel, type ChannelId } from '../../../src/core/alerts/channels';
import type { Alert, LevelAlert } from '../../../src/core/alerts/message';

export const BOT_TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ';
export const CHAT_ID = '-1001234567890';

export function sampleAlert(over: Partial<LevelAlert> = {}): LevelAlert {
  return {
    kind: 'level',
    accountId: 'openrouter',
    provider: 'openrouter',
    label: 'OpenRouter',
    level: 'critical',
    balance: 0.69,
    currency: 'USD',
    threshold: 5,
    message: 'CRITICAL: OpenRouter balance low — $0.69 left (threshold $5.00). Add funds to avoid interruption.',
    billingUrl: 'https://openrouter.ai/settings/credits',
    time: '2026-01-01T12:00:00.000Z',
    cooldownHours: 24,
    ...over,
  };
}

/**
 * Checks text the way Telegram's MarkdownV2 parser does, closely enough: every reserved
 * character outside an entity marker must be escaped, entities must be closed, and a link is
 * [text](url) with only ")" and "\" escaped inside the url. Returns Telegram's error, if any.
 */
export function markdownV2Problem(text: string): string | undefined {
  const reserved = '_*[]()~`>#+-=|{}.!';
  const open: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '*' || c === '_' || c === '~') {
      if (open[open.length - 1] === c) open.pop();
      else open.push(c);
      continue;
    }
    if (c === '[') {
      open.push('[');
      continue;
    }
    if (c === ']' && open[open.length - 1] === '[') {
      open.pop();
      if (text[i + 1] !== '(') return `Bad Request: can't parse entities: link at byte offset ${i} has no url`;
      let j = i + 2;
      for (; j < text.length && text[j] !== ')'; j++) if (text[j] === '\\') j++;
      if (j >= text.length) return "Bad Request: can't parse entities: Can't find end of a url";
      i = j;
      continue;
    }
    if (reserved.includes(c)) return `Bad Request: can't parse entities: Character '${c}' is reserved and must be escaped with the preceding '\\'`;
  }
  if (open.length > 0) return `Bad Request: can't parse entities: Can't find end of the entity starting with '${open[0]}'`;
  return undefined;
}

export interface TelegramMessage {
  chatId: string;
  text: string;
  parseMode: string | undefined;
  at: number;
}

/** A fake Telegram Bot API: POST /bot<token>/sendMessage; a script of replies can be queued. */
export class FakeTelegram {
  readonly http = new FakeProviderServer([]);
  readonly messages: TelegramMessage[] = [];
  readonly script: FakeReply[] = [];
  calls = 0;

  constructor(readonly token = BOT_TOKEN) {}

  get url(): string {
    return this.http.url;
  }

  async start(): Promise<void> {
    await this.http.start();
    this.install();
  }

  async stop(): Promise<void> {
    await this.http.stop();
  }

  reset(): void {
    this.http.reset();
    this.messages.length = 0;
    this.script.length = 0;
    this.calls = 0;
    this.install();
  }

  /** The body Telegram sends for HTTP 429. */
  static tooMany(retryAfter: number): FakeReply {
    return {
      status: 429,
      headers: { 'retry-after': String(retryAfter) },
      body: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } },
    };
  }

  private install(): void {
    this.http.route('POST', `/bot${this.token}/sendMessage`, (req) => this.handle(req));
  }

  private handle(req: FakeRequest): FakeReply {
    this.calls++;
    const scripted = this.script.shift();
    if (scripted) return scripted;
    let body: { chat_id?: unknown; text?: unknown; parse_mode?: unknown };
    try {
      body = JSON.parse(req.body) as typeof body;
    } catch {
      return { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: message text is empty' } };
    }
    if (String(body.chat_id) !== CHAT_ID) return { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } };
    const text = typeof body.text === 'string' ? body.text : '';
    if (!text) return { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: message text is empty' } };
    if (text.length > 4096) return { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: message is too long' } };
    const parseMode = typeof body.parse_mode === 'string' ? body.parse_mode : undefined;
    if (parseMode === 'MarkdownV2') {
      const problem = markdownV2Problem(text);
      if (problem) return { status: 400, body: { ok: false, error_code: 400, description: problem } };
    }
    this.messages.push({ chatId: String(body.chat_id), text, parseMode, at: Date.now() });
    return { body: { ok: true, result: { message_id: this.messages.length, chat: { id: Number(CHAT_ID) }, text } } };
  }
}

export interface ReceivedMail {
  mail: ParsedMail;
  user: string | undefined;
  envelopeTo: string[];
}

/** A real SMTP server on 127.0.0.1 with AUTH PLAIN / LOGIN (plain text is fine on loopback). */
export class FakeSmtp {
  readonly received: ReceivedMail[] = [];
  authFailures = 0;
  private server: SMTPServer;
  port = 0;

  constructor(readonly user = 'alerts@example.com', readonly pass = 'smtp-p@ss:word/Secret42') {
    this.server = new SMTPServer({
      logger: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth: (auth, _session, cb) => {
        if (auth.username === this.user && auth.password === this.pass) return cb(null, { user: auth.username });
        this.authFailures++;
        const err = new Error('Authentication credentials invalid') as Error & { responseCode: number };
        err.responseCode = 535;
        return cb(err);
      },
      onData: (stream, session, cb) => {
        simpleParser(stream)
          .then((mail) => {
            this.received.push({ mail, user: typeof session.user === 'string' ? session.user : undefined, envelopeTo: session.envelope.rcptTo.map((r) => r.address) });
            cb();
          })
          .catch((e: Error) => cb(e));
      },
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  url(user = this.user, pass = this.pass): string {
    return `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${this.port}`;
  }
}

/** What a RecordingChannel does on one call. */
export type Behaviour = 'ok' | DeliveryError | { delayMs: number; then?: 'ok' | DeliveryError };

/** An in-process channel: records the time of each call and follows a script. */
export class RecordingChannel implements Channel {
  readonly calls: { alert: Alert; at: number }[] = [];
  readonly delivered: Alert[] = [];
  readonly script: Behaviour[] = [];
  readonly description: string;

  constructor(readonly id: ChannelId, private readonly fallback: Behaviour = 'ok') {
    this.description = `recording ${id}`;
  }

  async send(alert: Alert): Promise<void> {
    this.calls.push({ alert, at: Date.now() });
    let b = this.script.shift() ?? this.fallback;
    if (typeof b === 'object' && !(b instanceof DeliveryError)) {
      const { delayMs, then } = b;
      await new Promise((r) => setTimeout(r, delayMs));
      b = then ?? 'ok';
    }
    if (b instanceof DeliveryError) throw b;
    this.delivered.push(alert);
  }
}
