"""Turning one run's results into ratios, target verdicts, a Markdown report and a chart.

Everything here reads the results dictionary (the content of results.json) and
nothing else, so every figure shown is one that the run measured.
"""
import os
import shutil
import subprocess

BASELINES = ('ngram', 'fts5')
XINWEN = 'xinwen-all'      # the xinwen index that is queried and compared
NOISY_CORES = 0.5          # other processes' CPU use above which a figure is flagged


def _get(results, key, part, field):
    engine = results['engines'].get(key) or {}
    return (engine.get(part) or {}).get(field)


def ratios(results):
    """xinwen (all cores) against each baseline, from this run's figures."""
    out = {}
    for base in BASELINES + ('ngram-2000',):
        if base not in results['engines']:
            continue
        pairs = {
            'index_mb_per_s': ('index', 'mb_per_s'),   # higher is better for xinwen
            'p50': ('query', 'p50_ms'),                 # lower is better
            'compacted_size': ('index', 'compacted_size_mb'),  # lower is better
        }
        row = {}
        for name, (part, field) in pairs.items():
            mine, theirs = _get(results, XINWEN, part, field), _get(results, base, part, field)
            row[name] = mine / theirs if mine is not None and theirs else None
        out[base] = row
    return out


def _verdict(ok, detail):
    return {'status': 'SKIP' if ok is None else ('PASS' if ok else 'FAIL'), 'detail': detail}


def _num(v, digits=2):
    return 'n/a' if v is None else f'{v:,.{digits}f}'


def _ratio(v):
    return 'n/a' if v is None else f'{v:,.2f}x'


def targets(results):
    """The project's targets, one verdict each, judged on this run's figures."""
    x_mbps = _get(results, XINWEN, 'index', 'mb_per_s')
    f_mbps = _get(results, 'fts5', 'index', 'mb_per_s')
    n_mbps = _get(results, 'ngram', 'index', 'mb_per_s')
    x_p50 = _get(results, XINWEN, 'query', 'p50_ms')
    f_p50 = _get(results, 'fts5', 'query', 'p50_ms')
    x_p99 = _get(results, XINWEN, 'query', 'p99_ms')
    x_size = _get(results, XINWEN, 'index', 'compacted_size_mb')
    n_size = _get(results, 'ngram', 'index', 'compacted_size_mb')
    x_found = _get(results, XINWEN, 'query', 'found')
    x_n = _get(results, XINWEN, 'query', 'queries')

    def both(a, b, test):
        return None if a is None or b is None else test(a, b)

    x1_mbps = _get(results, 'xinwen-1', 'index', 'mb_per_s') or (
        x_mbps if (results['engines'].get(XINWEN) or {}).get('jobs') == 1 else None)
    tuned_mbps = _get(results, 'ngram-2000', 'index', 'mb_per_s')
    xs_mbps = _get(results, 'xinwen-shards', 'index', 'mb_per_s')
    out = [
        dict(target='indexing MB/s: xinwen, 1 thread >= 4x the n-gram baseline',
             **_verdict(both(x1_mbps, n_mbps, lambda a, b: a >= 4 * b),
                        f'{_num(x1_mbps)} vs 4 x {_num(n_mbps)} = {_num(None if n_mbps is None else 4 * n_mbps)} MB/s'
                        + ('' if tuned_mbps is None or x1_mbps is None else
                           f' (against the n-gram baseline committing every 2,000: {x1_mbps / tuned_mbps:.2f}x)'))),
        dict(target='indexing MB/s: xinwen (all cores) >= FTS5 trigram',
             **_verdict(both(x_mbps, f_mbps, lambda a, b: a >= b),
                        f'{_num(x_mbps)} vs {_num(f_mbps)} MB/s')),
        dict(target='indexing MB/s: xinwen (all cores, hash shards) >= FTS5 trigram',
             **_verdict(both(xs_mbps, f_mbps, lambda a, b: a >= b),
                        f'{_num(xs_mbps)} vs {_num(f_mbps)} MB/s')),
        dict(target='indexing MB/s: xinwen (all cores) >= 5x the n-gram baseline',
             **_verdict(both(x_mbps, n_mbps, lambda a, b: a >= 5 * b),
                        f'{_num(x_mbps)} vs 5 x {_num(n_mbps)} = {_num(None if n_mbps is None else 5 * n_mbps)} MB/s')),
        dict(target='query p50: xinwen <= FTS5 trigram',
             **_verdict(both(x_p50, f_p50, lambda a, b: a <= b),
                        f'{_num(x_p50, 3)} vs {_num(f_p50, 3)} ms')),
        dict(target='query p99: xinwen < 50 ms',
             **_verdict(None if x_p99 is None else x_p99 < 50, f'{_num(x_p99, 3)} ms')),
        dict(target='compacted index size: xinwen <= n-gram baseline',
             **_verdict(both(x_size, n_size, lambda a, b: a <= b),
                        f'{_num(x_size, 1)} vs {_num(n_size, 1)} MB')),
        dict(target='found rate 100% (every query stands in its article\'s text)',
             **_verdict(None if x_found is None else x_found == x_n,
                        'n/a' if x_found is None else f'{x_found}/{x_n} found in the top {results["settings"]["found_limit"]}')),
    ]
    return out


