/** Finds what must never be logged: secret values, passwords, images, licence numbers, credentials headers. */
import { loadLocalSecrets } from '../../local/secrets-file';

const secretValues = (): string[] =>
  Object.values(loadLocalSecrets())
    .flatMap((secret) => Object.values(secret))
    .filter((value) => value.length >= 8);

/** Licence numbers the suites send or the simulators hold. */
export const LICENCE_NUMBERS = ['E1234567', 'PA1234567', 'Z9988776', 'LIC-55-HYGIENE'];
const PATTERNS = [/Bearer [A-Za-z0-9]/, /Basic [A-Za-z0-9]/, /"password":"(?!\[redacted\])/, /"profileImageBase64":"(?!\[redacted\])/];

export const forbiddenInLogs = (lines: readonly string[], extra: readonly string[] = []): string[] => {
  const needles = [...secretValues(), ...LICENCE_NUMBERS, ...extra];
  return lines.filter((line) => needles.some((needle) => line.includes(needle)) || PATTERNS.some((pattern) => pattern.test(line)));
};
