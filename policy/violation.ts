/** What a policy reports about a plan, at the level the pack config gives it. */
export interface Violation {
  policy: string;
  level: "mandatory" | "advisory";
  urn?: string;
  /** `type::name` of the resource, for reading without the URN's stack and project. */
  resource?: string;
  message: string;
  /** Set when the stack file acknowledges it (`paved:policy.acknowledge`): shown, never counted. */
  acknowledged?: { reason: string; expires: string };
}
