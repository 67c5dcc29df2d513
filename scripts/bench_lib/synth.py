"""A synthetic news corpus of any size, made by perturbing the evaluation corpora.

Used by scripts/bench-scale. Articles are written as they are made, so a corpus
of millions never sits in memory; what is held is one pool of sentences and
one of titles per language (POOL_SIZE each) and one open file per seed corpus.

Each synthetic article starts from the next article of a seed corpus (the
corpora are interleaved in proportion to their sizes, and start over when
they run out) and then:
  - gets a new id (syn-NNNNNNNN), url and publication time, spread evenly
    over TEN_YEARS ending at END_DATE;
  - has each sentence of its body, with probability SWAP_RATE, replaced by a
    sentence of an earlier article of the same language, and with the same
    probability its title replaced by such an article's title;
so vocabulary and sentence lengths stay those of real news in each language,
while repeats of a seed article differ from each other. Source, language,
tags and author are kept. Everything follows from the seed number given.
"""
import datetime
import json
import os
import random
import zlib

POOL_SIZE = 20000
SWAP_RATE = 0.5
END_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
TEN_YEARS = datetime.timedelta(days=3652)

# Where sentences end: Chinese end punctuation, or . ! ? before a space; closing
# quotes and brackets stay with the sentence they close. Plain str.replace
# keeps this fast on the long Chinese bodies (a regex scan costs several times
# more).
SENTENCE_ENDS = ('。', '！', '？', '. ', '! ', '? ', '." ', '.” ')
CLOSERS = ('」', '』', '”', '’', '）')


def sentences(paragraph):
    for end in SENTENCE_ENDS:
        paragraph = paragraph.replace(end, end + '\x00')
    for close in CLOSERS:
        paragraph = paragraph.replace('\x00' + close, close + '\x00')
    return [s for s in paragraph.split('\x00') if s.strip()]


def route(article_id, parts):
    """The part file an id goes to (also the fallback's shard): stable across runs."""
    return zlib.crc32(article_id.encode('utf-8')) % parts


class _Pool:
    """A fixed-size random sample of recent items, filled as articles stream by."""

    def __init__(self, rng):
        self.items, self.rng = [], rng

    def add(self, item):
        if len(self.items) < POOL_SIZE:
            self.items.append(item)
        else:
            self.items[self.rng.randrange(POOL_SIZE)] = item

    def pick(self):
        return self.rng.choice(self.items) if self.items else None


class _Seeds:
    """The seed corpora read in turn, in proportion to their article counts."""

    def __init__(self, files, rng):
        self.files, self.rng = files, rng
        self.counts = [_count_lines(path) for path in files]
        if not any(self.counts):
            raise ValueError('the seed corpora hold no articles')
        self.handles = [open(path, encoding='utf-8') for path in files]

    def next(self):
        i = self.rng.choices(range(len(self.files)), self.counts)[0]
        for _ in range(2):
            line = self.handles[i].readline()
            if not line:  # start that corpus over
                self.handles[i].seek(0)
                continue
            if line.strip():
                return json.loads(line)
        return self.next()

    def close(self):
        for h in self.handles:
            h.close()


def _count_lines(path):
    with open(path, 'rb') as f:
        return sum(1 for line in f if line.strip())


def perturb(article, number, rng, sentence_pools, title_pools):
    """The synthetic article number `number` made from seed `article`."""
    lang = article.get('lang') or 'und'
    sent_pool = sentence_pools.setdefault(lang, _Pool(rng))
    title_pool = title_pools.setdefault(lang, _Pool(rng))
    paragraphs = []
    originals = []
    for paragraph in (article.get('body') or '').split('\n\n'):
        out = []
        for s in sentences(paragraph):
            originals.append(s)
            other = sent_pool.pick() if rng.random() < SWAP_RATE else None
            out.append(other or s)
        if out:
            paragraphs.append(''.join(out).strip())
    title = article.get('title') or ''
    other_title = title_pool.pick() if rng.random() < SWAP_RATE else None
    # The pools learn from this article after it is made, so no article swaps
    # in its own sentences.
    for s in originals:
        sent_pool.add(s)
    if title:
        title_pool.add(title)
    new_id = f'syn-{number:08d}'
    when = END_DATE - TEN_YEARS * rng.random()
    out = dict(article)
    out.update({
        'id': new_id,
        'url': f'https://synthetic.example.com/{lang.lower()}/{number}',
        'title': other_title or title,
        'body': '\n\n'.join(paragraphs),
        'published': when.strftime('%Y-%m-%dT%H:%M:%SZ'),
    })
    return out


def generate(seed_files, out_folder, docs, parts, seed, on_article=None, progress=None):
    """Writes docs synthetic articles to out_folder/part-NN.jsonl (NN < parts, chosen
    by route(id)); calls on_article(number, article) for each. Returns
    {'docs', 'bytes', 'files'}."""
    rng = random.Random(seed)
    seeds = _Seeds(seed_files, rng)
    os.makedirs(out_folder, exist_ok=True)
    paths = [os.path.join(out_folder, f'part-{i:02d}.jsonl') for i in range(parts)]
    handles = [open(p, 'w', encoding='utf-8') for p in paths]
    sentence_pools, title_pools = {}, {}
    total = 0
    try:
        for number in range(docs):
            article = perturb(seeds.next(), number, rng, sentence_pools, title_pools)
            line = json.dumps(article, ensure_ascii=False) + '\n'
            handles[route(article['id'], parts)].write(line)
            total += len(line.encode('utf-8'))
            if on_article:
                on_article(number, article)
            if progress and number and number % 100000 == 0:
                progress(number)
    finally:
        for h in handles:
            h.close()
        seeds.close()
    return {'docs': docs, 'bytes': total, 'files': paths}
