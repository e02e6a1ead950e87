/**
 * Pulumi entry point (`main` in Pulumi.yaml). A config mistake ends the run with its
 * message alone: RunError tells the engine to skip the stack trace.
 */
import * as pulumi from "@pulumi/pulumi";
import { PavedInputError } from "../components/errors";
import { program } from "./program";

function main() {
  try {
    return program();
  } catch (err) {
    if (err instanceof PavedInputError) throw new pulumi.RunError(err.message);
    throw err;
  }
}

export = main();
