"""The engines under test, and running each through indexing, compaction and the query set.

Every engine is a pair of programs speaking the same command line:
  INDEXER add --db PATH [--jobs N] [OPTION...] FILE...   ends its stdout with
      "added A, replaced R, unchanged U, rejected J, S s"; exit 0, or 1 if records were rejected
  SEARCHER batch --db PATH [OPTION...]       the batch query protocol (JSON Lines in and out)
"""
import json
import os
import re
import shutil
from dataclasses import dataclass

from . import measure, queries

SUMMARY = re.compile(r'added (\d+), replaced (\d+), unchanged (\d+), rejected (\d+), ([\d.]+) s')

FOUND_LIMIT = 100   # results checked for the source article
TIMED_LIMIT = 10    # results asked for in the timed rounds


@dataclass
class Engine:
    key: str                 # short name used in results.json
    label: str               # name shown in the report
    family: str              # 'xinwen', 'ngram' or 'fts5'
    indexer: str             # program paths
    searcher: str
    jobs: int = 0            # --jobs given to the indexer, 0 for none
    # 'xapian' (xapian-compact SRC DST), 'fts5' (in place) or 'shards'
    # (xinwen-index compact: each shard of a sharded index, in place)
    compaction: str = 'xapian'
    queried: bool = True     # run the query set against this engine's index
    skip_reason: str = ''    # why an engine that should be queried is not
    extra_args: tuple = ()   # further options of `add`
    search_args: tuple = ()  # further options of `batch`

    def db_path(self, work):
        return os.path.join(work, self.key + ('.sqlite' if self.compaction == 'fts5' else '.db'))


def _remove(path):
    if os.path.isdir(path):
        shutil.rmtree(path)
    else:
        for suffix in ('', '-wal', '-journal', '-shm'):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)


def _last_lines(text, n=5):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return ' | '.join(lines[-n:])


def index(engine, files, work, input_bytes, input_docs, repeat=1):
    """Indexes files into a fresh database, `repeat` times, and keeps the fastest run.

    Returns the figures of that run, or raises RuntimeError with the program's complaint.
    """
    db = engine.db_path(work)
    best = None
    for _ in range(max(1, repeat)):
        _remove(db)
        argv = [engine.indexer, 'add', '--db', db]
        if engine.jobs:
            argv += ['--jobs', str(engine.jobs)]
        argv += list(engine.extra_args)
        run = measure.run_measured(argv + list(files))
        matches = list(SUMMARY.finditer(run.stdout))
        summary = matches[-1] if matches else None
        if run.returncode not in (0, 1) or not summary:
            raise RuntimeError(f'{os.path.basename(engine.indexer)} add exited {run.returncode}: '
                               f'{_last_lines(run.stderr or run.stdout)}')
        if best is None or run.wall_s < best[0].wall_s:
            best = (run, summary)
    run, summary = best
    added, replaced, unchanged, rejected = (int(summary.group(i)) for i in range(1, 5))
    return {
        'command': ' '.join(os.path.basename(a) for a in run.argv),
        'runs': max(1, repeat),
        'exit_status': run.returncode,
        'docs': input_docs,
        'added': added, 'replaced': replaced, 'unchanged': unchanged, 'rejected': rejected,
        'input_mb': input_bytes / 1e6,
        'wall_s': run.wall_s,
        'cpu_s': run.cpu_s,
        'user_s': run.user_s,
        'sys_s': run.sys_s,
        'docs_per_s': input_docs / run.wall_s,
        'mb_per_s': input_bytes / 1e6 / run.wall_s,
        'mb_per_cpu_s': input_bytes / 1e6 / run.cpu_s if run.cpu_s else None,
        'peak_rss_mb': run.peak_rss_mb,
        'background_cores': run.background_cores,
        'load_before': run.load_before,
        'reported_s': float(summary.group(5)),
        'size_mb': measure.disk_bytes(db) / 1e6,
    }


def compact(engine, work):
    """Compacts the engine's database; returns (figures, path of the database to query)."""
    db = engine.db_path(work)
    if engine.compaction in ('fts5', 'shards'):
        run = measure.run_measured([engine.indexer, 'compact', '--db', db])
        target = db
    else:
        target = db + '.compact'
        _remove(target)
        run = measure.run_measured(['xapian-compact', db, target])
    if run.returncode != 0:
        raise RuntimeError(f'compaction exited {run.returncode}: {_last_lines(run.stderr or run.stdout)}')
    return {'compact_s': run.wall_s, 'compacted_size_mb': measure.disk_bytes(target) / 1e6}, target


