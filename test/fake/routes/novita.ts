import type { FakeRoute } from '../server';

export const routes: FakeRoute[] = [];
