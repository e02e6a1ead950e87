/**
 * The floor the plan is measured against: a process that only loads the Pulumi SDK and the
 * provider SDKs the program uses, under the same loader. What the plan takes beyond this is
 * paved's own start-up and work.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

/** `@pulumi/pulumi` and every dependency that is a Pulumi provider SDK (`"pulumi": {"resource": true}`). */
export function providerPackages(root: string): string[] {
  const { dependencies } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  const isProvider = (name: string) =>
    (JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")) as { pulumi?: { resource?: boolean } }).pulumi?.resource === true;
  return ["@pulumi/pulumi", ...Object.keys(dependencies).filter((name) => name !== "@pulumi/pulumi" && isProvider(name))];
}

if (require.main === module) {
  const root = join(__dirname, "..");
  const load = createRequire(join(root, "package.json"));
  for (const name of providerPackages(root)) load(name);
}
