/**
 * Imported first by the plan and by the entry point `pulumi preview` / `up` run: with source maps on (tsx turns them on), Node reads and parses a
 * map for every module it loads, the SDK's and the providers' included, and maps every stack the
 * SDK takes of a resource's declaration; the plan shows neither. `PAVED_SOURCE_MAPS=1` keeps
 * them, for source positions in the stack of an unexpected failure.
 */
if (!process.env.PAVED_SOURCE_MAPS) {
  process.setSourceMapsEnabled(false);
  // Under `pulumi preview` / `up` the SDK's run harness has registered source-map-support, which
  // maps every frame of every stack the SDK takes through the source-map library; V8's own
  // formatting is all the SDK reads a declaration's position from.
  delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
}
