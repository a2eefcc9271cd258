import { createHandler } from './core/handler';
import { driversOffboard } from './drivers/fan-out-operations';

export const handler = createHandler(driversOffboard);
