/**
 * DriveQuant DriveKit Admin `PUT /v3/drivekit/admin/drivers/{userId}/status`: plain admin key in
 * `DriveKit-Admin-API-Key`; errors in plain text as the neighbouring pages show ("Invalid API key",
 * "Driver Not Found"). Reading the status back is not in the real API: `/_sim/drivers/{userId}`.
 */
import { json, retryAfter, type SimReply, type VendorContract } from './server';

const seed = (): Map<string, 'ENABLE' | 'DISABLE'> => new Map([['susan-jones', 'ENABLE'], ['furious-fred', 'ENABLE']]);
const text = (status: number, body: string): SimReply => ({ status, body });

export const drivequantContract = (apiKey: () => string): VendorContract & { users: () => Map<string, string> } => {
  let users = seed();
  return {
    name: 'drivequant',
    users: () => users,
    authenticate: (request) => (request.headers['drivekit-admin-api-key'] === apiKey() ? apiKey() : undefined),
    unauthorized: () => text(401, 'Invalid API key'),
    rateLimited: (seconds) => ({ ...text(429, 'Too Many Requests'), headers: retryAfter(seconds) }),
    serverError: (status) => text(status, 'Internal Server Error'),
    echo: (status, message) => (status === 200 ? json(200, { status: 'ENABLE', note: message }) : text(status, message)),
    handle: (request) => {
      const [v3, drivekit, admin, drivers, userId, status, ...rest] = request.segments;
      if (v3 !== 'v3' || drivekit !== 'drivekit' || admin !== 'admin' || drivers !== 'drivers' || !userId || status !== 'status' || rest.length) {
        return text(404, 'Not Found');
      }
      if (request.method !== 'PUT') return text(405, 'Method Not Allowed');
      const body = request.body as { status?: unknown } | undefined;
      if (request.jsonError || !body || (body.status !== 'ENABLE' && body.status !== 'DISABLE')) {
        return json(400, { message: 'Bad request: status must be ENABLE or DISABLE' });
      }
      if (!users.has(userId)) return text(404, 'Driver Not Found');
      users.set(userId, body.status);
      return json(200, { status: body.status });
    },
    inspect: (request) => {
      const [, drivers, userId] = request.segments;
      if (drivers !== 'drivers' || !userId) return undefined;
      const status = users.get(userId);
      return status ? json(200, { userId, status }) : text(404, 'Driver Not Found');
    },
    reset: () => {
      users = seed();
    },
  };
};
