#!/usr/bin/env python3
"""scripts/bench_lib/synth.py, the synthetic corpus of scripts/bench-scale, on a
small seed corpus written here: more articles than the seeds hold, new unique
ids, dates within ten years, languages kept, sentences swapped only between
articles of one language, routing by id, and the same output for the same seed.
Exits 0 when every check passed, 1 otherwise.
"""
import datetime
import json
import os
import shutil
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'scripts'))
from bench_lib import synth  # noqa: E402

failures = []


def check(ok, what):
    print(('ok: ' if ok else 'FAILED: ') + what, flush=True)
    if not ok:
        failures.append(what)


def seed_corpus(folder):
    en, zh = [], []
    for i in range(6):
        en.append({'id': f'en{i}', 'title': f'English title {i}', 'lang': 'en', 'source': 'Wire',
                   'published': '1987-03-01T00:00:00Z',
                   'body': f'Alpha{i} rose sharply. Beta{i} fell! Gamma{i} held?\n\nDelta{i} closed flat.'})
        zh.append({'id': f'zh{i}', 'title': f'中文標題{i}', 'lang': 'zh-Hant', 'source': '報',
                   'published': '2020-05-01T00:00:00Z',
                   'body': f'甲{i}上升。乙{i}下跌！「丙{i}持平。」\n\n丁{i}收市。'})
    for name, rows in (('en.jsonl', en), ('zh.jsonl', zh)):
        with open(os.path.join(folder, name), 'w', encoding='utf-8') as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + '\n' for r in rows)
    return [os.path.join(folder, 'en.jsonl'), os.path.join(folder, 'zh.jsonl')]


def read(paths):
    rows = []
    for p in paths:
        with open(p, encoding='utf-8') as f:
            rows += [json.loads(line) for line in f]
    return rows


def main():
    work = tempfile.mkdtemp(prefix='xinwen-synth-')
    try:
        seeds = seed_corpus(work)
        seen = []
        made = synth.generate(seeds, os.path.join(work, 'a'), 200, 3, 7, on_article=lambda n, a: seen.append(n))
        rows = read(made['files'])
        check(len(rows) == 200 and made['docs'] == 200, 'as many articles as asked, more than the 12 seeds')
        check(seen == list(range(200)), 'the callback sees every article in order')
        check(len({r['id'] for r in rows}) == 200 and all(r['id'].startswith('syn-') for r in rows),
              'every id is new and unique')
        days = [datetime.datetime.fromisoformat(r['published'].replace('Z', '+00:00')) for r in rows]
        check(all(synth.END_DATE - synth.TEN_YEARS <= d < synth.END_DATE for d in days),
              'dates fall within the ten years')
        check(max(days) - min(days) > datetime.timedelta(days=5 * 365), 'dates spread over the years')
        check({r['lang'] for r in rows} == {'en', 'zh-Hant'}, 'both languages are there')
        en_words = {f'{w}{i}' for w in ('Alpha', 'Beta', 'Gamma', 'Delta') for i in range(6)}
        mixed = [r for r in rows if r['lang'] == 'en' and ('甲' in r['body'] or '丁' in r['body'])]
        mixed += [r for r in rows if r['lang'] == 'zh-Hant' and any(w in r['body'] for w in en_words)]
        check(not mixed, 'sentences are swapped only between articles of one language')
        swapped = 0
        for r in rows:
            if r['lang'] == 'en':
                numbers = {w[-1] for w in en_words if w in r['body']}
                swapped += len(numbers) > 1
        check(swapped > 10, 'English articles mix sentences of several seeds')
        zh_sentences = [s for r in rows if r['lang'] == 'zh-Hant' for s in synth.sentences(r['body'])]
        check(all(not s.strip().startswith('」') for s in zh_sentences), 'a closing quote stays with its sentence')
        check(all(synth.route(r['id'], 3) == i for i, p in enumerate(made['files']) for r in read([p])),
              'each article is in the part file its id routes to')
        again = synth.generate(seeds, os.path.join(work, 'b'), 200, 3, 7)
        check(read(again['files']) == rows, 'the same seed makes the same corpus')
        other = synth.generate(seeds, os.path.join(work, 'c'), 200, 3, 8)
        check(read(other['files']) != rows, 'another seed makes another corpus')
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
