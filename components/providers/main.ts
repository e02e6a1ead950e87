/**
 * Entry point of paved's provider plugin. The engine runs `provider/pulumi-resource-paved`,
 * which starts this with the engine's address as its argument; the SDK's server prints the
 * port it listens on, and the engine connects to it.
 */
import { main } from "@pulumi/pulumi/provider";
import { pavedProvider } from "./plugin";

void main(pavedProvider, process.argv.slice(2));
