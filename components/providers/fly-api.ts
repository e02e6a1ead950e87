import { ApiClient, clientFromEnv, type ServiceEnv } from "./http";

/** Fly's credentials and endpoint: `FLY_API_TOKEN`, `FLY_API_URL` (the Machines API). */
export const FLY_ENV: ServiceEnv = {
  service: "Fly",
  keyVar: "FLY_API_TOKEN",
  urlVar: "FLY_API_URL",
  defaultUrl: "https://api.machines.dev/v1",
};

export function flyClient(): ApiClient {
  return clientFromEnv(FLY_ENV);
}

/** Path segment for a user-given name, so a slash in it cannot reach another route. */
export const seg = (s: string): string => encodeURIComponent(s);
