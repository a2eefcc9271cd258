import { afterEach, describe, expect, it, vi } from 'vitest';
import { admitCall, recordOutcome, resetCircuits } from '../../functions/core/circuit-breaker';
import { setMetricSink } from '../../functions/core/metrics';
import { Problem } from '../../functions/core/problem';

afterEach(() => {
  resetCircuits();
  vi.unstubAllEnvs();
});

describe('circuit breaker', () => {
  it('opens after the threshold of consecutive failures, answers 503 with Retry-After, then probes and closes', () => {
    vi.stubEnv('VENDOR_CIRCUIT_THRESHOLD', '3');
    vi.stubEnv('VENDOR_CIRCUIT_COOLDOWN_MS', '10000');
    const metrics: string[] = [];
    setMetricSink((line) => metrics.push(line));
    for (let i = 0; i < 2; i += 1) {
      admitCall('samsara', 0);
      recordOutcome('samsara', false, 0);
    }
    admitCall('samsara', 0);
    recordOutcome('samsara', false, 0);
    expect(metrics.some((line) => line.includes('"VendorCircuitOpen":1'))).toBe(true);
    let refused: unknown;
    try {
      admitCall('samsara', 4_000);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(Problem);
    expect(refused).toMatchObject({ status: 503, type: 'vendor-circuit-open', options: { retryAfter: 6, vendor: { name: 'samsara' } } });
    expect(() => admitCall('drivequant', 4_000)).not.toThrow();

    admitCall('samsara', 10_000); // the probe
    expect(() => admitCall('samsara', 10_001)).toThrow(Problem); // only one probe at a time
    recordOutcome('samsara', true, 10_050);
    expect(() => admitCall('samsara', 10_060)).not.toThrow();
  });

  it('a failed probe opens the circuit again; a success in between resets the count', () => {
    vi.stubEnv('VENDOR_CIRCUIT_THRESHOLD', '2');
    vi.stubEnv('VENDOR_CIRCUIT_COOLDOWN_MS', '1000');
    recordOutcome('focus', false, 0);
    recordOutcome('focus', true, 0);
    recordOutcome('focus', false, 0);
    expect(() => admitCall('focus', 0)).not.toThrow();
    recordOutcome('focus', false, 0);
    expect(() => admitCall('focus', 500)).toThrow(Problem);
    admitCall('focus', 1_000);
    recordOutcome('focus', false, 1_000);
    expect(() => admitCall('focus', 1_500)).toThrow(Problem);
  });

  it('0 disables it', () => {
    vi.stubEnv('VENDOR_CIRCUIT_THRESHOLD', '0');
    for (let i = 0; i < 10; i += 1) recordOutcome('chargeapi', false, 0);
    expect(() => admitCall('chargeapi', 0)).not.toThrow();
  });
});
