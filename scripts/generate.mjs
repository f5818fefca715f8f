// Rewrites the parts of package.json, package.nls.json and README.md that come from the provider
// descriptors. Plain node on the compiled sources (`npm run generate` compiles them first).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const docs = createRequire(import.meta.url)(path.join(root, 'out/src/core/providers/providerDocs.js'));
const at = (f) => path.join(root, f);

const nlsFile = at('package.nls.json');
const files = {
  'package.json': docs.generatePackageJson(readFileSync(at('package.json'), 'utf8')),
  'package.nls.json': docs.generateNls(existsSync(nlsFile) ? readFileSync(nlsFile, 'utf8') : undefined),
  'README.md': docs.generateReadme(readFileSync(at('README.md'), 'utf8')),
};
for (const [name, text] of Object.entries(files)) {
  const before = existsSync(at(name)) ? readFileSync(at(name), 'utf8') : undefined;
  if (before === text) continue;
  writeFileSync(at(name), text);
  console.log(`generate: wrote ${name}`);
}
