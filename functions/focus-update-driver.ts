import { createHandler } from './core/handler';
import { focusUpdateDriver } from './providers/focus/update-driver';

export const handler = createHandler(focusUpdateDriver);
