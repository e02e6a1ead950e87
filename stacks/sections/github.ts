/**
 * `paved:github`: the guardrails a stack puts on its own branch and GitHub environment,
 * and — in the stack that owns the repository — the repository-wide settings.
 */
import { z } from "zod";
import type { GithubConfig, Kind, SecretsConfig } from "../../components/environment-config";
import type { ConfigSource } from "../source";
import { bool, envName, expected, int, text } from "../fields";
import { quote } from "../redact";

const ids = (what: string) => z.array(
  z.number(expected(`numeric ${what} ids`)).int(expected(`numeric ${what} ids`)).positive(expected(`numeric ${what} ids`)),
  expected(`a list of numeric ${what} ids`),
).max(6, expected(`at most 6 ${what} ids (GitHub's limit)`));

export const github = z.strictObject({
  ownsRepository: bool.optional(),
  requiredChecks: z.array(text("a status check name such as ci/test"), expected("a list of status check names")).optional(),
  requirePullRequest: bool.optional(),
  approvals: int("approving reviews", 1, 6).optional(),
  codeOwnerReview: bool.optional(),
  codeOwners: bool.optional(),
  reviewers: z.strictObject({ users: ids("GitHub user").optional(), teams: ids("GitHub team").optional() },
    expected("an object with users and teams (numeric ids)")).optional(),
  actionsSecrets: z.array(envName, expected("a list of secret names")).optional(),
}, expected("a map of GitHub settings (requiredChecks, approvals, reviewers, ...)"));


/** Per environment kind defaults; `protectsBranch: false` means the stack's branch is a pull request's. */
export const GITHUB_KIND_DEFAULTS: Record<Exclude<Kind, "local">, {
  ownsRepository: boolean; protectsBranch: boolean; requirePullRequest: boolean; needsReviewers: boolean;
}> = {
  production: { ownsRepository: true, protectsBranch: true, requirePullRequest: true, needsReviewers: true },
  staging: { ownsRepository: false, protectsBranch: true, requirePullRequest: false, needsReviewers: false },
  preview: { ownsRepository: false, protectsBranch: false, requirePullRequest: false, needsReviewers: false },
};

const BRANCH_ONLY = ["requiredChecks", "requirePullRequest", "approvals", "codeOwnerReview"] as const;

/** What this section reads of the stack file. */
export interface GithubFile {
  github?: z.infer<typeof github>;
  repository?: string;
}

export function resolveGithub(
  source: ConfigSource, file: GithubFile, kind: Kind, secrets: SecretsConfig, problems: string[],
  given: (key: "repository" | "web") => boolean,
): GithubConfig | undefined {
  const gh = file.github;
  if (!gh) return undefined;
  if (kind === "local") {
    problems.push("paved:github: not available for local stacks (nothing deploys from GitHub); expected no github section");
    return undefined;
  }
  const defaults = GITHUB_KIND_DEFAULTS[kind];
  if (!given("repository") && !given("web")) problems.push("paved:repository: missing; expected owner/name of the GitHub repository paved:github guards");
  // A `secure:` owner the offline plan cannot read is compared on the real path only.
  const owner = source.opaqueKeys?.has("github:owner") ? undefined : source.values["github:owner"];
  if (owner !== undefined && file.repository && owner !== file.repository.split("/")[0]) {
    problems.push(`github:owner: got ${quote("github:owner", owner, source.secretKeys)}; expected ${file.repository.split("/")[0]}, the owner in paved:repository`);
  }
  const requirePullRequest = gh.requirePullRequest ?? defaults.requirePullRequest;
  if (!defaults.protectsBranch) {
    for (const key of BRANCH_ONLY) {
      if (gh[key] !== undefined) problems.push(`paved:github.${key}: set in a ${kind} stack, which protects no branch; expected it in the production or staging stack file`);
    }
  } else {
    if (!gh.requiredChecks?.length) problems.push(`paved:github.requiredChecks: missing; expected at least one status check name, such as ci/test (required for ${kind} stacks)`);
    if (kind === "production" && !requirePullRequest) problems.push("paved:github.requirePullRequest: got false; expected true for production stacks (changes reach production through reviewed pull requests)");
    if (!requirePullRequest) {
      for (const key of ["approvals", "codeOwnerReview"] as const) {
        if (gh[key] !== undefined) problems.push(`paved:github.${key}: set while pull requests are not required; expected paved:github.requirePullRequest: true as well`);
      }
    }
  }
  const reviewers = { users: gh.reviewers?.users ?? [], teams: gh.reviewers?.teams ?? [] };
  if (defaults.needsReviewers && reviewers.users.length + reviewers.teams.length === 0) {
    problems.push(`paved:github.reviewers: missing; expected at least one user or team id for ${kind} stacks (deploys wait for their approval)`);
  }
  gh.actionsSecrets?.forEach((name, i) => {
    if (!(name in secrets.generate) && !secrets.declared?.includes(name)) {
      problems.push(`paved:github.actionsSecrets[${i}]: got ${quote(`paved:github.actionsSecrets[${i}]`, name)}; expected a secret that paved:secrets generates or reads (fromConfig)`);
    }
  });
  return {
    repository: file.repository ?? "",
    environment: kind === "preview" ? source.stack : kind,
    ownsRepository: gh.ownsRepository ?? defaults.ownsRepository,
    protection: defaults.protectsBranch ? {
      requiredChecks: gh.requiredChecks ?? [],
      pullRequest: requirePullRequest ? { approvals: gh.approvals ?? 1, codeOwnerReview: gh.codeOwnerReview ?? false } : undefined,
      enforceAdmins: true,
      linearHistory: requirePullRequest,
      conversationResolution: requirePullRequest,
    } : undefined,
    reviewers,
    actionsSecrets: gh.actionsSecrets ?? [],
    codeOwners: gh.codeOwners ?? false,
  };
}
