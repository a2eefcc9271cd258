/**
 * zod/mini ships no messages; English ones make our 400s readable. Only the English locale is
 * imported (the `zod` entry point would bundle every locale).
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