def _kind_rows(results):
    """(label, [query numbers]) for each query kind, then for each Han substring length."""
    per_query = results['per_query']
    rows = []
    for kind in results['queries']['kinds']:
        rows.append((kind, [q['n'] for q in per_query if q['kind'] == kind]))
    lengths = sorted({q['han_chars'] for q in per_query if q.get('han_chars')})
    for n in lengths:
        rows.append((f'Han text, {n} chars (any kind)', [q['n'] for q in per_query if q.get('han_chars') == n]))
    return rows


def found_by_kind(results, key):
    """{label: (found, n)} for one engine."""
    per_query = results['per_query']
    out = {}
    for label, numbers in _kind_rows(results):
        hits = [per_query[i]['results'].get(key, {}).get('found') for i in numbers]
        out[label] = (sum(1 for h in hits if h), len(numbers))
    return out


def _table(header, rows):
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '|'.join('---' for _ in header) + '|']
    lines += ['| ' + ' | '.join(str(c) for c in row) + ' |' for row in rows]
    return '\n'.join(lines)


def markdown(results):
    eng = results['engines']
    inp = results['input']
    lines = [f"## xinwen benchmark: {results['mode']}", '']
    corpora = ', '.join(f"{c['name']} {c['docs']:,}" for c in results['corpora'])
    lines.append(f"Input: {inp['docs']:,} articles, {inp['mb']:.1f} MB of JSON Lines ({corpora}). "
                 f"Machine: {results['machine']['cores']} cores, build type "
                 f"{results['machine'].get('build_type') or results['machine'].get('baselines_build_type') or 'unknown'}"
                 f", load average at start "
                 f"{results['machine']['load_at_start']:.2f}. Run started {results['started']}. "
                 f"MB = 10^6 bytes; index sizes are apparent file sizes.")
    lines.append('')
    for line in results.get('notes', []):
        lines.append(f'Note: {line}.')
        lines.append('')

    rows, noisy = [], []
    for key, e in eng.items():
        ix = e.get('index')
        if not ix:
            rows.append([e['label']] + ['–'] * 11 + [e.get('error') or 'not run'])
            continue
        if ix['background_cores'] > NOISY_CORES:
            noisy.append(e['label'])
        rows.append([e['label'], f"{ix['docs_per_s']:,.0f}", _num(ix['mb_per_s']), _num(ix['wall_s']),
                     _num(ix['cpu_s']), _num(ix.get('mb_per_cpu_s')), _num(ix['peak_rss_mb'], 0),
                     _num(ix['size_mb'], 1),
                     _num(ix.get('compacted_size_mb'), 1), _num(ix.get('compact_s')),
                     _num(ix['background_cores']), f"{ix['rejected']}",
                     e.get('error') or ''])
    lines.append('### Indexing')
    lines.append(_table(['engine', 'docs/s', 'MB/s', 'wall s', 'CPU s', 'MB per CPU s', 'peak RSS MB', 'index MB',
                         'compacted MB', 'compact s', 'other CPU (cores)', 'rejected', 'note'], rows))
    lines.append('')
    if noisy:
        lines.append(f"Caution: other processes used more than {NOISY_CORES} cores while indexing with "
                     f"{'; '.join(noisy)}: wall-clock figures are pessimistic there (MB per CPU second "
                     f"is less sensitive to that).")
        lines.append('')

    q = results['queries']
    settings = results['settings']
    lines.append(f"### Queries ({q['count']} queries, seed {q['seed']}, one client thread, in-process "
                 f"times; one pass at limit {settings['found_limit']} warms the caches and decides "
                 f"\"found\" (source article in the top {settings['found_limit']}); latency is each "
                 f"query's median over {settings['rounds']} timed passes at limit "
                 f"{settings['timed_limit']}; percentiles are nearest-rank)")
    rows = []
    for key, e in eng.items():
        qy = e.get('query')
        if not qy:
            if e.get('queried', True) or e.get('query_error'):
                rows.append([e['label']] + ['–'] * 7 + [e.get('query_error') or e.get('error') or 'not run'])
            continue
        rows.append([e['label'], _num(qy['p50_ms'], 3), _num(qy['p95_ms'], 3), _num(qy['p99_ms'], 3),
                     _num(qy['mean_ms'], 3), f"{qy['found']}/{qy['queries']} ({qy['found_rate']:.1%})",
                     qy['no_results'], qy['errors'], qy.get('stderr_tail') or ''])
    lines.append(_table(['engine', 'p50 ms', 'p95 ms', 'p99 ms', 'mean ms',
                         f"found (top {settings['found_limit']})", 'no result', 'errors', 'engine note'], rows))
    lines.append('')
    if (eng.get('fts5') or {}).get('query'):
        lines.append("SQLite FTS5's times include the separate COUNT(*) query that gives its total; "
                     "the Xapian engines report Xapian's match estimate.")
        lines.append('')

    queried = [(k, e) for k, e in eng.items() if e.get('query')]
    if queried:
        lines.append(f"### Found in the top {settings['found_limit']}, by query kind")
        table = {k: found_by_kind(results, k) for k, _ in queried}
        rows = []
        for label, numbers in _kind_rows(results):
            row = [label, len(numbers)]
            for k, _ in queried:
                hit, n = table[k][label]
                row.append(f'{hit}/{n} ({hit / n:.0%})' if n else '–')
            rows.append(row)
        lines.append(_table(['kind', 'n'] + [e['label'] for _, e in queried], rows))
        lines.append('')

    if any('by_kind' in e['query'] for _, e in queried):
        lines.append('### Latency by query kind (p50 / p95 ms, timed passes)')
        rows = []
        for kind, n in results['queries']['kinds'].items():
            row = [kind, n]
            for _, e in queried:
                k = e['query'].get('by_kind', {}).get(kind)
                row.append(f"{_num(k['p50_ms'], 3)} / {_num(k['p95_ms'], 3)}" if k else '–')
            rows.append(row)
        lines.append(_table(['kind', 'n'] + [e['label'] for _, e in queried], rows))
        lines.append('')

    lines.append('### xinwen (all cores) against each baseline, this run')
    rows = []
    for base, r in results['ratios'].items():
        label = eng.get(base, {}).get('label', base)
        rows.append([label] + [_ratio(r[k]) for k in ('index_mb_per_s', 'p50', 'compacted_size')])
    lines.append(_table(['baseline', 'indexing MB/s (xinwen / baseline, higher is better)',
                         'query p50 (xinwen / baseline, lower is better)',
                         'compacted size (xinwen / baseline, lower is better)'], rows))
    lines.append('')

    lines.append('### Targets')
    for t in results['targets']:
        lines.append(f"- {t['status']}  {t['target']}: {t['detail']}")
    lines.append('')
    return '\n'.join(lines)


