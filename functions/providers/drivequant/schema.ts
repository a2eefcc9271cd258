import * as z from 'zod/mini';
import { pathSegmentId } from '../../core/formats';

export const DRIVER_STATUSES = ['ENABLE', 'DISABLE'] as const;

/** The userId the app initialised the DriveKit SDK with; its format is unconfirmed, so only sanity limits. */
export const statusParams = z.strictObject({
  userId: pathSegmentId(255),
});

export const setStatusRequest = z.strictObject({ status: z.enum(DRIVER_STATUSES) });
export type SetStatusRequest = z.output<typeof setStatusRequest>;

export const setStatusResponse = z.looseObject({ status: z.enum(DRIVER_STATUSES) });
