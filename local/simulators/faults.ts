/**
 * SIMULATOR_FAULTS: `vendor=kind:probability` or `vendor=kind#count`, comma-separated, e.g.
 * `samsara=429:0.3,focus=500#2`. Kinds: an HTTP status, `429-no-retry-after`, `reset`,
 * `timeout`, `slow`, `garbage`, and `echo-<status>` (400-599, or 200): a careless vendor that
 * answers with the credentials it was sent copied into its message, so tests can prove the
 * gateway never passes a vendor's words on verbatim. A `#count` fault hits the next `count`
 * requests, then stops: deterministic, for tests.
 */
type EchoFault = `echo-${number}`;
export type FaultKind = number | '429-no-retry-after' | 'reset' | 'timeout' | 'slow' | 'garbage' | EchoFault;

export interface FaultRule {
  kind: FaultKind;
  probability?: number;
  remaining?: number;
}

const NAMED_KINDS = new Set(['429-no-retry-after', 'reset', 'timeout', 'slow', 'garbage']);

const isErrorStatus = (status: number): boolean => Number.isInteger(status) && status >= 400 && status <= 599;

/** The status an `echo-<status>` fault answers with, or undefined when `kind` is no echo fault. */
export const echoStatus = (kind: FaultKind | undefined): number | undefined =>
  typeof kind === 'string' && kind.startsWith('echo-') ? Number(kind.slice('echo-'.length)) : undefined;

const parseKind = (text: string): FaultKind => {
  if (NAMED_KINDS.has(text)) return text as FaultKind;
  const echo = /^echo-(\d{3})$/.exec(text);
  // 200 too: Focus refuses inside an HTTP 200, and a success body can carry an echo as well.
  if (echo && (Number(echo[1]) === 200 || isErrorStatus(Number(echo[1])))) return `echo-${Number(echo[1])}`;
  const status = Number(text);
  if (isErrorStatus(status)) return status;
  throw new Error(`SIMULATOR_FAULTS: unknown fault kind "${text}" (an HTTP status 400-599, 429-no-retry-after, reset, timeout, slow, garbage or echo-<status 200 or 400-599>)`);
};

export const parseFaults = (spec: string | undefined, vendors: readonly string[]): Map<string, FaultRule[]> => {
  const rules = new Map<string, FaultRule[]>();
  for (const entry of (spec ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const match = /^([a-z]+)=([\w-]+)(?::(\d*\.?\d+)|#(\d+))$/.exec(entry);
    if (!match) throw new Error(`SIMULATOR_FAULTS: "${entry}" is not vendor=kind:probability or vendor=kind#count`);
    const [, vendor, kind, probability, count] = match;
    if (!vendors.includes(vendor!)) throw new Error(`SIMULATOR_FAULTS: unknown vendor "${vendor}" (${vendors.join(', ')})`);
    const rule: FaultRule = { kind: parseKind(kind!) };
    if (probability !== undefined) {
      const p = Number(probability);
      if (p < 0 || p > 1) throw new Error(`SIMULATOR_FAULTS: probability in "${entry}" must be between 0 and 1`);
      rule.probability = p;
    } else rule.remaining = Number(count);
    rules.set(vendor!, [...(rules.get(vendor!) ?? []), rule]);
  }
  return rules;
};

/** Picks the fault for one request, if any; `#count` rules are used up first. */
export const drawFault = (rules: FaultRule[], random: () => number = Math.random): FaultKind | undefined => {
  for (const rule of rules) {
    if (rule.remaining !== undefined && rule.remaining > 0) {
      rule.remaining -= 1;
      return rule.kind;
    }
  }
  for (const rule of rules) {
    if (rule.probability !== undefined && random() < rule.probability) return rule.kind;
  }
  return undefined;
};
