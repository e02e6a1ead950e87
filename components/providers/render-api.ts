import { ApiClient, clientFromEnv, isAmbiguous, type ServiceEnv } from "./http";

/** Render's credentials and endpoint: `RENDER_API_KEY`, `RENDER_API_URL`. */
export const RENDER_ENV: ServiceEnv = {
  service: "Render",
  keyVar: "RENDER_API_KEY",
  urlVar: "RENDER_API_URL",
  defaultUrl: "https://api.render.com/v1",
};

export function renderClient(): ApiClient {
  return clientFromEnv(RENDER_ENV);
}

/** Reads every page of a Render list endpoint, which wraps each item as `{<key>: item, cursor}`. */
export async function renderListAll<T>(
  client: ApiClient,
  path: string,
  key: string,
  query: Record<string, string | undefined> = {},
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const batch = await client.request<Array<Record<string, unknown>>>("GET", path, { query: { ...query, limit: "100", cursor } });
    if (!Array.isArray(batch)) throw new Error(`Render API GET ${path} returned a ${typeof batch}, expected a list`);
    for (const w of batch) items.push(w[key] as T);
    if (batch.length < 100) break;
    cursor = batch[batch.length - 1].cursor as string | undefined;
    if (!cursor) break;
  }
  return items;
}

/**
 * POSTs a create to `path`; when the answer is lost (timeout, 5xx, bad JSON) the create may
 * still have landed, so the one object of that name and owner is adopted instead of making a twin.
 */
export async function renderCreateOrAdopt<T extends { name: string }>(
  client: ApiClient,
  path: string,
  key: string,
  body: { name: string; ownerId: string } & Record<string, unknown>,
): Promise<T> {
  try {
    return await client.request<T>("POST", path, { body });
  } catch (err) {
    if (!isAmbiguous(err) && (err as { kind?: string }).kind !== "parse") throw err;
    const found = (await renderListAll<T>(client, path, key, { name: body.name, ownerId: body.ownerId })).filter((o) => o.name === body.name);
    if (found.length !== 1) throw err;
    return found[0];
  }
}
