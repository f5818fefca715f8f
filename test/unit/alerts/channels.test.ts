import * as assert from 'node:assert/strict';
import { FakeProviderServer, type FakeRequest } from '../../fake/server';
import { channelsFromEnv, createChannels, DeliveryError, type Channel, type ChannelSet } from '../../../src/core/alerts/channels';
import { deliverAlerts } from '../../../src/core/alerts/delivery';
import { formatSubject } from '../../../src/core/alerts/message';
import { assertNoSecret, rejection } from '../helpers';
import { BOT_TOKEN, CHAT_ID, FakeSmtp, FakeTelegram, sampleAlert } from './fakes';

const failure = (p: Promise<unknown>) => rejection(p, DeliveryError);

function only(set: ChannelSet): Channel {
  assert.deepEqual(set.errors, []);
  assert.equal(set.channels.length, 1);
  return set.channels[0]!;
}

describe('alert channels: configuration', () => {
  it('reads nothing from an empty environment', async () => {
    const set = channelsFromEnv({});
    assert.deepEqual(set.channels, []);
    assert.deepEqual(set.errors, []);
    await set.close();
  });

  it('builds every channel from the SPEC §11 variables', async () => {
    const set = channelsFromEnv({
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_CHAT_ID: CHAT_ID,
      SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX',
      DISCORD_WEBHOOK_URL: 'https://discord.com/api/webhooks/123/abcdefghijklmnop',
      WEBHOOK_URL: 'https://example.com/hook?token=s3cr3t-t0ken',
      SMTP_URL: 'smtp://me%40example.com:pa%3Ass@smtp.example.com:587',
      ALERT_EMAIL_TO: 'a@example.com, b@example.com',
      ALERT_EMAIL_FROM: 'LLM Balance <alerts@example.com>',
    });
    assert.deepEqual(set.errors, []);
    assert.deepEqual(set.channels.map((c) => c.id), ['telegram', 'slack', 'discord', 'webhook', 'email']);
    const descriptions = set.channels.map((c) => c.description);
    assert.deepEqual(descriptions, [
      `Telegram chat ${CHAT_ID}`,
      'Slack webhook (hooks.slack.com)',
      'Discord webhook (discord.com)',
      'Webhook (example.com)',
      'E-mail to a@example.com, b@example.com via smtp.example.com:587',
    ]);
    assertNoSecret(descriptions, BOT_TOKEN, 'XXXXXXXXXXXXXXXXXXXXXXXX', 'abcdefghijklmnop', 's3cr3t-t0ken', 'pa:ss');
    await set.close();
  });

  it('reports each wrong setting clearly, without the secret, and keeps the good channels', async () => {
    const set = channelsFromEnv({
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      SLACK_WEBHOOK_URL: 'http://hooks.slack.com/services/T000/B000/SECRETSECRETSECRET',
      DISCORD_WEBHOOK_URL: 'not a url SECRETDISCORD',
      WEBHOOK_URL: 'https://example.com/ok',
      SMTP_URL: 'smtp://user:hunter2-password@smtp.example.com',
      ALERT_EMAIL_FROM: 'x@example.com',
    });
    assert.deepEqual(set.channels.map((c) => c.id), ['webhook']);
    const byVar = Object.fromEntries(set.errors.map((e) => [e.variable, e.message]));
    assert.match(byVar.TELEGRAM_CHAT_ID ?? '', /TELEGRAM_CHAT_ID is not set/);
    assert.match(byVar.SLACK_WEBHOOK_URL ?? '', /must be an https:\/\/ URL/);
    assert.match(byVar.DISCORD_WEBHOOK_URL ?? '', /not a valid URL/);
    assert.match(byVar.ALERT_EMAIL_TO ?? '', /ALERT_EMAIL_TO is not set/);
    assertNoSecret(set.errors, BOT_TOKEN, 'SECRETSECRETSECRET', 'SECRETDISCORD', 'hunter2-password');
    await set.close();
  });

  it('validates the Telegram token, chat id and API base', () => {
    const bad = (env: NodeJS.ProcessEnv) => channelsFromEnv(env).errors.map((e) => e.variable);
    assert.deepEqual(bad({ TELEGRAM_BOT_TOKEN: 'not-a-token-SECRET', TELEGRAM_CHAT_ID: CHAT_ID }), ['TELEGRAM_BOT_TOKEN']);
    assert.deepEqual(bad({ TELEGRAM_CHAT_ID: CHAT_ID }), ['TELEGRAM_BOT_TOKEN']);
    assert.deepEqual(bad({ TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_CHAT_ID: 'my chat' }), ['TELEGRAM_CHAT_ID']);
    assert.deepEqual(bad({ TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_CHAT_ID: '@my_channel' }), []);
    assert.deepEqual(bad({ TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_CHAT_ID: CHAT_ID, TELEGRAM_API_BASE: 'http://tg.example.com' }), ['TELEGRAM_API_BASE']);
    assert.deepEqual(bad({ TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_CHAT_ID: CHAT_ID, TELEGRAM_API_BASE: 'http://127.0.0.1:9' }), []);
  });

  it('validates SMTP_URL and the addresses', () => {
    const bad = (env: NodeJS.ProcessEnv) => channelsFromEnv(env).errors.map((e) => `${e.variable}: ${e.message}`);
    assert.match(bad({ SMTP_URL: 'http://smtp.example.com', ALERT_EMAIL_TO: 'a@b.c', ALERT_EMAIL_FROM: 'a@b.c' })[0] ?? '', /smtp:\/\/ or smtps:\/\//);
    assert.match(bad({ SMTP_URL: 'smtp://u:p@h', ALERT_EMAIL_TO: 'a@b.c' })[0] ?? '', /^ALERT_EMAIL_FROM/);
    assert.deepEqual(bad({ SMTP_URL: 'smtp://me%40example.com:p@h', ALERT_EMAIL_TO: 'a@b.c' }), [], 'the SMTP user is the sender when it is an address');
    assert.match(bad({ SMTP_URL: 'smtp://u:p@h', ALERT_EMAIL_TO: 'a@b.c', ALERT_EMAIL_FROM: 'x@y.z\r\nBcc: evil@x.y' })[0] ?? '', /^ALERT_EMAIL_FROM/);
    assert.match(bad({ ALERT_EMAIL_TO: 'a@b.c' })[0] ?? '', /^SMTP_URL: .*SMTP_URL is not/);
  });
});

describe('alert channels: Telegram', () => {
  const tg = new FakeTelegram();
  let set: ChannelSet;
  before(() => tg.start());
  after(() => tg.stop());
  beforeEach(() => {
    tg.reset();
    set = channelsFromEnv({ TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_CHAT_ID: CHAT_ID, TELEGRAM_API_BASE: tg.url }, { timeoutMs: 2000 });
  });
  afterEach(() => set.close());

  it('sends a MarkdownV2 message that the fake Bot API parses', async () => {
    await only(set).send(sampleAlert());
    assert.equal(tg.messages.length, 1);
    const m = tg.messages[0]!;
    assert.equal(m.chatId, CHAT_ID);
    assert.equal(m.parseMode, 'MarkdownV2');
    assert.match(m.text, /CRITICAL: OpenRouter Balance Low/);
    assert.match(m.text, /\$0\\\.69/);
  });

  it('a 429 carries Telegram\'s retry_after and is retryable', async () => {
    tg.script.push(FakeTelegram.tooMany(3));
    const e = await failure(only(set).send(sampleAlert()));
    assert.equal(e.retryable, true);
    assert.equal(e.retryAfterMs, 3000);
    assert.equal(e.status, 429);
    assert.match(e.message, /HTTP 429: Too Many Requests/);
  });

  it('a wrong chat is reported with a hint, not retried, and never shows the token', async () => {
    const wrong = channelsFromEnv({ TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_CHAT_ID: '42', TELEGRAM_API_BASE: tg.url });
    const e = await failure(only(wrong).send(sampleAlert()));
    await wrong.close();
    assert.equal(e.retryable, false);
    assert.match(e.message, /chat not found.*Check TELEGRAM_CHAT_ID/);
    assertNoSecret(e.message, BOT_TOKEN);
  });

  it('a rejected token (404 for an unknown bot path) never shows the token', async () => {
    const other = '987654321:ZZZdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ';
    const wrong = channelsFromEnv({ TELEGRAM_BOT_TOKEN: other, TELEGRAM_CHAT_ID: CHAT_ID, TELEGRAM_API_BASE: tg.url });
    const e = await failure(only(wrong).send(sampleAlert()));
    await wrong.close();
    assert.match(e.message, /HTTP 404.*Check TELEGRAM_BOT_TOKEN/);
    assertNoSecret(e.message, other, `bot${other}`);
  });

  it('an unreachable API is a retryable network error without the token', async () => {
    const down = channelsFromEnv({ TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_CHAT_ID: CHAT_ID, TELEGRAM_API_BASE: 'http://127.0.0.1:1' });
    const e = await failure(only(down).send(sampleAlert()));
    await down.close();
    assert.equal(e.retryable, true);
    assert.match(e.message, /^Telegram: 127\.0\.0\.1:1 refused the connection/);
    assertNoSecret(e.message, BOT_TOKEN);
  });

  it('through the queue: waits out retry_after, then delivers', async () => {
    tg.script.push(FakeTelegram.tooMany(1));
    const t0 = Date.now();
    const report = await deliverAlerts([sampleAlert()], set.channels, { timeoutMs: 10_000, baseBackoffMs: 10 });
    assert.deepEqual(report, [{ accountId: 'openrouter', level: 'critical', kind: 'level', channel: 'telegram', ok: true, attempts: 2 }]);
    assert.equal(tg.calls, 2);
    assert.ok(tg.messages[0]!.at - t0 >= 1000, 'the retry waited retry_after (1 s)');
  });
});

describe('alert channels: webhooks', () => {
  const hooks = new FakeProviderServer([]);
  before(() => hooks.start());
  after(() => hooks.stop());
  afterEach(() => hooks.reset());
  const SECRET_PATH = '/services/T0001/B0001/abcdefghijklmnopqrstuvwx';

  it('posts the Slack, Discord and generic payloads', async () => {
    for (const p of ['/slack', '/discord', '/generic']) hooks.route('POST', p + SECRET_PATH, { status: p === '/discord' ? 204 : 200, body: p === '/slack' ? 'ok' : undefined });
    const set = channelsFromEnv({
      SLACK_WEBHOOK_URL: hooks.url + '/slack' + SECRET_PATH,
      DISCORD_WEBHOOK_URL: hooks.url + '/discord' + SECRET_PATH,
      WEBHOOK_URL: hooks.url + '/generic' + SECRET_PATH,
    });
    const report = await deliverAlerts([sampleAlert()], set.channels, { timeoutMs: 5000 });
    await set.close();
    assert.deepEqual(report.map((o) => `${o.channel}: ${o.ok}`).sort(), ['discord: true', 'slack: true', 'webhook: true']);
    const body = (p: string): Record<string, unknown> => JSON.parse(hooks.hits(p + SECRET_PATH)[0]!.body) as Record<string, unknown>;
    assert.match(String(body('/slack').text), /^CRITICAL: OpenRouter balance low/);
    assert.ok(Array.isArray(body('/slack').blocks));
    assert.deepEqual(body('/discord').allowed_mentions, { parse: [] });
    const generic = body('/generic');
    assert.equal(generic.event, 'llm-balance.alert');
    assert.equal(generic.account, 'openrouter');
    assert.equal(generic.threshold, 5);
    assert.equal(hooks.hits('/generic' + SECRET_PATH)[0]!.headers['content-type'], 'application/json');
  });

  it('a webhook answering 500 is retried and delivered on the next try', async () => {
    let n = 0;
    hooks.route('POST', '/generic' + SECRET_PATH, () => (++n === 1 ? { status: 500, body: 'Internal Server Error' } : { status: 200, body: '' }));
    const set = channelsFromEnv({ WEBHOOK_URL: hooks.url + '/generic' + SECRET_PATH });
    const logs: string[] = [];
    const report = await deliverAlerts([sampleAlert()], set.channels, { timeoutMs: 5000, baseBackoffMs: 50, log: (l) => logs.push(l) });
    await set.close();
    assert.deepEqual(report, [{ accountId: 'openrouter', level: 'critical', kind: 'level', channel: 'webhook', ok: true, attempts: 2 }]);
    assert.match(logs.join('\n'), /Webhook \(127\.0\.0\.1:\d+\): attempt 1 failed, retrying .* HTTP 500/);
    assertNoSecret(logs, SECRET_PATH, 'abcdefghijklmnopqrstuvwx');
  });

  it('a webhook that keeps failing is reported after the last attempt, with no secret; Discord 429 honours retry_after', async () => {
    hooks.route('POST', '/generic' + SECRET_PATH, (req: FakeRequest) => ({ status: 503, body: { error: `down, you called ${req.path}` } }));
    let discordCalls = 0;
    hooks.route('POST', '/discord' + SECRET_PATH, () => (++discordCalls === 1 ? { status: 429, body: { message: 'You are being rate limited.', retry_after: 0.3, global: false } } : { status: 204 }));
    const set = channelsFromEnv({ WEBHOOK_URL: hooks.url + '/generic' + SECRET_PATH, DISCORD_WEBHOOK_URL: hooks.url + '/discord' + SECRET_PATH });
    const report = await deliverAlerts([sampleAlert()], set.channels, { baseBackoffMs: 20, maxAttempts: 3, timeoutMs: 5000 });
    await set.close();
    const generic = report.find((o) => o.channel === 'webhook')!;
    assert.equal(generic.ok, false);
    assert.equal(generic.attempts, 3);
    assert.match(generic.error ?? '', /^Webhook \(127\.0\.0\.1:\d+\) answered HTTP 503: down, you called .*\(gave up after 3 attempts\)\.$/);
    assertNoSecret(report, SECRET_PATH, 'abcdefghijklmnopqrstuvwx');
    const discord = report.find((o) => o.channel === 'discord')!;
    assert.equal(discord.ok, true);
    assert.equal(discord.attempts, 2);
    const [first, second] = hooks.hits('/discord' + SECRET_PATH);
    assert.ok(first && second);
  });

  it('a revoked webhook (404) is not retried and says which variable to check', async () => {
    hooks.route('POST', '/slack' + SECRET_PATH, { status: 404, body: 'no_service' });
    const set = channelsFromEnv({ SLACK_WEBHOOK_URL: hooks.url + '/slack' + SECRET_PATH });
    const report = await deliverAlerts([sampleAlert()], set.channels, { timeoutMs: 5000, baseBackoffMs: 10 });
    await set.close();
    assert.equal(report[0]!.attempts, 1);
    assert.match(report[0]!.error ?? '', /HTTP 404: no_service\. The webhook URL may be revoked or wrong: check SLACK_WEBHOOK_URL\./);
  });
});

describe('alert channels: e-mail over a real SMTP server', () => {
  const smtp = new FakeSmtp();
  before(() => smtp.start());
  after(() => smtp.stop());
  beforeEach(() => {
    smtp.received.length = 0;
    smtp.authFailures = 0;
  });

  it('logs in, sends, and the parsed mail has the subject, body and recipients', async () => {
    const set = channelsFromEnv({ SMTP_URL: smtp.url(), ALERT_EMAIL_TO: 'dev@example.com, ops@example.com', ALERT_EMAIL_FROM: 'LLM Balance <alerts@example.com>' });
    const alert = sampleAlert();
    await only(set).send(alert);
    await set.close();
    assert.equal(smtp.received.length, 1);
    const { mail, user, envelopeTo } = smtp.received[0]!;
    assert.equal(user, smtp.user);
    assert.deepEqual(envelopeTo, ['dev@example.com', 'ops@example.com']);
    assert.equal(mail.subject, 'CRITICAL: OpenRouter Balance Low');
    assert.equal(mail.subject, formatSubject(alert));
    assert.equal(mail.from?.value[0]?.address, 'alerts@example.com');
    assert.equal(mail.from?.value[0]?.name, 'LLM Balance');
    const text = mail.text ?? '';
    assert.match(text, /CRITICAL: OpenRouter balance low — \$0\.69 left \(threshold \$5\.00\)/);
    assert.match(text, /Threshold: +\$5\.00 \(critical\)/);
    assert.match(text, /Add funds: https:\/\/openrouter\.ai\/settings\/credits/);
    assert.match(text, /at most once every 24 hours/);
    assert.match(String(mail.html), /<strong>CRITICAL: OpenRouter balance low/);
  });

  it('sends the API key error variant with its remediation steps', async () => {
    const set = channelsFromEnv({ SMTP_URL: smtp.url(), ALERT_EMAIL_TO: 'dev@example.com' });
    await only(set).send(sampleAlert({ level: 'error', errorKind: 'auth', balance: null, threshold: null, message: 'ERROR: OpenRouter API key error — the key was rejected. Check the key, its expiry and the account\'s funds.' }));
    await set.close();
    const mail = smtp.received[0]!.mail;
    assert.equal(mail.subject, 'ERROR: OpenRouter API Key Error');
    assert.match(mail.text ?? '', /1\. Check the key.*\n2\. .*expired.*\n3\. Check the account has funds.*\n4\. Update the key where it is configured/);
    assert.equal(mail.from?.value[0]?.address, smtp.user, 'the SMTP user sends when ALERT_EMAIL_FROM is unset');
  });

  it('an SMTP auth failure is reported, not retried, and never shows the password', async () => {
    const wrongPass = 'wrong-p@ssword-Secret99';
    const set = channelsFromEnv({ SMTP_URL: smtp.url(smtp.user, wrongPass), ALERT_EMAIL_TO: 'dev@example.com' });
    const report = await deliverAlerts([sampleAlert()], set.channels, { timeoutMs: 5000, baseBackoffMs: 10 });
    await set.close();
    assert.equal(smtp.received.length, 0);
    assert.equal(smtp.authFailures, 1);
    const o = report[0]!;
    assert.equal(o.ok, false);
    assert.equal(o.attempts, 1);
    assert.match(o.error ?? '', /^E-mail: SMTP login to 127\.0\.0\.1:\d+ failed \(.*535.*\)\. Check the user name and password in SMTP_URL\.$/);
    assertNoSecret(report, wrongPass, encodeURIComponent(wrongPass), smtp.url(smtp.user, wrongPass));
  });

  it('an SMTP server that is down is a retryable failure', async () => {
    const set = createChannels({ SMTP_URL: 'smtp://u:secret-pass-123@127.0.0.1:1', ALERT_EMAIL_TO: 'dev@example.com', ALERT_EMAIL_FROM: 'a@example.com' }, { timeoutMs: 2000 });
    const e = await failure(only(set).send(sampleAlert()));
    await set.close();
    assert.equal(e.retryable, true);
    assert.match(e.message, /^E-mail: could not talk to 127\.0\.0\.1:1/);
    assertNoSecret(e.message, 'secret-pass-123');
  });
});
