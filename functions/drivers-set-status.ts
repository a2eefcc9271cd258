import { createHandler } from './core/handler';
import { driversSetStatus } from './drivers/fan-out-operations';

export const handler = createHandler(driversSetStatus);
