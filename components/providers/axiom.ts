import { AXIOM_DATASET_KINDS } from "../resources/axiom";
import { Checker, type Crud, diffFields, readOrGone } from "./common";
import { type ApiClient, clientFromEnv, isAmbiguous, isNotFound, type ServiceEnv } from "./http";

/** Axiom's credentials and endpoint: `AXIOM_TOKEN` (an API token that may manage datasets), `AXIOM_API_URL`. */
export const AXIOM_ENV: ServiceEnv = {
  service: "Axiom",
  keyVar: "AXIOM_TOKEN",
  urlVar: "AXIOM_API_URL",
  defaultUrl: "https://api.axiom.co/v2",
};

const FIELDS = ["name", "kind", "description", "retentionDays"] as const;
const REPLACE_ON = ["name", "kind"];
/** Axiom's rule for names: letters, digits, `-`, `_`, `.`, none of those three first or last, at most 80, never `axiom-…`. */
export const AXIOM_DATASET_NAME = /^(?!axiom-)[A-Za-z0-9](?:[A-Za-z0-9._-]{0,78}[A-Za-z0-9])?$/;
/** The longest retention paved sets: ten years; Axiom's plan caps it lower. */
export const MAX_RETENTION_DAYS = 3650;

/** A dataset's resolved inputs. */
export interface AxiomDatasetInputs {
  name: string;
  kind: string;
  description: string;
  /** Days events are kept; 0 is Axiom's "no retention period". */
  retentionDays: number;
}

/** The dataset's state: its inputs and the id Axiom gave it. */
export interface AxiomDatasetOutputs extends AxiomDatasetInputs {
  datasetId: string;
}

interface DatasetBody {
  id: string; name: string; kind: string; description: string; useRetentionPeriod?: boolean; retentionDays?: number;
}

function axiomClient(): ApiClient {
  return clientFromEnv(AXIOM_ENV, { errorMessage: (b) => (b && typeof b === "object" && typeof (b as { message?: unknown }).message === "string" ? (b as { message: string }).message : undefined) });
}

/** Axiom's retention pair: a period is used only when there is one to use. */
const retention = (i: AxiomDatasetInputs) => ({ useRetentionPeriod: i.retentionDays > 0, retentionDays: i.retentionDays });

/** The POST body, field by field from Axiom's `CreateDataset`. */
const createBody = (i: AxiomDatasetInputs) => ({ name: i.name, kind: i.kind, description: i.description, ...retention(i) });

function fromApi(d: DatasetBody): AxiomDatasetInputs {
  return { name: d.name, kind: d.kind, description: d.description ?? "", retentionDays: d.useRetentionPeriod ? d.retentionDays ?? 0 : 0 };
}

const path = (id: string) => `/datasets/${encodeURIComponent(id)}`;

/** CRUD for `paved:axiom:Dataset`. */
export const axiomDatasetProvider: Crud<AxiomDatasetInputs, AxiomDatasetOutputs> = {
  async check(_olds, news) {
    const inputs: AxiomDatasetInputs = { ...news, kind: news.kind ?? "axiom:events:v1", description: news.description ?? "" };
    const c = new Checker(inputs as unknown as Record<string, unknown>);
    c.string("name", { required: true, pattern: AXIOM_DATASET_NAME, hint: "up to 80 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, not starting with axiom-" });
    c.string("kind", { oneOf: AXIOM_DATASET_KINDS });
    c.string("description");
    c.number("retentionDays", { required: true, integer: true, min: 0, max: MAX_RETENTION_DAYS });
    return c.result(inputs);
  },

  async diff(_id, olds, news) {
    // The name is the dataset's id: a new kind under the same name needs the old dataset gone first.
    return diffFields(olds as never, news as never, FIELDS, REPLACE_ON, () => olds.name === news.name);
  },

  async create(inputs) {
    const c = axiomClient();
    let made: DatasetBody;
    try {
      made = await c.request<DatasetBody>("POST", "/datasets", { body: createBody(inputs) });
    } catch (err) {
      // The answer was lost, not the create: the dataset of this name is the one just made.
      if (!isAmbiguous(err) && (err as { kind?: string }).kind !== "parse") throw err;
      made = await c.request<DatasetBody>("GET", path(inputs.name)).catch(() => { throw err; });
    }
    return { id: made.id, outs: { ...inputs, datasetId: made.id } };
  },

  async read(id) {
    const c = axiomClient();
    return readOrGone(async () => {
      const inputs = fromApi(await c.request<DatasetBody>("GET", path(id)));
      return { id, props: { ...inputs, datasetId: id }, inputs };
    });
  },

  async update(id, _olds, news) {
    // The whole of `UpdateDataset` each time: a repeat ends the same as one, so a 5xx retries.
    await axiomClient().request("PUT", path(id), { body: { description: news.description, ...retention(news) }, retry: true });
    return { outs: { ...news, datasetId: id } };
  },

  async delete(id) {
    await axiomClient().request("DELETE", path(id), { retry: true }).catch((e) => {
      if (!isNotFound(e)) throw e;
    });
  },
};
