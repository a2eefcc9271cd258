import { createHandler } from './core/handler';
import { drivequantSetDriverStatus } from './providers/drivequant/set-driver-status';

export const handler = createHandler(drivequantSetDriverStatus);
