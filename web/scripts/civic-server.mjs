// Starts a real `civic serve --demo` on a free port with a database of its own, for the
// browser tests and the budget script. The binary is $CIVIC_BIN (the test runner passes the
// one cargo built) or target/debug/civic. With DATABASE_URL set, each server gets a fresh
// database on that PostgreSQL (created with psql); without it, the binary starts its own
// embedded PostgreSQL in a fresh data directory.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const here = import.meta.dirname;

function binary() {
  return process.env.CIVIC_BIN ?? resolve(here, '../../target/debug/civic');
}

function freshDatabase() {
  const admin = process.env.DATABASE_URL;
  if (!admin) return null;
  const name = `civic_web_${randomBytes(6).toString('hex')}`;
  execFileSync('psql', [admin, '-q', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name}`]);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), admin };
}

/**
 * A running server: its base URL, the demo accounts' one-time passwords, the service
 * token it printed, and `stop()`.
 */
export async function startCivic() {
  const dataDir = mkdtempSync(join(tmpdir(), 'civic-web-'));
  const db = freshDatabase();
  const env = { ...process.env, CIVIC_DATA_DIR: dataDir, CIVIC_LISTEN: '127.0.0.1:0', RUST_LOG: 'warn' };
  delete env.CIVIC_JWT_SECRET;
  if (db) env.DATABASE_URL = db.url;
  else delete env.DATABASE_URL;
  const passwords = {};
  let url = '';
  let token = '';
  // Where an embedded cluster went when the postgres user could not reach the data dir.
  let cluster = null;
  async function launch() {
    const child = spawn(binary(), ['serve', '--demo'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout });
    await new Promise((ready, fail) => {
      child.once('exit', (code) => fail(new Error(`civic serve exited with ${code} before it was ready`)));
      lines.on('line', (line) => {
        const account = /^\s+([a-z-]+)\s+(\S{12,})\s+\(/.exec(line);
        if (account) passwords[account[1]] = account[2];
        const listening = /listening on (http:\/\/\S+)/.exec(line);
        if (listening) url = listening[1];
        const embedded = /^data: embedded PostgreSQL in (\S+)/.exec(line);
        if (embedded && embedded[1].startsWith('/var/tmp/civic-ledger/')) cluster = dirname(embedded[1]);
        if (line.startsWith('eyJ')) {
          token = line.trim();
          ready();
        }
      });
    });
    return child;
  }
  async function kill(child) {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  }
  let child = await launch();
  return {
    get url() {
      return url;
    },
    passwords,
    get token() {
      return token;
    },
    /** Stops the server; `start()` brings it back on the same address and database. */
    async kill() {
      await kill(child);
      env.CIVIC_LISTEN = new URL(url).host;
    },
    async start() {
      child = await launch();
    },
    async stop() {
      if (child.exitCode === null) await kill(child);
      if (db) execFileSync('psql', [db.admin, '-q', '-c', `DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`]);
      rmSync(dataDir, { recursive: true, force: true });
      if (cluster) rmSync(cluster, { recursive: true, force: true });
    },
  };
}
