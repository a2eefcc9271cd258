import { createHandler } from './core/handler';
import { driversGetLinks } from './drivers/links-operations';

export const handler = createHandler(driversGetLinks);
