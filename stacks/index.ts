/**
 * Pulumi entry point (`main` in Pulumi.yaml). A config mistake ends the run with its
 * message alone: RunError tells the engine to skip the stack trace.
 */
import "./source-maps";
import "./debug-log";
import { PavedInputError } from "../components/errors";
import { runError } from "../components/run-error";
import { program } from "./program";

function main() {
  try {
    return program();
  } catch (err) {
    if (err instanceof PavedInputError) throw runError(err.message);
    throw err;
  }
}

export = main();