def chart(results, json_path, png_path):
    """Draws indexing throughput and query latency by engine with gnuplot, from results
    (as saved in json_path); writes the data and script beside the PNG. Returns an
    error message, or None on success."""
    if not shutil.which('gnuplot'):
        return 'gnuplot not found'
    indexed = [e for e in results['engines'].values() if e.get('index')]
    queried = [e for e in results['engines'].values() if e.get('query')]
    if not indexed:
        return 'no engine was measured'
    folder = os.path.dirname(png_path)
    stem = os.path.splitext(os.path.basename(png_path))[0]
    index_dat, latency_dat = stem + '-indexing.dat', stem + '-latency.dat'

    def label(e):
        return '"' + e['label'].replace('"', "'") + '"'

    with open(os.path.join(folder, index_dat), 'w') as f:
        f.write('# engine  MB/s  docs/s\n')
        for e in indexed:
            f.write(f"{label(e)} {e['index']['mb_per_s']:.4f} {e['index']['docs_per_s']:.1f}\n")
    with open(os.path.join(folder, latency_dat), 'w') as f:
        f.write('# engine  p50  p95  p99 (ms)\n')
        for e in queried:
            q = e['query']
            f.write(f"{label(e)} {q['p50_ms']:.4f} {q['p95_ms']:.4f} {q['p99_ms']:.4f}\n")

    top = 1.15 * max(e['index']['mb_per_s'] for e in indexed)
    title = (f"xinwen benchmark, {results['mode']}: {results['input']['docs']:,} articles, "
             f"{results['input']['mb']:.1f} MB; {results['queries']['count']} queries")
    gp = f'''# Drawn by scripts/bench from {os.path.basename(json_path)}
set terminal pngcairo size 1200,520 font "DejaVu Sans,10"
set output "{os.path.basename(png_path)}"
set multiplot layout 1,2 title "{title}" noenhanced
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.8
set grid ytics
set xtics rotate by 15 right noenhanced
set title "Indexing throughput (higher is better)"
set ylabel "MB/s of input JSON"
set yrange [0:{top:.4f}]
set xrange [-0.6:{len(indexed) - 0.4}]
set key off
plot "{index_dat}" using 2:xtic(1) lc rgb "#3b78b0", \\
     "" using 0:2:(sprintf("%.2f", $2)) with labels offset 0,0.8
'''
    if queried:
        # Room above the tallest bar for the key, on a log axis.
        low = min(e['query']['p50_ms'] for e in queried) / 2
        high = max(e['query']['p99_ms'] for e in queried) * 8
        gp += f'''set title "Query latency, warm, one client thread (lower is better)"
set ylabel "ms (log scale)"
set logscale y
set yrange [{low:.6g}:{high:.6g}]
set xrange [-0.6:{len(queried) - 0.4}]
set key top left horizontal
set style histogram clustered gap 1
plot "{latency_dat}" using 2:xtic(1) title "p50" lc rgb "#5aa55a", \\
     "" using 3 title "p95" lc rgb "#e0a030", \\
     "" using 4 title "p99" lc rgb "#c84040"
'''
    gp += 'unset multiplot\n'
    script = stem + '.gp'
    with open(os.path.join(folder, script), 'w') as f:
        f.write(gp)
    proc = subprocess.run(['gnuplot', script], cwd=folder, capture_output=True, text=True)
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        return 'gnuplot failed' + (': ' + lines[-1] if lines else '')
    return None
