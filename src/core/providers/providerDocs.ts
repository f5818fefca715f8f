// The parts of package.json, package.nls.json and README.md that are generated from the
// provider descriptors (`npm run generate`); test/unit/providerDocs.test.ts fails when a file
// has drifted from them.
import * as z from 'zod/mini';
import { AccountSchema } from '../model';
import { baseUrlEnv, currencyEnv } from '../envAccounts';
import { PROVIDERS } from './registry';

const providers = Object.values(PROVIDERS);
const NLS_PREFIX = 'config.accounts.items';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema> };

/** What the settings editor shows: the English of every `%key%` the item schema uses. */
export function accountNls(): Record<string, string> {
  const nls: Record<string, string> = {};
  for (const [name, schema] of Object.entries(AccountSchema.shape)) {
    const text = z.globalRegistry.get(schema)?.description;
    if (text) nls[`${NLS_PREFIX}.${name}.markdownDescription`] = text;
  }
  for (const p of providers) nls[`${NLS_PREFIX}.provider.enumDescriptions.${p.id}`] = p.summary;
  for (const p of providers) {
    for (const [name, option] of Object.entries(p.options ?? {})) nls[`${NLS_PREFIX}.${name}.markdownDescription`] = option.description;
  }
  return nls;
}

/** The `llmBalance.accounts` item schema: AccountSchema as JSON Schema, its texts as `%key%`s. */
export function accountItemSchema(): JsonSchema {
  const json = z.toJSONSchema(AccountSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  // Loose (unknown keys such as the CLI's keyEnv pass), which JSON Schema says by default.
  delete json.additionalProperties;
  const nls = accountNls();
  for (const [name, prop] of Object.entries(json.properties ?? {})) {
    delete prop.description;
    delete prop.propertyNames;
    const key = `${NLS_PREFIX}.${name}.markdownDescription`;
    if (nls[key]) prop.markdownDescription = `%${key}%`;
  }
  const provider = json.properties?.provider;
  if (provider) provider.enumDescriptions = providers.map((p) => `%${NLS_PREFIX}.provider.enumDescriptions.${p.id}%`);
  return json;
}

const code = (s: string) => `\`${s}\``;

export function readmeProviderTable(): string {
  return [
    '| provider | reports | key | cannot report |',
    '|---|---|---|---|',
    ...providers.map((p) => `| ${code(p.id)} | ${p.readme.reports} | ${p.readme.key} | ${p.readme.cannot} |`),
  ].join('\n');
}

export function readmeEnvTable(): string {
  const rows: string[] = [];
  for (const p of providers) {
    if (!p.fromEnvironment) continue;
    const vars = [p.keyEnv, p.adminKeyEnv, ...Object.values(p.options ?? {}).map((o) => o.env)].filter((v): v is string => !!v);
    rows.push(`| ${vars.map(code).join(', ')} | ${p.envNote} |`);
  }
  return [
    '| variable | meaning |',
    '|---|---|',
    ...rows,
    `| ${code(baseUrlEnv('<provider>'))} | e.g. ${code(baseUrlEnv('openrouter'))}; \`https\` required except for localhost |`,
    `| ${code(currencyEnv('<provider>'))} | the account's currency, e.g. ${code(`${currencyEnv('relay')}=CNY`)} for a relay that shows yuan |`,
  ].join('\n');
}

/** Replaces what sits between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`. */
function replaceBlock(text: string, name: string, body: string): string {
  const start = `<!-- generated:${name} (npm run generate) -->`;
  const end = `<!-- /generated:${name} -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README.md has no "${start}" … "${end}" block.`);
  return `${text.slice(0, a + start.length)}\n${body}\n${text.slice(b)}`;
}

export function generateReadme(readme: string): string {
  return replaceBlock(replaceBlock(readme, 'providers', readmeProviderTable()), 'environment', readmeEnvTable());
}

function findSetting(node: unknown, id: string): Record<string, unknown> | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const rec = node as Record<string, unknown>;
  if (rec[id] && typeof rec[id] === 'object') return rec[id] as Record<string, unknown>;
  for (const v of Object.values(rec)) {
    const hit = findSetting(v, id);
    if (hit) return hit;
  }
  return undefined;
}

const json = (o: unknown) => `${JSON.stringify(o, null, 2)}\n`;

export function generatePackageJson(text: string): string {
  const pkg = JSON.parse(text) as { contributes?: unknown };
  const setting = findSetting(pkg.contributes, 'llmBalance.accounts');
  if (!setting) throw new Error('package.json declares no llmBalance.accounts setting.');
  setting.items = accountItemSchema();
  return json(pkg);
}

/** package.nls.json with the account keys regenerated and every other key kept as it is. */
export function generateNls(text: string | undefined): string {
  const nls = text ? (JSON.parse(text) as Record<string, string>) : {};
  const generated = accountNls();
  // In place, so that the keys keep their order in a file people also edit.
  for (const key of Object.keys(nls)) if (key.startsWith(`${NLS_PREFIX}.`) && !(key in generated)) delete nls[key];
  return json(Object.assign(nls, generated));
}
