/**
 * The floor the plan is measured against: a process that only loads the Pulumi SDK and the
 * provider SDKs the program uses, under the same loader. What the plan takes beyond this is
 * paved's own start-up and work.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

export function providerPackages(root: string): string[] {
  const { dependencies } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  return Object.keys(dependencies).filter((name) => /^@pulumi(verse)?\//.test(name) && name !== "@pulumi/policy");
}

if (require.main === module) {
  const root = join(__dirname, "..");
  const load = createRequire(join(root, "package.json"));
  for (const name of providerPackages(root)) load(name);
}
