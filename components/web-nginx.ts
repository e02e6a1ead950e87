/** nginx's site configs for a Docker web: over a static build, or in front of the front end's own server. */

/** The port nginx listens on inside the container. */
export const WEB_SERVER_PORT = 8080;
/** Where the container reads its health, apart from the site's own paths. */
export const WEB_HEALTH_PATH = "/healthz";
/** Docker's DNS on a user-defined network: nginx asks it per request, so a replaced app container is found again. */
const DOCKER_DNS = "127.0.0.11";
const CSP = "Content-Security-Policy";

/** Response headers the container sets on every answer, by name. */
export type SecurityHeaders = Record<string, string>;

/** nginx's site config: the built files, an SPA's fallback to index.html, and the headers on every answer. */
export function nginxConfig(headers: SecurityHeaders): string {
  const add = addHeaders(headers);
  return [
    "server {",
    `  listen ${WEB_SERVER_PORT};`,
    "  server_tokens off;",
    "  root /usr/share/nginx/html;",
    add,
    `  location = ${WEB_HEALTH_PATH} { access_log off; default_type text/plain; return 200 "ok"; }`,
    // A location with add_header of its own would drop the server's; the assets location repeats them.
    `  location /assets/ {\n${add.replace(/^/gm, "  ")}\n    add_header Cache-Control "public, max-age=31536000, immutable" always;\n    try_files $uri =404;\n  }`,
    "  location / { try_files $uri $uri/ /index.html; }",
    "}",
    "",
  ].join("\n");
}

export interface ProxyUpstream {
  /** The app's name on the private network nginx shares with it, e.g. `app`. */ host: string;
  /** The port the app listens on. */ port: number;
  /** The app sends its own CSP (a nonce per response): nginx sets its own only on answers without one. */ cspFromApp: boolean;
}

/**
 * nginx's config in front of a front end's server: every request proxied to it, the headers
 * nginx sets replacing the app's (as the edge's `set` does), the CSP left to an app that sends
 * its own.
 */
export function nginxProxyConfig(headers: SecurityHeaders, upstream: ProxyUpstream): string {
  const own = upstream.cspFromApp && CSP in headers;
  const set = Object.fromEntries(Object.entries(headers).filter(([name]) => !(own && name === CSP)));
  return [
    // add_header leaves out a header whose value is empty: the CSP where the app sent one.
    ...(own ? [`map $upstream_http_content_security_policy $paved_csp {\n  "" ${quote(headers[CSP])};\n  default "";\n}`] : []),
    // A reverse proxy on the server terminates TLS; the app should see the scheme it was asked for.
    'map $http_x_forwarded_proto $paved_forwarded_proto {\n  "" $scheme;\n  default $http_x_forwarded_proto;\n}',
    "server {",
    `  listen ${WEB_SERVER_PORT};`,
    "  server_tokens off;",
    `  resolver ${DOCKER_DNS} valid=10s;`,
    ...[...Object.keys(set), "X-Powered-By"].map((name) => `  proxy_hide_header ${name};`),
    addHeaders(set),
    ...(own ? [`  add_header ${CSP} $paved_csp always;`] : []),
    `  location = ${WEB_HEALTH_PATH} { access_log off; default_type text/plain; return 200 "ok"; }`,
    "  location / {",
    // A variable makes nginx resolve the name per request instead of once at start.
    `    set $paved_app http://${upstream.host}:${upstream.port};`,
    "    proxy_pass $paved_app;",
    "    proxy_http_version 1.1;",
    "    proxy_set_header Host $host;",
    "    proxy_set_header X-Real-IP $remote_addr;",
    "    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "    proxy_set_header X-Forwarded-Proto $paved_forwarded_proto;",
    "  }",
    "}",
    "",
  ].join("\n");
}

const addHeaders = (headers: SecurityHeaders) =>
  Object.entries(headers).map(([name, value]) => `  add_header ${name} ${quote(value)} always;`).join("\n");

/** nginx's double-quoted string: a backslash or quote in a header value is escaped. */
function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
