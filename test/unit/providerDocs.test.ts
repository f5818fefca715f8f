// package.json's account schema, package.nls.json and the README's provider and environment
// tables are generated from the provider descriptors: a forgotten `npm run generate` fails here.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod/mini';
import {
  accountItemSchema, generateNls, generatePackageJson, generateReadme, readmeEnvTable, readmeProviderTable,
} from '../../src/core/providers/providerDocs';
import { optionShape } from '../../src/core/providers/descriptor';
import { PROVIDER_IDS, PROVIDERS } from '../../src/core/providers/registry';

const ROOT = path.resolve(__dirname, '../../..');
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');
const REGENERATE = 'out of date with the provider descriptors: run `npm run generate`';

describe('generated provider docs', () => {
  it('package.json, package.nls.json and README.md are what `npm run generate` writes', () => {
    assert.equal(read('package.json'), generatePackageJson(read('package.json')), `package.json is ${REGENERATE}`);
    assert.equal(read('package.nls.json'), generateNls(read('package.nls.json')), `package.nls.json is ${REGENERATE}`);
    assert.equal(read('README.md'), generateReadme(read('README.md')), `README.md is ${REGENERATE}`);
  });

  it('a changed descriptor shows up as drift', () => {
    const before = readmeProviderTable();
    const xai = PROVIDERS.xai as { readme: { reports: string } };
    const saved = xai.readme.reports;
    xai.readme.reports = 'something else';
    try {
      assert.notEqual(readmeProviderTable(), before);
      assert.notEqual(generateReadme(read('README.md')), read('README.md'));
    } finally {
      xai.readme.reports = saved;
    }
  });

  it('the item schema offers every provider, in the registry order, each with its description key', () => {
    const provider = accountItemSchema().properties?.provider as { enum: string[]; enumDescriptions: string[] };
    assert.deepEqual(provider.enum, PROVIDER_IDS);
    assert.deepEqual(provider.enumDescriptions, PROVIDER_IDS.map((id) => `%config.accounts.items.provider.enumDescriptions.${id}%`));
    const nls = JSON.parse(read('package.nls.json')) as Record<string, string>;
    assert.equal(nls['config.accounts.items.provider.enumDescriptions.xai'], 'xAI prepaid balance (management key + team id)');
    assert.equal(nls['config.accounts.items.teamId.markdownDescription'], 'xAI team id.');
    assert.deepEqual(accountItemSchema().required, ['id', 'provider']);
  });

  it('the environment table lists each key, admin key and option variable, and leaves out custom', () => {
    const table = readmeEnvTable();
    assert.match(table, /^\| `XAI_MANAGEMENT_KEY`, `XAI_TEAM_ID` \| xAI management key and team \|$/m);
    assert.match(table, /^\| `OPENAI_API_KEY`, `OPENAI_ADMIN_KEY` \| /m);
    assert.doesNotMatch(table, /CUSTOM_API_KEY/);
  });

  it('an option two providers both declare is refused', () => {
    const option = { schema: z.string(), description: 'x' };
    assert.throws(
      () => optionShape([
        { ...PROVIDERS.xai, options: { teamId: option } },
        { ...PROVIDERS.relay, options: { teamId: option } },
      ]),
      /"teamId" is declared twice \(relay\)/,
    );
  });
});
