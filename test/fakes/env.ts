/** Fast settings for provider tests: short backoff, short timeouts, quick polling. */
export function useFastEnv(vars: Record<string, string>): void {
  Object.assign(process.env, {
    PAVED_HTTP_BASE_DELAY_MS: "5",
    PAVED_HTTP_TIMEOUT_MS: "1500",
    PAVED_HTTP_MAX_RETRIES: "3",
    PAVED_POLL_INTERVAL_MS: "5",
    PAVED_POLL_TIMEOUT_MS: "5000",
    ...vars,
  });
}

/** Runs `f` and returns the error it throws, failing if it does not throw. */
export async function errorOf(f: () => Promise<unknown>): Promise<Error> {
  try {
    await f();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** A provider's create, with the outputs it must always return. */
export async function created<I, O>(
  provider: { create: (inputs: I) => Promise<{ id: string; outs?: O }> },
  inputs: I,
): Promise<{ id: string; outs: O }> {
  const r = await provider.create(inputs);
  if (!r.outs) throw new Error("create returned no outputs");
  return { id: r.id, outs: r.outs };
}
