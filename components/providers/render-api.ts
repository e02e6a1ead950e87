import { ApiClient, clientFromEnv, type ServiceEnv } from "./http";

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
