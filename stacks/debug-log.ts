/**
 * The SDK logs every RegisterResource and ReadResource answer at debug level as the raw
 * protobuf text, and an answer carries the resource's outputs, secrets decrypted and only
 * marked. `pulumi up --debug` (or -v) in CI would print them. paved keeps those lines and
 * leaves out the answer's text when it holds a secret.
 */
import { specialSigKey } from "@pulumi/pulumi/runtime/rpc";
// The module object itself, which the SDK's runtime reads `debug` from on every call (a namespace import is a frozen copy).
// eslint-disable-next-line @typescript-eslint/no-require-imports
import log = require("@pulumi/pulumi/log");

/** Which answers the SDK prints after `resp: `. */
const ANSWER = /^((?:RegisterResource|ReadResource|getResource Invoke) RPC finished: .*?resp: ).*$/s;

/** A debug line with any secret-marked value left out. */
export function withoutSecrets(message: string): string {
  if (!message.includes(specialSigKey)) return message;
  const answer = ANSWER.exec(message);
  return answer ? `${answer[1]}[not shown: it holds a secret]` : "[a debug line not shown: it holds a secret]";
}

const debug = log.debug;
log.debug = (message, ...rest) => debug(withoutSecrets(message), ...rest);
