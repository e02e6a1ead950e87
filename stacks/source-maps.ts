/**
 * Imported first by the plan and by the entry point `pulumi preview` / `up` run: with source maps on (tsx turns them on), Node reads and parses a
 * map for every module it loads, the SDK's and the providers' included, and maps every stack the
 * SDK takes of a resource's declaration; the plan shows neither. `PAVED_SOURCE_MAPS=1` keeps
 * them, for source positions in the stack of an unexpected failure.
 */
if (!process.env.PAVED_SOURCE_MAPS) process.setSourceMapsEnabled(false);
