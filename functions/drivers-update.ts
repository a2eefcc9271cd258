import { createHandler } from './core/handler';
import { driversUpdate } from './drivers/fan-out-operations';

export const handler = createHandler(driversUpdate);
