/**
 * One `pulumi preview` of a stack on the real path, as a whole process: the SDK's run harness
 * started as the language host starts it, under the stand-in engine, with paved's provider
 * plugin launched as the engine launches it and every paved resource checked through it.
 * Prints the run's own milliseconds; the bench times the process around it.
 */
import { FakeEngine } from "../test/engine/fake-engine";
import { PluginProcess } from "../test/engine/plugin";
import { runProgram } from "../test/engine/run-program";

async function main(): Promise<void> {
  const stackFile = process.argv[2] ?? "production";
  const engine = new FakeEngine({ project: "paved", stack: "bench", preview: true });
  const plugin = await PluginProcess.launch(await engine.start(), { ...process.env });
  try {
    const run = await runProgram({ stackFile, preview: true, plugin });
    const errors = run.engine.logs.filter((l) => l.severity === "error");
    if (run.code !== 0 || errors.length) throw new Error(`preview of ${stackFile} failed (${run.code}): ${errors.map((e) => e.message).join("; ")}`);
    console.log(JSON.stringify({ ms: run.ms, checked: run.engine.steps.length }));
  } finally {
    await plugin.stop();
    await engine.stop();
  }
}

void main();
