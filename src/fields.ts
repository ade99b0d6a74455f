import { z } from 'zod';

/** Config fields that the config schema and the destination kinds' settings share. */
export const nonEmpty = z.string().trim().min(1, 'must not be empty');
export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
