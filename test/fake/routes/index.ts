// Every other file here is one provider's fake API under /<provider>, exporting its `routes`:
// adding a provider's fake is adding its file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FakeRoute } from '../server';

export const defaultRoutes: FakeRoute[] = fs.readdirSync(__dirname)
  .filter((file) => file.endsWith('.js') && file !== 'index.js')
  .sort()
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the folder is the list
  .flatMap((file) => (require(path.join(__dirname, file)) as { routes: FakeRoute[] }).routes);
