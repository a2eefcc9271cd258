/**
 * No id can change the method, host, path or query a vendor receives: checked on the URL each
 * client would send, parsed the way fetch parses it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { baseUrlFault, baseUrlFor } from '../../functions/core/config';
import { Problem } from '../../functions/core/problem';
import { prepareRequest } from '../../functions/core/vendor-call';
import { assertTarget, vendorPath } from '../../functions/core/vendor-path';
import { detachDriverRequestFor } from '../../functions/providers/chargeapi/client';
import { chargeapi } from '../../functions/providers/chargeapi/vendor';
import { setDriverStatusRequestFor } from '../../functions/providers/drivequant/client';
import { statusParams } from '../../functions/providers/drivequant/schema';
import { drivequant } from '../../functions/providers/drivequant/vendor';
import { updateDriverRequestFor } from '../../functions/providers/samsara/client';
import { driverParams } from '../../functions/providers/samsara/schema';
import { samsara } from '../../functions/providers/samsara/vendor';
import { driverIdParam } from '../../functions/drivers/model';

const HOSTILE = ['.', '..', '%2e', '%2E%2E', '.%2e', '%2F', '/', 'a/../b', '?x=1', '#frag', '\\', '..\\..', '%00', '\u0000', 'a\r\nX-Injected: 1', '\n', '\ud800', '\udfff', 'é', '𝒳', '\u202e', ' ', '...', 'x'.repeat(600)];

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('vendorPath', () => {
  it('makes each value exactly one encoded segment', () => {
    expect(vendorPath`/fleet/drivers/${'payrollId:A B/C?#'}`).toBe('/fleet/drivers/payrollId%3AA%20B%2FC%3F%23');
    expect(vendorPath`/x/${'%2e'}/y`).toBe('/x/%252e/y');
    expect(vendorPath`/x/${'...'}`).toBe('/x/...');
  });

  it('refuses what cannot be one segment: ".", "..", empty, lone surrogates', () => {
    for (const id of ['.', '..', '', '\ud800', 'a\udfff']) {
      expect(() => vendorPath`/fleet/drivers/${id}`, JSON.stringify(id)).toThrow(expect.objectContaining({ type: 'validation-error', status: 400 }));
    }
  });
});

describe('assertTarget', () => {
  it('passes the URL that was built and refuses one the parser would change', () => {
    expect(() => assertTarget('https://api.samsara.com/fleet/drivers/1', 'https://api.samsara.com', '/fleet/drivers/1')).not.toThrow();
    expect(() => assertTarget('https://h.example/api/v1/x', 'https://h.example/api', '/v1/x')).not.toThrow();
    for (const path of ['/fleet/drivers/..', '/fleet/drivers/%2e%2E', '/v3/drivekit/admin/drivers/./status', '/x#y', '/x\\..\\y']) {
      expect(() => assertTarget(`https://h.example${path}`, 'https://h.example', path), path).toThrow(expect.objectContaining({ status: 400 }));
    }
    expect(() => assertTarget('https://evil.example/x', 'https://h.example', '/x')).toThrow();
  });
});

describe('every id-carrying path of every vendor operation, against the hostile battery', () => {
  const builders = [
    { name: 'samsara', url: (id: string) => prepareRequest(samsara, updateDriverRequestFor(id, { name: 'x' }), { apiToken: 't' }).url, intended: (id: string) => `/fleet/drivers/${encodeURIComponent(id)}` },
    { name: 'drivequant', url: (id: string) => prepareRequest(drivequant, setDriverStatusRequestFor(id, { status: 'DISABLE' }), { adminApiKey: 't' }).url, intended: (id: string) => `/v3/drivekit/admin/drivers/${encodeURIComponent(id)}/status` },
    { name: 'chargeapi', url: (id: string) => prepareRequest(chargeapi, detachDriverRequestFor(id, { fleet: 'flt_a' }, 'k'), { secretKey: 't' }).url, intended: (id: string) => `/v1/drivers/${encodeURIComponent(id)}/detach` },
  ];

  it.each(builders.map((b) => [b.name, b] as const))('%s: refused, or sent to exactly the intended path', (_name, b) => {
    process.env[`${b.name.toUpperCase()}_BASE_URL`] = 'https://vendor.example/base';
    let sentCount = 0;
    for (const id of HOSTILE) {
      let url: string;
      try {
        url = b.url(id);
      } catch (error) {
        expect(error, JSON.stringify(id)).toMatchObject({ status: 400 });
        continue;
      }
      sentCount += 1;
      const sent = new URL(url);
      expect(sent.origin).toBe('https://vendor.example');
      expect(`${sent.pathname}${sent.search}${sent.hash}`, JSON.stringify(id)).toBe(`/base${b.intended(id)}`);
    }
    // Most of the battery is sendable once encoded: the check above really ran.
    expect(sentCount).toBeGreaterThan(HOSTILE.length / 2);
  });

  it('the id schemas refuse dot segments, control characters and lone surrogates up front', () => {
    for (const schema of [driverParams.shape.id, statusParams.shape.userId]) {
      for (const id of ['.', '..', '\u0000', 'a\r\nb', '\ud800', 'a/b']) expect(schema.safeParse(id).success, JSON.stringify(id)).toBe(false);
      for (const id of ['%2e', '...', 'é', '𝒳', 'payrollId:ABFS18600']) expect(schema.safeParse(id).success, JSON.stringify(id)).toBe(true);
    }
    expect(driverIdParam.safeParse({ driverId: '..' }).success).toBe(false);
    expect(driverIdParam.safeParse({ driverId: 'E-1001' }).success).toBe(true);
  });
});

describe('base URLs', () => {
  it('refuses user-info, other schemes, queries and fragments, without quoting the URL', () => {
    expect(baseUrlFault('https://api.samsara.com')).toBeUndefined();
    expect(baseUrlFault('http://127.0.0.1:4010/prefix')).toBeUndefined();
    for (const url of ['http://user:hunter2-pass@h.example', 'ftp://h.example', 'https://h.example/?a=1', 'https://h.example/#x', 'h.example']) {
      expect(baseUrlFault(url), url).toBeDefined();
    }
    process.env.SAMSARA_BASE_URL = 'https://user:hunter2-pass@h.example';
    const error = (() => {
      try {
        return baseUrlFor('samsara', undefined);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(Problem);
    expect((error as Problem).type).toBe('configuration-error');
    expect(JSON.stringify((error as Problem).toJSON())).not.toContain('hunter2');
  });
});
