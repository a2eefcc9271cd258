/** `npm start` listens on loopback unless GATEWAY_HOST says otherwise, and then warns. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bindHost } from '../../local/bind-host';

describe('bindHost', () => {
  it('is 127.0.0.1 by default and ignores the generic HOST variable', () => {
    expect(bindHost({})).toEqual({ host: '127.0.0.1' });
    expect(bindHost({ HOST: '0.0.0.0' })).toEqual({ host: '127.0.0.1' });
  });

  it('takes an explicit GATEWAY_HOST, quietly when it is loopback', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1']) expect(bindHost({ GATEWAY_HOST: host })).toEqual({ host });
  });

  it('warns loudly for any other address', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'gateway.example']) {
      const { host: bound, warning } = bindHost({ GATEWAY_HOST: host });
      expect(bound).toBe(host);
      expect(warning).toMatch(/^WARNING: driver-gateway is listening on .+, not on loopback/);
      expect(warning).toContain('vendor credentials');
    }
  });

  it('npm start prints the warning on stderr before it tries to listen', async () => {
    // 192.0.2.1 (TEST-NET-1) is on no interface here: the bind fails, so nothing is ever exposed.
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
      env: { ...process.env, GATEWAY_HOST: '192.0.2.1', PORT: '0', LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).toContain('WARNING: driver-gateway is listening on 192.0.2.1, not on loopback');
    expect(stderr).toContain('EADDRNOTAVAIL');
    expect(code).not.toBe(0);
  });
});
