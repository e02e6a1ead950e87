import * as pulumi from "@pulumi/pulumi";
import { PavedResource } from "./resource";

/** The dataset kinds Axiom's API takes; logs shipped as JSON events are `axiom:events:v1`. */
export const AXIOM_DATASET_KINDS = ["axiom:events:v1", "otel:logs:v1", "otel:traces:v1", "otel:metrics:v1"] as const;

/** An Axiom dataset and how long it keeps events. */
export interface AxiomDatasetArgs {
  /** Dataset name, unique in the organization; changing it replaces the dataset, e.g. "planningos-production". */
  name: pulumi.Input<string>;
  /** Days Axiom keeps each event; 0 keeps them for as long as the plan allows. */
  retentionDays: pulumi.Input<number>;
  /** One line on what the dataset holds. @default "" */
  description?: pulumi.Input<string>;
  /** Schema the dataset is made for; changing it replaces the dataset. @default "axiom:events:v1" */
  kind?: pulumi.Input<string>;
}

/** An Axiom dataset managed through Axiom's REST API (v2). */
export class AxiomDataset extends PavedResource {
  /** The dataset's id, which Axiom makes its name. */
  declare readonly datasetId: pulumi.Output<string>;

  constructor(name: string, args: AxiomDatasetArgs, opts?: pulumi.CustomResourceOptions) {
    super("axiom:Dataset", name, { ...args, datasetId: undefined }, opts);
  }
}
