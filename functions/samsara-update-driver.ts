import { createHandler } from './core/handler';
import { samsaraUpdateDriver } from './providers/samsara/update-driver';

export const handler = createHandler(samsaraUpdateDriver);
