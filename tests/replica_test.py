#!/usr/bin/env python3
"""scripts/replica on 127.0.0.1: a replica made with xapian-replicate answers
searches exactly as its master does (ids and scores), after the first copy and
again after the master has added and deleted articles; for a plain database
and for a sharded one (a folder of shards with a XAPIANDB stub).

usage: replica_test.py XINWEN_INDEX XINWEN_SEARCH SAMPLES_DIR
Exits 0 when every check passed, 1 on a failed check, 77 (shown by CTest as
skipped) when xapian-replicate or xapian-replicate-server is not installed.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPLICA = os.path.join(ROOT, 'scripts', 'replica')
TIMEOUT = 60           # seconds any one command may take
QUERIES = ['nvidia', 'chip', '央行', 'harbour', 'replicated', 'lantern OR nvidia']
NOW = '2026-01-01'     # freshness is computed against a fixed day on both sides

failures = []


def check(ok, what):
    print(('ok: ' if ok else 'FAILED: ') + what, flush=True)
    if not ok:
        failures.append(what)


def run(argv, env=None):
    done = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT, env=env)
    if done.returncode != 0:
        raise SystemExit(f'FAILED: {" ".join(argv)} exited {done.returncode}: {done.stderr.strip()[-400:]}')
    return done.stdout


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def articles(first, count, word):
    """count small English articles with ids first..first+count-1, all holding word."""
    out = []
    for i in range(first, first + count):
        out.append(json.dumps({
            'id': f'replica-test-{i}', 'url': f'https://example.com/replica/{i}',
            'title': f'Lantern market report {i}',
            'body': f'The {word} ledger number {i} was published. Traders in harbour district {i % 7} '
                    f'watched lantern prices move {i % 5} percent.',
            'published': f'2025-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00Z', 'source': 'Replica Wire',
            'lang': 'en'}))
    return '\n'.join(out) + '\n'


def answers(search, db):
    """{query: [(id, score)...]} as xinwen-search prints them."""
    out = {}
    for q in QUERIES:
        result = json.loads(run([search, '--db', db, '--json', '--now', NOW, '--limit', '50', '--', q]))
        out[q] = [(r['id'], r['score']) for r in result['results']]
    return out


def live_copies(replica, sharded):
    """The stub text of each replicated database: the replica_N folder it serves."""
    folders = [os.path.join(replica, s) for s in ('s0', 's1')] if sharded else [replica]
    out = []
    for folder in folders:
        with open(os.path.join(folder, 'XAPIANDB')) as f:
            out.append(f.read())
    return out


class Server:
    """xapian-replicate-server started through scripts/replica serve, in a session
    of its own: on SIGTERM it signals its whole process group."""

    def __init__(self, root, log):
        self.proc = None
        for _ in range(5):  # a port found free may be taken before the server binds it
            self.port = free_port()
            self.proc = subprocess.Popen([REPLICA, 'serve', '--root', root, '--listen', f'127.0.0.1:{self.port}'],
                                         stdout=log, stderr=log, start_new_session=True)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    socket.create_connection(('127.0.0.1', self.port), timeout=1).close()
                    return
                except OSError:
                    time.sleep(0.05)
        raise SystemExit('FAILED: xapian-replicate-server did not start listening')

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def follow(port, master, to, stub=None):
    argv = [REPLICA, 'follow', '--from', f'127.0.0.1:{port}', '--master', master, '--to', to, '--once',
            '--reader-time', '0']
    if stub:
        argv += ['--stub', stub]
    run(argv)


def scenario(name, index, search, samples, work, sharded):
    root = os.path.join(work, name, 'master')
    replica = os.path.join(work, name, 'replica')
    os.makedirs(root)
    env = dict(os.environ, XAPIAN_MAX_CHANGESETS='10')
    batch1 = os.path.join(work, name, 'batch1.jsonl')
    batch2 = os.path.join(work, name, 'batch2.jsonl')
    with open(batch1, 'w') as f:
        f.write(articles(0, 30, 'replicated'))
    with open(batch2, 'w') as f:
        f.write(articles(30, 20, 'replicated'))
    db = os.path.join(root, 'news')
    if sharded:
        # Two shards built by hand, as `add --shards` lays them out: a folder
        # per shard and a stub listing them.
        os.makedirs(db)
        run([index, 'add', '-q', '--db', os.path.join(db, 's0'), samples], env)
        run([index, 'add', '-q', '--db', os.path.join(db, 's1'), batch1], env)
        with open(os.path.join(db, 'XAPIANDB'), 'w') as f:
            f.write('auto s0\nauto s1\n')
        writable = [os.path.join(db, 's0'), os.path.join(db, 's1')]
    else:
        run([index, 'add', '-q', '--db', db, samples, batch1], env)
        writable = [db, db]
    stub = os.path.join(db, 'XAPIANDB') if sharded else None

    with open(os.path.join(work, name, 'server.log'), 'w') as log:
        server = Server(root, log)
        try:
            follow(server.port, 'news', replica, stub)
            first = answers(search, db)
            check(sum(len(v) for v in first.values()) > 30, f'{name}: the master finds the test articles')
            check(answers(search, replica) == first, f'{name}: the replica answers as the master after the first copy')

            # More articles on one shard, a deletion on the other; an added
            # article shares the deleted one's word, so scores move too.
            run([index, 'add', '-q', '--db', writable[1], batch2], env)
            run([index, 'delete', '--db', writable[0], 'en-deepseek-nvidia-selloff-2025'], env)
            second = answers(search, db)
            check(second != first, f'{name}: the master answers differently after the changes')
            stale = answers(search, replica)
            check(stale == first, f'{name}: the replica is unchanged until it replicates')
            copies = live_copies(replica, sharded)
            follow(server.port, 'news', replica, stub)
            check(answers(search, replica) == second, f'{name}: the replica answers as the master after the changes')
            # The changes travelled as changesets, which the writer left because
            # XAPIAN_MAX_CHANGESETS was set.
            changesets = [f for w in set(writable) for f in os.listdir(w) if f.startswith('changes')]
            check(bool(changesets), f'{name}: the master wrote changesets')
            # A whole copy would have gone to the other replica_N folder.
            check(live_copies(replica, sharded) == copies, f'{name}: the changes were applied, not copied whole')
        finally:
            server.stop()


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[3], file=sys.stderr)
        return 2
    index, search, samples = argv[1:]
    for tool in ('xapian-replicate', 'xapian-replicate-server'):
        if not shutil.which(tool):
            print(f'SKIPPED: {tool} is not installed (Debian package xapian-tools)')
            return 77
    work = tempfile.mkdtemp(prefix='xinwen-replica-')
    try:
        scenario('plain', index, search, samples, work, sharded=False)
        scenario('sharded', index, search, samples, work, sharded=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print(f'{len(failures)} check(s) failed', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
