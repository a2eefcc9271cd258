/**
 * A malformed secret or base URL is the operator's configuration error: named by vendor and key,
 * never by value; nothing is sent, nothing is "uncertain", nothing counts against the vendor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal } from '../../local/runner';
import { loadLocalSecrets } from '../../local/secrets-file';
import { startGateway, type TestGateway } from './gateway';
import { vendorState } from './vendors';

const good = loadLocalSecrets();
const BAD_TOKEN = 'samsara-pasted-token-0123';
const BAD_PASSWORD = 'focus-pass-with-nul-0123';
let gw: TestGateway;
let vendors: ReturnType<typeof vendorState>;

beforeAll(async () => {
  gw = await startGateway({
    secrets: { ...good, samsara: { apiToken: `${BAD_TOKEN}\r\n` }, focus: { ...good.focus, password: `${BAD_PASSWORD}\u0000` } },
    env: { VENDOR_CIRCUIT_THRESHOLD: '2', VENDOR_RETRY_BASE_MS: '5' },
  });
  vendors = vendorState(gw);
});
afterAll(() => gw?.stop());

const leaks = (text: string): boolean => text.includes(BAD_TOKEN) || text.includes(BAD_PASSWORD);

describe('a secret with a control character', () => {
  it('is a configuration error naming the vendor and the key, never the value; nothing is sent', async () => {
    for (let i = 0; i < 4; i += 1) {
      const reply = await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { notes: 'x' } });
      // Four times, with a circuit threshold of 2: our misconfiguration never opens the vendor's circuit.
      expect(reply.status).toBe(500);
      expect(reply.body).toMatchObject({ type: 'urn:driver-gateway:problem:configuration-error', detail: expect.stringContaining('samsara') });
      expect(reply.body.detail).toContain('apiToken');
      expect(reply.body.outcome).toBeUndefined(); // not "uncertain": nothing left the process
      expect(leaks(JSON.stringify(reply.body))).toBe(false);
    }
    const focus = await gw.call('POST', '/v1/providers/focus/drivers/update', { body: { identifiers: { driver_number: 'D-1001' }, driver: { city: 'X' } } });
    expect(focus.status).toBe(500);
    expect(focus.body.detail).toContain('password');
    expect(await vendors.requests('samsara')).toEqual([]);
    expect(await vendors.requests('focus')).toEqual([]);
  });

  it('on the event path, what Lambda records names the key and not the value', async () => {
    const reply = await gw.event({ 'detail-type': 'samsara.updateDriver', source: 'driver-gateway.requests', detail: { id: '123', notes: 'x' } });
    expect(reply.body.invocation).toBe('failed');
    expect(reply.body.error.errorMessage).toContain('apiToken');
    expect(leaks(JSON.stringify(reply.body))).toBe(false);
  });

  it('no log line carries the value', () => {
    expect(gw.logs.length).toBeGreaterThan(0);
    expect(gw.logs.filter(leaks)).toEqual([]);
  });
});

describe('a base URL with credentials in it', () => {
  it('stops the runner at start, without repeating the URL', async () => {
    const previous = process.env.SAMSARA_BASE_URL;
    process.env.SAMSARA_BASE_URL = 'http://admin:hunter2-secret@127.0.0.1:9';
    try {
      const started = startLocal({ log: () => undefined });
      await expect(started).rejects.toThrow(/SAMSARA_BASE_URL must not carry credentials/);
      await expect(started).rejects.not.toThrow(/hunter2/);
    } finally {
      process.env.SAMSARA_BASE_URL = previous;
    }
  });
});
