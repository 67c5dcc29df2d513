#!/usr/bin/env python3
"""scripts/bench-scale end to end at a tiny size, on the sample articles as the
seed corpus: it indexes 12 shards, compacts them into 4 and 1, times the
queries over every configuration (remote shards on 127.0.0.1 included), and
writes results.json with the projection. The local shard stubs must answer
exactly as the merged database. No time is asserted.

usage: bench_scale_test.py BUILD_DIR SAMPLES_DIR
Exits 0 when every check passed, 1 on a failed check, 77 (skipped) when
xapian-compact or xapian-tcpsrv is not installed.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
failures = []


def check(ok, what):
    print(('ok: ' if ok else 'FAILED: ') + what, flush=True)
    if not ok:
        failures.append(what)


def main(argv):
    if len(argv) != 3:
        print('usage: bench_scale_test.py BUILD_DIR SAMPLES_DIR', file=sys.stderr)
        return 2
    build, samples = argv[1:]
    for tool in ('xapian-compact', 'xapian-tcpsrv'):
        if not shutil.which(tool):
            print(f'SKIPPED: {tool} is not installed (Debian package xapian-tools)')
            return 77
    work = tempfile.mkdtemp(prefix='xinwen-bench-scale-')
    try:
        seeds = os.path.join(work, 'seeds')
        os.makedirs(seeds)
        shutil.copy(os.path.join(samples, 'news.jsonl'), seeds)
        out = os.path.join(work, 'out')
        done = subprocess.run([os.path.join(ROOT, 'scripts', 'bench-scale'), '--docs', '240', '--queries', '12',
                               '--rounds', '1', '--seed-corpus', seeds, '--build', build, '--no-build',
                               '--cache', os.path.join(work, 'cache'), '--out', out],
                              capture_output=True, text=True, timeout=600)
        print(done.stdout[-3000:])
        check(done.returncode == 0, 'bench-scale exits 0')
        if done.returncode != 0:
            print(done.stderr[-2000:])
            return 1
        with open(os.path.join(out, 'results.json')) as f:
            results = json.load(f)
        check(results['corpus']['docs'] == 240, 'the corpus has the articles asked for')
        check(set(results['indexing']) == {'direct-12', 'compacted-4', 'compacted-1'},
              'indexing rows: 12 shards direct, 4 and 1 via compaction')
        q = results['queries']
        check({'merged', 'local-4', 'local-12'} <= set(q) and any(k.startswith('remote-4') for k in q),
              'queries timed over merged, local and remote shards')
        n = q['merged']['queries']
        check(n > 0 and q['merged']['errors'] == 0, 'the merged database answers every query')
        for key in ('local-4', 'local-12'):
            check(q[key]['same_as_merged'] == n, f'{key} answers exactly as the merged database')
        remote = [v for k, v in q.items() if k.startswith('remote-4') and 'error' not in v]
        check(bool(remote) and remote[0]['queries'] == n and remote[0]['errors'] == 0,
              'the remote shards answer every query (and their servers were started)')
        check(len(results['projection']['rows']) == 2 and results['sizes']['per_million_mb'] > 0,
              'a projection for 10 and 50 million articles')
        check('Projection' in done.stdout and 'Estimated run at 1,000,000' in done.stdout, 'the report is printed')
        check(not os.listdir(os.path.join(out, 'work')), 'the indexes are removed afterwards')
        leftover = subprocess.run(['pgrep', '-f', os.path.join(out, 'work')], capture_output=True, text=True)
        check(leftover.stdout.strip() == '', 'no shard server is left running')
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
