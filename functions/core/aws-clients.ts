/**
 * AWS SDK clients, each created on first use (constructing one costs cold-start time that a
 * rejected request never needs). The local runner resets them when it points the SDK at new
 * loopback endpoints.
 */
const clients = new Map<string, unknown>();

export const lazyClient =
  <T>(name: string, create: () => T): (() => T) =>
  () => {
    let client = clients.get(name) as T | undefined;
    if (!client) {
      client = create();
      clients.set(name, client);
    }
    return client;
  };

export const resetAwsClients = (): void => {
  for (const client of clients.values()) (client as { destroy?: () => void }).destroy?.();
  clients.clear();
};
