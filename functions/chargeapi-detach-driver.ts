import { createHandler } from './core/handler';
import { chargeapiDetachDriver } from './providers/chargeapi/detach-driver';

export const handler = createHandler(chargeapiDetachDriver);
