/** The plan's Delivery section: what each stack file decides about shipping, in its own words. */
import { describe, expect, it } from "vitest";
import { renderDelivery } from "../../scripts/lib/delivery";
import { readStackFile } from "../../scripts/lib/stack-file";
import { loadEnvironmentConfig } from "../../stacks/config";
import { ROOT } from "../engine/run-program";

const delivery = (file: string, stack?: string) => {
  const { source } = readStackFile(file, ROOT, stack);
  return renderDelivery(loadEnvironmentConfig(source), source)?.split("\n");
};

describe("the plan's Delivery section", () => {
  it("says where production's image comes from and how it is tagged, where its migration runs, and its smoke checks", () => {
    expect(delivery("production")).toEqual([
      "Delivery:",
      "  deploys: on each push to main (deploy.yml), after the production environment's reviewers approve",
      "  image: the digest organization/paved/staging runs, promoted, never rebuilt; tagged sha-<commit>, production and latest",
      "  migrations: \"sqlx migrate run\", run in a one-off Fly machine of the new image, before any machine takes it; a failure stops `pulumi up` with its status " +
        "and the old release keeps serving (before, not after, the deploy: expand-contract changes keep the running release working)",
      "  smoke checks: api /health → 200, web / → 200; a failure redeploys the image that ran before",
    ]);
  });

  it("says when ProjectFlo's migration runs, and Life-OS's and FlightPro's release rules", () => {
    expect(delivery("examples/Pulumi.projectflo-production.yaml", "production")).toContain(
      "  migrations: \"npm run migrate\", run in the new release before it serves (Render's pre-deploy step); a failure stops `pulumi up` with its status " +
        "and the old release keeps serving (before, not after, the deploy: expand-contract changes keep the running release working)");
    expect(delivery("examples/Pulumi.plannior-production.yaml", "production")).toEqual(expect.arrayContaining([expect.stringMatching(/^  migrations: "\.\/migrate", run in the new release before it serves \(Render's pre-deploy step\)/)]));
    expect(delivery("examples/Pulumi.lifeos-production.yaml", "production")).toContain("  migrations: none run by paved (paved:api.migrate)");
    expect(delivery("examples/Pulumi.lifeos-production.yaml", "production")).toContain("  merges into main: only from staging (the required check paved merge source)");
    expect(delivery("examples/Pulumi.flightpro-production.yaml", "production")).toEqual(expect.arrayContaining([
      "  window: tue, thu 10:00-14:00 America/New_York; outside it only with an override reason, recorded",
      "  freeze: 2026-12-20 to 2027-01-02 (the week before the launch and the holidays)",
    ]));
  });

  it("says a staging build is tagged, and a pull request's stack expires", () => {
    expect(delivery("staging")).toContain("  image: built and pushed by this stack, deployed by digest, tagged sha-<commit> and staging (and v* on a release tag)");
    expect(delivery("examples/Pulumi.pr-42.yaml")).toContain("  deploys: on each push to the pull request's branch feature/login (pull-request-stack.yml); destroyed after 7 quiet days");
    expect(delivery("local")).toBeUndefined();
  });
});
