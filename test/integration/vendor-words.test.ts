/**
 * A vendor's own words, however it spells them: our secret never gets back out (in any spelling a
 * vendor's JSON encoder, form encoder or truncation produces), and the driver data a vendor quotes
 * reaches only the caller who asked — never an event, a Lambda error record or a log line.
 * The "vendor" here is a loopback server answering whatever each case needs, as a live vendor could.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalSecrets } from '../../local/secrets-file';
import { startGateway, type TestGateway } from './gateway';

const TOKEN = 'dq/admin~key+0123456789';
const SOURCE = 'driver-gateway.requests';
const PERSONAL = ['John Smith', 'D1234567', '7700 900123'];

/** Per DriveQuant userId, the answer this vendor gives: the secret in one spelling, or personal data. */
const ANSWERS: Record<string, { status: number; body: string }> = {
  php: { status: 401, body: `{"detail":"invalid key ${TOKEN.replace(/\//g, '\\/')}"}` },
  unicode: { status: 401, body: `{"detail":"invalid key \\u0064${TOKEN.slice(1)}"}` },
  upper: { status: 401, body: JSON.stringify({ message: `INVALID KEY ${TOKEN.toUpperCase()}` }) },
  hex: { status: 401, body: JSON.stringify({ message: `key hex ${Buffer.from(TOKEN).toString('hex')}` }) },
  partial: { status: 401, body: JSON.stringify({ message: `key starting ${TOKEN.slice(0, 18)}... is invalid` }) },
  form: { status: 401, body: JSON.stringify({ message: `got ${new URLSearchParams({ key: TOKEN })}` }) },
  lowerpct: { status: 401, body: JSON.stringify({ message: `got key=${encodeURIComponent(TOKEN).toLowerCase()}` }) },
  text: { status: 401, body: `Invalid key ${TOKEN}` },
  personal: { status: 500, body: JSON.stringify({ message: 'Cannot update driver John Smith, licence D1234567, phone +44 7700 900123' }) },
};
const SPELLINGS = Object.keys(ANSWERS).filter((kind) => kind !== 'personal');
/** Every string inside a value, as the texts a reader would see (not JSON-escaped again). */
const texts = (value: unknown): string =>
  typeof value === 'string' ? value : value && typeof value === 'object' ? Object.entries(value).map(([key, item]) => `${key} ${texts(item)}`).join('\n') : String(value);
const leaked = (text: string): string[] =>
  [TOKEN, TOKEN.replace(/\//g, '\\/'), TOKEN.slice(1), TOKEN.toUpperCase(), Buffer.from(TOKEN).toString('hex'), TOKEN.slice(0, 12), encodeURIComponent(TOKEN).toLowerCase(), new URLSearchParams({ k: TOKEN }).toString().slice(2)].filter(
    (form) => text.includes(form),
  );

let gw: TestGateway;
let vendor: Server;
const saved = process.env.DRIVEQUANT_BASE_URL;

beforeAll(async () => {
  vendor = createServer((req, res) => {
    req.resume();
    const userId = decodeURIComponent(req.url!.split('/')[5] ?? '');
    const answer = ANSWERS[userId] ?? { status: 404, body: '{}' };
    res.writeHead(answer.status, { 'content-type': answer.body.startsWith('{') ? 'application/json' : 'text/plain' });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
  process.env.DRIVEQUANT_BASE_URL = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}`;
  gw = await startGateway({ secrets: { ...loadLocalSecrets(), drivequant: { adminApiKey: TOKEN } }, env: { VENDOR_CIRCUIT_THRESHOLD: '0', VENDOR_RETRY_BASE_MS: '5', VENDOR_MAX_ATTEMPTS: '2' } });
});
afterAll(async () => {
  await gw?.stop();
  process.env.DRIVEQUANT_BASE_URL = saved;
  vendor.closeAllConnections();
  await new Promise((resolve) => vendor.close(resolve));
});

describe('our secret, in any spelling a vendor echoes it', () => {
  it.each(SPELLINGS)('%s: not in the answer, the outcome, the Lambda error or a log line', async (kind) => {
    const logsFrom = gw.logs.length;
    const http = await gw.call('PUT', `/v1/providers/drivequant/drivers/${kind}/status`, { body: { status: 'DISABLE' } });
    expect(http.status).toBe(502);
    expect(http.body.vendor).toMatchObject({ name: 'drivequant', status: 401 });
    const event = await gw.event({ 'detail-type': 'drivequant.setDriverStatus', source: SOURCE, detail: { userId: kind, status: 'DISABLE' } });
    expect(event.body.invocation).toBe('failed');
    expect(leaked(texts(http.body))).toEqual([]);
    expect(leaked(texts(event.body))).toEqual([]);
    expect(leaked(texts(gw.logs.slice(logsFrom).map((line) => JSON.parse(line))))).toEqual([]);
    expect(leaked(gw.logs.slice(logsFrom).join('\n'))).toEqual([]);
  });
});

describe('driver data a vendor quotes', () => {
  it('reaches the caller who asked, and no event, Lambda error record or log line', async () => {
    const logsFrom = gw.logs.length;
    const http = await gw.call('PUT', '/v1/providers/drivequant/drivers/personal/status', { body: { status: 'DISABLE' } });
    expect(http.status).toBe(502);
    expect(http.body.vendor.message).toContain('John Smith');
    const event = await gw.event({ 'detail-type': 'drivequant.setDriverStatus', source: SOURCE, detail: { userId: 'personal', status: 'DISABLE' } });
    expect(event.body.invocation).toBe('failed');
    expect(event.body.error.errorMessage).toBe('vendor-unavailable: drivequant failed to process the request.');
    const elsewhere = `${JSON.stringify(event.body)}\n${gw.logs.slice(logsFrom).join('\n')}`;
    expect(PERSONAL.filter((value) => elsewhere.includes(value))).toEqual([]);
  });
});
