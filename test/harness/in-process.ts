// Builds a keyhold app in this process with an injected clock, for tests that move time.
import type { AddressInfo } from 'node:net';
import { KMSClient } from '@aws-sdk/client-kms';
import { pino } from 'pino';
import { TestClock, systemRandom } from '../../src/core/clock.js';
import { createApp, initialise, openStore, type App, type KeyholdConfig } from '../../src/server/app.js';
import { testCredentials } from './server.js';

export interface InProcessServer {
  readonly app: App;
  readonly clock: TestClock;
  readonly url: string;
  client(): KMSClient;
  close(): Promise<void>;
}

export async function startInProcess(dataDir: string, clock = new TestClock(), overrides: Partial<KeyholdConfig> = {}): Promise<InProcessServer> {
  const config: KeyholdConfig = {
    dataDir, region: 'us-east-1', accountId: '000000000000', rootPassphrase: undefined, tls: undefined, admin: testCredentials, ...overrides,
  };
  const runtime = { clock, random: systemRandom, logger: pino({ level: 'silent' }) };
  const opened = await openStore(config, runtime);
  await initialise(config, runtime, opened);
  const app = createApp(config, runtime, opened);
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    app,
    clock,
    url,
    // The SDK signs with real time; keep the test clock near it so signatures stay within 5 minutes.
    client: () => new KMSClient({ endpoint: url, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1, systemClockOffset: clock.now().getTime() - Date.now() }),
    close: () => app.close(),
  };
}
