import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { PavedInputError } from "./errors";

/** How one branch is guarded. Force pushes and deletion are always blocked. */
export interface BranchRules {
  /** Status check names that must pass, e.g. `["ci/test", "ci/build"]`. */
  requiredChecks: string[];
  /** Changes arrive only through reviewed pull requests; `undefined` allows direct pushes. */
  pullRequest?: {
    /** Approving reviews needed, 1 to 6. */
    approvals: number;
    /** Whether code owners must approve changes to the files they own. */
    codeOwnerReview: boolean;
  };
  /** The rules bind administrators too (Scorecard: "applies to admins"). */
  enforceAdmins: boolean;
  /** No merge commits on the branch. */
  linearHistory: boolean;
  /** Every review conversation resolved before merging. */
  conversationResolution: boolean;
}

export interface DeploymentGate {
  /** GitHub user ids whose approval a deploy waits for (numeric: `gh api users/<login> --jq .id`). @default [] */
  users?: number[];
  /** GitHub team ids whose approval a deploy waits for (`gh api orgs/<org>/teams/<slug> --jq .id`). @default [] */
  teams?: number[];
}

export interface RepositoryArgs {
  /** GitHub repository as owner/name, e.g. `planningos/planningos`; the provider's `github:owner` must be the owner. */
  repository: string;
  /** The branch this environment deploys, e.g. `main`. */
  branch: string;
  /** GitHub environment name, e.g. `production` or `pr-42`. */
  environment: string;
  /** Protection of `branch`; previews leave it out (their branch is a pull request's). @default undefined */
  protection?: BranchRules;
  /** Who approves a deploy to this environment. @default no reviewers */
  reviewers?: DeploymentGate;
  /** Actions variables of the environment, by name, e.g. `{ APP_URL: web.url }`. @default {} */
  variables?: Record<string, pulumi.Input<string>>;
  /** Actions secrets of the environment, by name; always passed on as secret. @default {} */
  secrets?: Record<string, pulumi.Input<string>>;
  /** Repository-wide settings; only the stack that owns the repository sets this. @default false */
  manageRepository?: boolean;
}

/**
 * One environment's guardrails on GitHub: protection of its branch, a deployment
 * environment gated by reviewers and limited to that branch, and the Actions variables
 * and secrets its deploy workflows read. The owner stack also manages repository settings.
 */
export class Repository extends pulumi.ComponentResource {
  static readonly TYPE = "paved:github:Repository";
  /** Name of the GitHub environment deploy workflows target. */
  readonly environment: pulumi.Output<string>;

  constructor(name: string, args: RepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(name, args); // before super(): a bad argument must not register anything
    super(Repository.TYPE, name, {}, opts);
    const repo = args.repository.split("/")[1];
    if (args.manageRepository) this.createRepositorySettings(name, repo);
    if (args.protection) this.createProtection(name, repo, args.branch, args.protection);
    const environment = this.createEnvironment(name, repo, args);
    this.createActionsValues(name, repo, environment, args);
    this.environment = environment.environment;
    this.registerOutputs({ environment: this.environment });
  }

  // Classic protection, not a ruleset: it has enforceAdmins and is what Scorecard and checkov read directly.
  private createProtection(name: string, repo: string, branch: string, rules: BranchRules): void {
    const pr = rules.pullRequest;
    new github.BranchProtection(`${name}-protection`, {
      repositoryId: repo,
      pattern: branch,
      enforceAdmins: rules.enforceAdmins,
      allowsForcePushes: false,
      allowsDeletions: false,
      requiredLinearHistory: rules.linearHistory,
      requireConversationResolution: rules.conversationResolution,
      requiredStatusChecks: [{ strict: true, contexts: rules.requiredChecks }],
      requiredPullRequestReviews: pr ? [{
        requiredApprovingReviewCount: pr.approvals,
        requireCodeOwnerReviews: pr.codeOwnerReview,
        dismissStaleReviews: true,
        requireLastPushApproval: true,
      }] : [],
    }, { parent: this });
  }

