/** Field types shared by the stack-file schema; each carries the "expected ..." text of its error. */
import { z } from "zod";
import { PUBLIC_ENV_PREFIXES } from "../components/environment-config";

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;
const CF_ID = /^[0-9a-f]{32}$/;
// git check-ref-format, the parts that matter for a branch typed into a config file.
export const BRANCH = /^(?!\/|.*\/$|.*\/\/|.*\.\.|.*@\{|.*\.lock$)[A-Za-z0-9._\/-]+$/;

export const expected = (what: string) => ({ error: what });

export const hostname = (what = "a lowercase DNS name such as app.example.com") =>
  z.string(expected(what)).regex(HOSTNAME, expected(what));
export const envName = z
  .string(expected("an environment variable name in UPPER_SNAKE_CASE"))
  .regex(ENV_NAME, expected("an environment variable name in UPPER_SNAKE_CASE"));
export const cloudflareId = (what: string) =>
  z.string(expected(`a 32-character hex ${what}`)).regex(CF_ID, expected(`a 32-character hex ${what}`));
export const int = (what: string, min: number, max: number) =>
  z.number(expected(`${what}: a whole number from ${min} to ${max}`))
    .int(expected(`${what}: a whole number from ${min} to ${max}`))
    .min(min, expected(`${what}: a whole number from ${min} to ${max}`))
    .max(max, expected(`${what}: a whole number from ${min} to ${max}`));
export const bool = z.boolean(expected("true or false"));
export const text = (what: string) => z.string(expected(what)).min(1, expected(what));

/** An image reference pinned by digest, `registry/name@sha256:<64 hex>`; `example` names the registry and repository. */
export const pinnedImage = (example: string) => {
  const what = `an image reference pinned by digest, such as ${example}@sha256:<64 hex>`;
  return z.string(expected(what)).regex(/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._\/-]+@sha256:[0-9a-f]{64}$/, expected(what));
};
/** A URL path a health check asks for. */
export const urlPath = z.string(expected("a URL path such as /health")).regex(/^\/\S*$/, expected("a URL path such as /health"));

export const relativeDir = z
  .string(expected("a path relative to the repository root, such as apps/web"))
  .regex(/^(?!\/)(?!.*\.\.)[A-Za-z0-9._@\/-]+$/, expected("a path relative to the repository root, such as apps/web"));


/** Plain environment variable names that look like credentials: those belong in paved:secrets. */
const SECRET_LOOKING = /(SECRET|TOKEN|PASSWORD|PASSWD|PRIVATE|API_KEY|_KEY$|DATABASE_URL|DSN|CREDENTIAL|(^|_)(PASS|PWD|SK|PAT)$)/;

/**
 * Whether a plain variable's name looks like it holds a secret. A framework's public prefix
 * (`NEXT_PUBLIC_`, `VITE_`, ...) never does: the build ships the value to every browser, so a
 * publishable key or a public DSN under it is public by design.
 */
export function looksSecret(name: string): boolean {
  return !PUBLIC_ENV_PREFIXES.some((prefix) => name.startsWith(prefix)) && SECRET_LOOKING.test(name);
}
