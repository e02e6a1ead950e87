/**
 * Small zod builders shared by the config sections. Each carries the "expected ..." half
 * of its error message, like the ones in `schema.ts` (which imports the sections, so the
 * sections cannot import it back).
 */
import { z } from "zod";

export const expected = (what: string) => ({ error: what });
export const bool = z.boolean(expected("true or false"));
export const int = (what: string, min: number, max: number) => {
  const message = expected(`${what}: a whole number from ${min} to ${max}`);
  return z.number(message).int(message).min(min, message).max(max, message);
};
export const text = (what: string) => z.string(expected(what)).min(1, expected(what));
export const envName = z
  .string(expected("an environment variable name in UPPER_SNAKE_CASE"))
  .regex(/^[A-Z][A-Z0-9_]*$/, expected("an environment variable name in UPPER_SNAKE_CASE"));
