import { isValidKey, type FakeReply, type FakeRequest, type FakeRoute } from '../server';

// xAI management API under /xai. Only team XAI_TEAM exists. The error bodies are assumed
// (gRPC-gateway style); PROVIDERS.md gives only the status codes.
export const XAI_TEAM = 'team-test-0001';

export const XAI_UNAUTHORIZED: FakeReply = { status: 401, body: { code: 16, error: 'Invalid management key', message: 'Invalid management key' } };
export const XAI_TEAM_NOT_FOUND: FakeReply = { status: 404, body: { code: 5, error: 'Team not found', message: 'Team not found' } };

export function xaiPath(team: string): string {
  return `/xai/v1/billing/teams/${team}/prepaid/balance`;
}

export function xaiBalance(val: unknown): FakeReply {
  return {
    body: {
      changes: [
        { changeOrigin: 'PURCHASE', amount: { val: '-2500' }, createTime: '2025-05-01T10:00:00Z' },
        { changeOrigin: 'SPEND', amount: { val: '1500' }, createTime: '2025-05-20T10:00:00Z' },
      ],
      total: { val },
    },
  };
}

function balance(req: FakeRequest): FakeReply {
  if (!isValidKey(req.key)) return XAI_UNAUTHORIZED;
  return xaiBalance('-1000');
}

export const routes: FakeRoute[] = [{ method: 'GET', path: xaiPath(XAI_TEAM), handler: balance }];
