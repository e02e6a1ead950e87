/**
 * Point-in-time recovery as real Postgres runs it: a cluster set up like the official image's
 * (initdb's defaults, then its appended `host all all all scram-sha-256`), started with the
 * exact WAL archiving arguments paved plans, backed up by the exact base-backup script, then
 * restored to a moment between two rows. Runs where PostgreSQL server binaries are installed
 * (Debian's postgresql-<major> package: /usr/lib/postgresql/<major>/bin); skipped elsewhere.
 * As root, the server runs as `nobody`, since initdb and postgres refuse root.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD_SYNC_SCRIPT } from "../../components/postgres-password";
import { BASE_BACKUP_INTERVAL_SECONDS, BASE_BACKUP_SCRIPT, postgresArgs } from "../../components/postgres-pitr";

const TOOLS = ["initdb", "pg_ctl", "postgres", "psql", "pg_basebackup", "pg_archivecleanup"];

/** The newest /usr/lib/postgresql/<major>/bin holding every tool the test runs. */
function findBinDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
  return majors.map((m) => join(root, m, "bin")).find((bin) => TOOLS.every((tool) => existsSync(join(bin, tool))));
}

const BIN = process.env.PG_BINDIR ?? findBinDir();
const ROOT_USER = process.getuid?.() === 0;
const DAY = 86_400;
const PASSWORD = "pitr-test-password";

/** The server's user: the current one, or `nobody` when that is root. */
const serverIds = () => (ROOT_USER ? { uid: Number(execFileSync("id", ["-u", "nobody"]).toString()), gid: Number(execFileSync("id", ["-g", "nobody"]).toString()) } : undefined);
const asServer = (tool: string, args: string[]): [string, string[]] => (ROOT_USER ? ["runuser", ["-u", "nobody", "--", join(BIN!, tool), ...args]] : [join(BIN!, tool), args]);

