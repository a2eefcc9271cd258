import { createHandler } from './core/handler';
import { driversPutLinks } from './drivers/links-operations';

export const handler = createHandler(driversPutLinks);
