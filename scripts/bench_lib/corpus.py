"""The evaluation corpora: built once with the shared make-news-corpus tool, then cached.

Layout of the cache folder:
  corpus/NAME.jsonl        the full corpora, as the tool writes them
  corpus/READY.json        written last: which tool (by hash) made them, and their sizes
  subset-N/NAME.jsonl      the first N lines of each corpus (--quick and --docs N)
"""
import hashlib
import json
import os
import subprocess
import sys

CORPORA = ('reuters', 'hkcnews', 'xwlb', 'tidewire')


def _file_hash(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def _count_lines(path):
    with open(path, 'rb') as f:
        return sum(1 for line in f if line.strip())


def ensure_full(tool, cache):
    """Makes sure cache/corpus holds the corpora made by this version of tool; returns the folder."""
    folder = os.path.join(cache, 'corpus')
    ready = os.path.join(folder, 'READY.json')
    tool_hash = _file_hash(tool)
    try:
        with open(ready) as f:
            stamp = json.load(f)
        if stamp.get('tool_sha256') == tool_hash and all(
                os.path.getsize(os.path.join(folder, name + '.jsonl')) == stamp['bytes'][name]
                for name in CORPORA):
            return folder
    except (OSError, ValueError, KeyError):
        pass
    os.makedirs(folder, exist_ok=True)
    if os.path.exists(ready):
        os.remove(ready)
    print(f'bench: building the corpora with {os.path.basename(tool)} (about 20 s) ...',
          file=sys.stderr, flush=True)
    subprocess.run([sys.executable, tool, folder], check=True)
    stamp = {'tool_sha256': tool_hash,
             'bytes': {name: os.path.getsize(os.path.join(folder, name + '.jsonl')) for name in CORPORA}}
    with open(ready, 'w') as f:
        json.dump(stamp, f, indent=1)
    return folder


def ensure_subset(full_folder, cache, docs_per_corpus):
    """Makes cache/subset-N with the first N articles of each corpus; returns the folder."""
    folder = os.path.join(cache, f'subset-{docs_per_corpus}')
    ready = os.path.join(folder, 'READY.json')
    source_stamp = open(os.path.join(full_folder, 'READY.json')).read()
    try:
        if open(ready).read() == source_stamp:
            return folder
    except OSError:
        pass
    os.makedirs(folder, exist_ok=True)
    for name in CORPORA:
        with open(os.path.join(full_folder, name + '.jsonl'), 'rb') as src, \
                open(os.path.join(folder, name + '.jsonl'), 'wb') as dst:
            for i, line in enumerate(src):
                if i >= docs_per_corpus:
                    break
                dst.write(line)
    with open(ready, 'w') as f:
        f.write(source_stamp)
    return folder


def describe(folder):
    """[{name, file, docs, bytes}] for the corpus files in folder, in the fixed order."""
    out = []
    for name in CORPORA:
        path = os.path.join(folder, name + '.jsonl')
        out.append({'name': name, 'file': path, 'docs': _count_lines(path),
                    'bytes': os.path.getsize(path)})
    return out