function freePort(): Promise<number> {
  return new Promise((r) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => { const { port } = s.address() as net.AddressInfo; s.close(() => r(port)); });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!BIN)("point-in-time recovery of a Docker Postgres, with the real binaries", () => {
  let root: string;
  let archive: string;
  let sockets: string;
  const servers: Array<{ data: string; child: ChildProcess }> = [];

  /** Makes a directory the server's user owns. */
  function serverDir(path: string): string {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    const ids = serverIds();
    if (ids) chownSync(path, ids.uid, ids.gid);
    return path;
  }

  function chownTree(path: string): void {
    const ids = serverIds();
    if (ids) execFileSync("chown", ["-R", `${ids.uid}:${ids.gid}`, path]);
  }

  /** Starts postgres on `data` with paved's archiving arguments (the Docker command, its `postgres` swapped for the binary). */
  async function start(data: string): Promise<number> {
    const port = await freePort();
    const [, ...settings] = postgresArgs(60, archive);
    const [cmd, args] = asServer("postgres", ["-D", data, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${sockets}`, ...settings]);
    const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    child.stderr!.on("data", (chunk) => { log += chunk; });
    servers.push({ data, child });
    for (let i = 0; i < 100; i++) {
      if (spawnSync(join(BIN!, "pg_isready"), ["-q", "-h", "127.0.0.1", "-p", String(port)]).status === 0) return port;
      if (child.exitCode !== null) break;
      await sleep(100);
    }
    throw new Error(`postgres did not start on 127.0.0.1:${port}:\n${log}`);
  }

  function stop(data: string): void {
    const [cmd, args] = asServer("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
    execFileSync(cmd, args, { stdio: "ignore" });
  }

  const sql = (port: number, query: string, db = "app") =>
    execFileSync(join(BIN!, "psql"), ["-h", "127.0.0.1", "-p", String(port), "-U", "app", "-d", db, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", query]).toString().trim();

  /** A cluster as the official image's entrypoint leaves it: initdb's defaults, a password, the appended host rule. */
  async function initCluster(data: string): Promise<number> {
    serverDir(data);
    const pwfile = join(root, "pwfile");
    writeFileSync(pwfile, `${PASSWORD}\n`);
    chownTree(pwfile);
    const [cmd, args] = asServer("initdb", ["-D", data, "--username=app", `--pwfile=${pwfile}`]);
    execFileSync(cmd, args, { stdio: "ignore" });
    appendFileSync(join(data, "pg_hba.conf"), "\nhost all all all scram-sha-256\n");
    const port = await start(data);
    sql(port, "CREATE DATABASE app", "postgres");
    return port;
  }

  /** The base-backup container's script, run once (ONCE=1) with the container's paths swapped for temp dirs. */
  function backupOnce(port: number, base: string, env: Record<string, string> = {}) {
    return spawnSync("sh", ["-c", BASE_BACKUP_SCRIPT], {
      env: {
        PATH: `${BIN}:${process.env.PATH}`, PGHOST: "127.0.0.1", PGPORT: String(port), PGUSER: "app", PGPASSWORD: PASSWORD,
        BASE_DIR: base, WAL_DIR: archive, KEEP_DAYS: "30", INTERVAL_SECONDS: String(BASE_BACKUP_INTERVAL_SECONDS), ONCE: "1", ...env,
      },
      encoding: "utf8",
    });
  }

  function mustBackUp(port: number, base: string): void {
    const run = backupOnce(port, base);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
  }

  const backups = (base: string) => readdirSync(base).sort();
  const segments = () => readdirSync(archive).filter((f) => /^[0-9A-F]{24}$/.test(f)).sort();
  const setTakenAt = (base: string, name: string, daysAgo: number) =>
    writeFileSync(join(base, name, "taken-at"), `${Math.floor(Date.now() / 1000) - daysAgo * DAY}\n`);

  /** Switches to a new segment and waits until the one it completed is in the archive. */
  async function switchAndArchive(port: number): Promise<string> {
    const segment = sql(port, "SELECT pg_walfile_name(pg_switch_wal())");
    for (let i = 0; i < 100 && !existsSync(join(archive, segment)); i++) await sleep(100);
    expect(existsSync(join(archive, segment))).toBe(true);
    return segment;
  }

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "paved-pitr-"));
    chmodSync(root, 0o755);
    archive = serverDir(join(root, "wal-archive"));
    sockets = serverDir(join(root, "sockets"));
  });

  afterAll(() => {
    for (const { data, child } of servers) {
      if (child.exitCode === null && child.signalCode === null) {
        const [cmd, args] = asServer("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
        spawnSync(cmd, args, { stdio: "ignore" });
        if (child.exitCode === null) child.kill("SIGKILL");
      }
    }
    rmSync(root, { recursive: true, force: true });
  });

  it("restores a base backup and the archived WAL to a moment between two commits", async () => {
    const data = join(root, "primary");
    const port = await initCluster(data);
    sql(port, "CREATE TABLE notes (body text)");
    const base = join(root, "base");
    mkdirSync(base);
    mustBackUp(port, base);
    const [taken] = backups(base);
    expect(readdirSync(join(base, taken)).sort()).toEqual(["backup_manifest", "base.tar.gz", "start-wal", "taken-at"]);

    sql(port, "INSERT INTO notes VALUES ('A')");
    const target = sql(port, "SELECT clock_timestamp()");
    await sleep(50);
    await switchAndArchive(port);
    sql(port, "INSERT INTO notes VALUES ('B')");
    await switchAndArchive(port);
    expect(sql(port, "SELECT string_agg(body, ',' ORDER BY body) FROM notes")).toBe("A,B");
    stop(data);

    // The README's restore: the base backup into a new directory, recovery.signal, restore_command, recovery_target_time.
    const restored = serverDir(join(root, "restored"));
    execFileSync("tar", ["-xzf", join(base, taken, "base.tar.gz"), "-C", restored]);
    writeFileSync(join(restored, "recovery.signal"), "");
    appendFileSync(join(restored, "postgresql.auto.conf"), `restore_command = 'cp ${archive}/%f %p'\nrecovery_target_time = '${target}'\n`);
    chownTree(restored);
    chmodSync(restored, 0o700);
    const again = await start(restored);
    let state = "";
    for (let i = 0; i < 100 && state !== "paused"; i++, await sleep(100)) state = sql(again, "SELECT pg_get_wal_replay_pause_state()");
    expect(state).toBe("paused");
    expect(sql(again, "SELECT string_agg(body, ',' ORDER BY body) FROM notes")).toBe("A");
    expect(sql(again, "SELECT pg_promote()")).toBe("t");
    sql(again, "INSERT INTO notes VALUES ('C')");
    expect(sql(again, "SELECT string_agg(body, ',' ORDER BY body) FROM notes")).toBe("A,C");
    stop(restored);
  }, 120_000);

  it("keeps the backups of the window and the newest older one, and only the WAL they replay", async () => {
    const data = join(root, "pruned");
    const port = await initCluster(data);
    const base = join(root, "base-pruned");
    mkdirSync(base);
    mustBackUp(port, base);
    const [first] = backups(base);
    const firstStart = readFileSync(join(base, first, "start-wal"), "utf8").trim();
    // A backup from before any the window could need, and the first one moved back past the window's start.
    mkdirSync(join(base, "2000-01-01T000000Z"));
    writeFileSync(join(base, "2000-01-01T000000Z", "start-wal"), "000000010000000000000001\n");
    setTakenAt(base, "2000-01-01T000000Z", 50);
    setTakenAt(base, first, 40);
    sql(port, "CREATE TABLE t AS SELECT 1");
    await switchAndArchive(port);
    await sleep(1_100); // a second name for the next backup
    mustBackUp(port, base);
    const [, second] = backups(base);
    expect(backups(base)).toEqual([first, second]);
    expect(segments().length).toBeGreaterThan(0);
    expect(segments().filter((s) => s < firstStart)).toEqual([]);

    // Once the second is past the window's start too, the first goes, and the WAL before the second's start with it.
    const secondStart = readFileSync(join(base, second, "start-wal"), "utf8").trim();
    expect(secondStart > firstStart).toBe(true);
    setTakenAt(base, second, 35);
    await switchAndArchive(port);
    await sleep(1_100);
    const before = segments();
    expect(before.filter((s) => s < secondStart).length).toBeGreaterThan(0);
    mustBackUp(port, base);
    const [kept, third] = backups(base);
    expect(backups(base)).toEqual([second, third]);
    expect(kept).toBe(second);
    expect(segments().filter((s) => s < secondStart)).toEqual([]);
    expect(before.filter((s) => s >= secondStart).every((s) => segments().includes(s))).toBe(true);
    stop(data);
  }, 120_000);

  it("reaches the server for replication only from 127.0.0.1: the image's appended host rule does not admit it", async () => {
    const data = join(root, "hba");
    const port = await initCluster(data);
    const hba = readFileSync(join(data, "pg_hba.conf"), "utf8");
    expect(hba).toMatch(/^host\s+replication\s+all\s+127\.0\.0\.1\/32\s+trust$/m);
    // Without initdb's loopback rules, the scram-sha-256 rule for `all` databases alone refuses a replication connection.
    writeFileSync(join(data, "pg_hba.conf"), "host all all all scram-sha-256\n");
    execFileSync(...asServer("pg_ctl", ["-D", data, "reload"]), { stdio: "ignore" });
    await sleep(300);
    const base = join(root, "base-hba");
    mkdirSync(base);
    const run = backupOnce(port, base);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("no pg_hba.conf entry for replication connection");
    expect(backups(base)).toEqual([]);
    stop(data);
  }, 60_000);

  it("sets a rotated password from 127.0.0.1 without the old one: the password container's script", async () => {
    const data = join(root, "password");
    const port = await initCluster(data);
    const rotated = "rotated-pa$$word-'with quotes'";
    const run = spawnSync("sh", ["-c", PASSWORD_SYNC_SCRIPT], {
      env: { PATH: `${BIN}:${process.env.PATH}`, PGHOST: "127.0.0.1", PGPORT: String(port), PGUSER: "app", PGDATABASE: "app", NEW_PASSWORD: rotated },
      encoding: "utf8",
    });
    expect({ status: run.status, stderr: run.stderr, stdout: run.stdout }).toEqual({ status: 0, stderr: "", stdout: "paved: app's password set\n" });
    // Now ask for a password on loopback, as the API's network does: the new one works, the old one does not.
    writeFileSync(join(data, "pg_hba.conf"), "local all all trust\nhost all all all scram-sha-256\n");
    execFileSync(...asServer("pg_ctl", ["-D", data, "reload"]), { stdio: "ignore" });
    await sleep(300);
    const login = (password: string) => spawnSync(join(BIN!, "psql"), ["-h", "127.0.0.1", "-p", String(port), "-U", "app", "-d", "app", "-XAtq", "-c", "SELECT 1"],
      { env: { ...process.env, PGPASSWORD: password }, encoding: "utf8" });
    expect(login(rotated)).toMatchObject({ status: 0, stdout: "1\n" });
    expect(login(PASSWORD).stderr).toContain("password authentication failed");
    stop(data);
  }, 60_000);

  it("gives up with a message when no server answers, for Docker's restart policy to retry", () => {
    const run = spawnSync("sh", ["-c", PASSWORD_SYNC_SCRIPT.replace("-ge 120", "-ge 2")], {
      env: { PATH: `${BIN}:${process.env.PATH}`, PGHOST: "127.0.0.1", PGPORT: "1", PGUSER: "app", PGDATABASE: "app", NEW_PASSWORD: "x" },
      encoding: "utf8",
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 1, stderr: "paved: postgres did not answer on 127.0.0.1:1\n" });
  }, 20_000);
});
