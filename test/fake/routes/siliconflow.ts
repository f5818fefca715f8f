import { isValidKey, type FakeReply, type FakeRequest, type FakeRoute } from '../server';

// SiliconFlow under /siliconflow. A bad key gets the bare JSON string (reported).
export const SILICONFLOW_UNAUTHORIZED: FakeReply = { status: 401, body: '"Api key is invalid"' };

export function siliconflowInfo(data: object): FakeReply {
  return { body: { code: 20000, message: 'OK', status: true, data } };
}

export const SILICONFLOW_USER = {
  id: 'userid-0123', name: 'test-user', image: '', email: '', isAdmin: false,
  balance: '0.88', chargeBalance: '88.00', totalBalance: '88.88', status: 'normal',
};

function info(req: FakeRequest): FakeReply {
  if (!isValidKey(req.key)) return SILICONFLOW_UNAUTHORIZED;
  return siliconflowInfo(SILICONFLOW_USER);
}

export const routes: FakeRoute[] = [{ method: 'GET', path: '/siliconflow/v1/user/info', handler: info }];