  private createEnvironment(name: string, repo: string, args: RepositoryArgs): github.RepositoryEnvironment {
    const users = args.reviewers?.users ?? [];
    const teams = args.reviewers?.teams ?? [];
    const environment = new github.RepositoryEnvironment(`${name}-environment`, {
      repository: repo,
      environment: args.environment,
      reviewers: users.length || teams.length ? [{ users, teams }] : [],
      preventSelfReview: true,
      canAdminsBypass: false,
      // Named branches rather than "any protected branch": develop is protected too, and must not deploy production.
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    }, { parent: this });
    new github.RepositoryEnvironmentDeploymentPolicy(`${name}-deploy-branch`, {
      repository: repo, environment: environment.environment, branchPattern: args.branch,
    }, { parent: this });
    return environment;
  }

  private createActionsValues(name: string, repo: string, environment: github.RepositoryEnvironment, args: RepositoryArgs): void {
    for (const [variableName, value] of Object.entries(args.variables ?? {})) {
      new github.ActionsEnvironmentVariable(`${name}-var-${kebab(variableName)}`, {
        repository: repo, environment: environment.environment, variableName, value,
      }, { parent: this });
    }
    for (const [secretName, value] of Object.entries(args.secrets ?? {})) {
      new github.ActionsEnvironmentSecret(`${name}-secret-${kebab(secretName)}`, {
        repository: repo, environment: environment.environment, secretName, value: pulumi.secret(value),
      }, { parent: this });
    }
  }

  private createRepositorySettings(name: string, repo: string): void {
    // The repository already exists: it is adopted with `pulumi import` (see README) and never deleted by paved.
    const repository = new github.Repository(`${name}-repository`, {
      name: repo,
      deleteBranchOnMerge: true,
      // Squash and rebase only, so merges keep the protected branches' history linear.
      allowMergeCommit: false,
      allowSquashMerge: true,
      allowRebaseMerge: true,
      securityAndAnalysis: {
        secretScanning: { status: "enabled" },
        secretScanningPushProtection: { status: "enabled" },
      },
    }, {
      parent: this, protect: true, retainOnDelete: true,
      // Settings paved does not manage keep whatever the repository has.
      ignoreChanges: ["description", "homepageUrl", "visibility", "hasIssues", "hasProjects", "hasWiki",
        "hasDiscussions", "topics", "archived", "isTemplate", "allowAutoMerge", "allowUpdateBranch"],
    });
    const alerts = new github.RepositoryVulnerabilityAlerts(`${name}-vulnerability-alerts`, {
      repository: repository.name, enabled: true,
    }, { parent: this });
    // Security updates need the alerts on: the repository name flows through them.
    new github.RepositoryDependabotSecurityUpdates(`${name}-security-updates`, {
      repository: alerts.repository, enabled: true,
    }, { parent: this });
  }
}

function validate(name: string, args: RepositoryArgs): void {
  const problems: string[] = [];
  const where = `Repository "${name}"`;
  if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(args.repository)) problems.push(`${where}: repository is "${args.repository}"; expected owner/name`);
  const approvals = args.protection?.pullRequest?.approvals;
  if (approvals !== undefined && !(Number.isInteger(approvals) && approvals >= 1 && approvals <= 6)) {
    problems.push(`${where}: protection.pullRequest.approvals is ${approvals}; expected a whole number from 1 to 6`);
  }
  const ids = [...(args.reviewers?.users ?? []), ...(args.reviewers?.teams ?? [])];
  if (ids.some((id) => !Number.isInteger(id) || id <= 0)) problems.push(`${where}: reviewers has ${ids.join(", ")}; expected numeric GitHub user and team ids`);
  if (ids.length > 6) problems.push(`${where}: reviewers has ${ids.length} entries; expected at most 6 (GitHub's limit)`);
  const shared = Object.keys(args.variables ?? {}).filter((key) => key in (args.secrets ?? {}));
  if (shared.length) problems.push(`${where}: ${shared.join(", ")} in both variables and secrets; expected each name once`);
  if (problems.length) throw new PavedInputError(problems);
}

const kebab = (envName: string) => envName.toLowerCase().replace(/_/g, "-");