def query(engine, db, query_set, work, rounds):
    """Runs the query set in one batch process: one pass at limit FOUND_LIMIT (which also
    warms every cache), then `rounds` timed passes at limit TIMED_LIMIT.

    Returns (summary figures, per-query results).
    """
    lines = [queries.request(q, limit) for limit in [FOUND_LIMIT] + [TIMED_LIMIT] * rounds for q in query_set]
    answers, run = batch(engine, db, lines, work)
    n = len(query_set)
    per_query = []
    for i, q in enumerate(query_set):
        first = answers[i]
        timed = [answers[n * (r + 1) + i] for r in range(rounds)]
        ids = first.get('ids') or []
        error = first.get('error') or next((a['error'] for a in timed if a.get('error')), None)
        per_query.append({
            'found': q['id'] in ids,
            'rank': ids.index(q['id']) + 1 if q['id'] in ids else None,
            'total': first.get('total'),
            'returned': len(ids),
            'ms': measure.median([float(a['ms']) for a in timed]),
            'error': error,
        })
    latencies = sorted(r['ms'] for r in per_query)
    by_kind = {}
    for q, r in zip(query_set, per_query):
        by_kind.setdefault(q['kind'], []).append(r)
    summary = {
        'queries': n,
        'rounds': rounds,
        'p50_ms': measure.percentile(latencies, 50),
        'p95_ms': measure.percentile(latencies, 95),
        'p99_ms': measure.percentile(latencies, 99),
        'mean_ms': sum(latencies) / n,
        'max_ms': latencies[-1],
        'found': sum(r['found'] for r in per_query),
        'found_rate': sum(r['found'] for r in per_query) / n,
        'errors': sum(1 for r in per_query if r['error']),
        'no_results': sum(1 for r in per_query if r['returned'] == 0),
        'process_wall_s': run.wall_s,
        'process_cpu_s': run.cpu_s,
        'process_peak_rss_mb': run.peak_rss_mb,
        'background_cores': run.background_cores,
        'stderr_tail': _last_lines(run.stderr, 2),
        'by_kind': {kind: _latency_and_found(rows) for kind, rows in by_kind.items()},
    }
    return summary, per_query


def batch(engine, db, lines, work):
    """Sends the request lines to one `SEARCHER batch` process over the database.

    Returns (answers, the measured Run), one answer dictionary per request, in order;
    raises RuntimeError when the searcher fails or breaks the protocol.
    """
    requests = os.path.join(work, engine.key + '-queries.jsonl')
    responses = os.path.join(work, engine.key + '-answers.jsonl')
    with open(requests, 'w', encoding='utf-8') as f:
        for line in lines:
            f.write(line + '\n')
    run = measure.run_measured([engine.searcher, 'batch', '--db', db] + list(engine.search_args),
                               stdin_path=requests, stdout_path=responses)
    answers = []
    with open(responses, encoding='utf-8', errors='replace') as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                answer = json.loads(line)
                float(answer['ms'])
            except (ValueError, KeyError, TypeError):
                raise RuntimeError(f'{os.path.basename(engine.searcher)} batch: answer {number} is not '
                                   f'protocol JSON: {line.strip()[:120]}') from None
            answers.append(answer)
    if run.returncode != 0 or len(answers) != len(lines):
        raise RuntimeError(f'{os.path.basename(engine.searcher)} batch exited {run.returncode} after '
                           f'{len(answers)} of {len(lines)} answers: {_last_lines(run.stderr)}')
    return answers, run


def _latency_and_found(rows):
    ms = sorted(r['ms'] for r in rows)
    return {'queries': len(rows), 'found': sum(r['found'] for r in rows),
            'p50_ms': measure.percentile(ms, 50), 'p95_ms': measure.percentile(ms, 95)}


def cleanup(engine, work):
    db = engine.db_path(work)
    for path in (db, db + '.compact', os.path.join(work, engine.key + '-queries.jsonl'),
                 os.path.join(work, engine.key + '-answers.jsonl')):
        _remove(path)
