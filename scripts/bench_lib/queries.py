"""The query set: reproducible queries cut out of the indexed articles.

Every query is text taken from one article (its "id"), so an engine that finds
what the user typed should return that article. To make "found in the top 100"
a fair test of matching rather than of ranking, a candidate is kept only when
it occurs at most MAX_MATCHES times in the indexed set, so in at most that many
articles (counted as a case-insensitive substring of title + body, English
words on word boundaries, and after the query's filters): whatever the ranking,
the source article then fits easily within the first 100 results. English
words whose first letters start many words are left out too, so that stemming
cannot widen them much.

Kinds (and how many of the 300):
  en_word     one English word from Reuters or tidewire text            35
  en_phrase   two or three adjacent Reuters words, in double quotes     25
  zh_hans     2-6 Han characters from an xwlb article (Simplified)      60
  zh_hant     2-6 Han characters from an hkcnews article (Traditional)  60
  mixed       an English word and 2-4 Han characters of one tidewire    30
              article
  filtered    a word or Han substring with a source filter, a date      45
              range or both
  sorted      a word or Han substring, results sorted by date           45
Han substring lengths are drawn with weights 2:40%, 3:20%, 4:20%, 5:10%, 6:10%.
"""
import bisect
import datetime
import json
import random
import re

MAX_MATCHES = 10        # occurrences a query may have in the indexed set (see above)
MAX_STEM_FAMILY = 50    # word-initial occurrences of an English word's first letters
FILTER_TEXT_SCAN = 3000  # occurrences scanned for a filtered query's text
HAN_LENGTH_WEIGHTS = {2: 40, 3: 20, 4: 20, 5: 10, 6: 10}
KIND_COUNTS = {'en_word': 35, 'en_phrase': 25, 'zh_hans': 60, 'zh_hant': 60,
               'mixed': 30, 'filtered': 45, 'sorted': 45}
MAX_ATTEMPTS = 20000    # per query, before giving up on the corpus

HAN = '\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff'
HAN_RUN = re.compile(f'[{HAN}]+')
# Characters beyond the BMP would make Python store the whole search string at
# four bytes a character; queries never contain them, so the copy replaces them.
ASTRAL = re.compile('[\U00010000-\U0010ffff]')
# An English word: letters between non-letters; pieces of contractions,
# possessives and abbreviations ("company's" -> "s", "U.S." -> "S") are left out.
WORD = re.compile(r"(?<![A-Za-z0-9'\u2019.])[A-Za-z]+(?![A-Za-z0-9'\u2019])")
# Words that make a poor one-word query or the only long word of a phrase.
STOPWORDS = set('''the and for are was its has not but you all can new one our out
about above after again against also because been before being below between
both could does doing down during each from further have having here into itself more most
other over said same should some such than that their them then there these they this those
through under until very were what when where which while will with would your'''.split())


class QueryError(Exception):
    pass


def _ascii_alnum(ch):
    return ch.isascii() and ch.isalnum()


class Corpus:
    """All indexed articles as one lowercased string, for fast substring counting."""

    def __init__(self, files):
        self.ids, self.corpus, self.source, self.day, self.lang = [], [], [], [], []
        self.text = []           # title + "\n" + body, original case
        pieces, self.starts, offset = [], [], 0
        for name, path in files:
            with open(path, encoding='utf-8') as f:
                for line in f:
                    if not line.strip():
                        continue
                    art = json.loads(line)
                    text = (art.get('title') or '') + '\n' + (art.get('body') or '')
                    self.ids.append(art['id'])
                    self.corpus.append(name)
                    self.source.append(art.get('source', ''))
                    self.day.append((art.get('published') or '')[:10])
                    self.lang.append(art.get('lang', ''))
                    self.text.append(text)
                    low = ASTRAL.sub('\ufffd', text.lower())
                    self.starts.append(offset)
                    pieces.append(low)
                    offset += len(low) + 1
        self.all = '\x00'.join(pieces)
        self.by_corpus = {}
        for i, name in enumerate(self.corpus):
            self.by_corpus.setdefault(name, []).append(i)

    def doc_at(self, pos):
        return bisect.bisect_right(self.starts, pos) - 1

    def docs_containing(self, needle, max_hits, word=False, word_start=False):
        """The set of articles whose text contains needle (lowercased); None as soon as
        more than max_hits occurrences are seen."""
        hits, docs, pos = 0, set(), 0
        text = self.all
        while True:
            pos = text.find(needle, pos)
            if pos < 0:
                return docs
            end = pos + len(needle)
            ok = True
            if word or word_start:
                ok = pos == 0 or not _ascii_alnum(text[pos - 1])
                if word and ok and end < len(text) and _ascii_alnum(text[end]):
                    ok = False
            if ok:
                hits += 1
                if hits > max_hits:
                    return None
                docs.add(self.doc_at(pos))
            pos += 1


def _han_substring(rng, text, length):
    """A random run of exactly length Han characters from text, or None."""
    spans = [(m.start(), m.end()) for m in HAN_RUN.finditer(text) if m.end() - m.start() >= length]
    if not spans:
        return None
    weights = [end - start - length + 1 for start, end in spans]
    start, end = rng.choices(spans, weights)[0]
    at = rng.randrange(start, end - length + 1)
    return text[at:at + length]


def _han_length(rng):
    lengths = list(HAN_LENGTH_WEIGHTS)
    return rng.choices(lengths, [HAN_LENGTH_WEIGHTS[n] for n in lengths])[0]


def _english_word(rng, text, min_len=4):
    words = [w for w in WORD.findall(text) if len(w) >= min_len and w.lower() not in STOPWORDS]
    return rng.choice(words).lower() if words else None


def _english_phrase(rng, text):
    paragraphs = [p for p in text.split('\n') if p.strip()]
    para = rng.choice(paragraphs)
    words = list(WORD.finditer(para))
    if len(words) < 3:
        return None
    n = rng.choice((2, 3))
    i = rng.randrange(0, len(words) - n + 1)
    run = words[i:i + n]
    if any(para[a.end():b.start()] != ' ' for a, b in zip(run, run[1:])):
        return None
    if any(len(w.group()) < 2 for w in run):
        return None
    if not any(len(w.group()) >= 4 and w.group().lower() not in STOPWORDS for w in run):
        return None
    return para[run[0].start():run[-1].end()].lower()


def _stem_family_ok(corpus, word):
    key = word[:max(4, len(word) - 3)]
    return corpus.docs_containing(key, MAX_STEM_FAMILY, word_start=True) is not None


def _text_for(rng, corpus, doc, han_len, max_hits):
    """A word or Han substring of article doc with its matching articles, or (None, None)."""
    text = corpus.text[doc]
    if HAN_RUN.search(text) and (corpus.lang[doc] != 'en'):
        q = _han_substring(rng, text, han_len)
        return (q, corpus.docs_containing(q, max_hits)) if q else (None, None)
    q = _english_word(rng, text)
    if not q or not _stem_family_ok(corpus, q):
        return None, None
    return q, corpus.docs_containing(q, max_hits, word=True)


def _shift(day, days):
    return (datetime.date.fromisoformat(day) + datetime.timedelta(days=days)).isoformat()


class Generator:
    """Makes candidate queries of each kind; a method returns a query, or a false
    value when its random pick is unusable (too common, too short, ...)."""

    def __init__(self, corpus, rng):
        self.c = corpus
        self.rng = rng
        # Drawn once per query slot, not per attempt: rare long substrings are
        # easier to find, and redrawing would starve the two-character ones.
        self.han_len = 2
        self.pools = {}
        self.corpus_names = sorted(corpus.by_corpus)

    def pick(self, names, lang=None):
        """A random article of the named corpora, optionally of the given languages."""
        key = (tuple(names), lang)
        if key not in self.pools:
            pool = [i for n in names for i in self.c.by_corpus.get(n, [])]
            self.pools[key] = [i for i in pool if self.c.lang[i] in lang] if lang else pool
        if not self.pools[key]:
            raise QueryError(f'no articles for {", ".join(names)} {lang or ""}')
        return self.rng.choice(self.pools[key])

    def en_word(self, n):
        corpus = 'tidewire' if n % 7 == 6 else 'reuters'
        doc = self.pick([corpus], ('en', 'mixed'))
        q = _english_word(self.rng, self.c.text[doc])
        if not q or not _stem_family_ok(self.c, q):
            return None
        docs = self.c.docs_containing(q, MAX_MATCHES, word=True)
        return docs is not None and {'q': q, 'id_doc': doc, 'matches': len(docs)}

    def en_phrase(self, n):
        doc = self.pick(['reuters'])
        phrase = _english_phrase(self.rng, self.c.text[doc])
        if not phrase:
            return None
        docs = self.c.docs_containing(phrase, MAX_MATCHES, word=True)
        return docs is not None and {'q': f'"{phrase}"', 'id_doc': doc, 'matches': len(docs)}

    def _zh(self, corpus):
        doc = self.pick([corpus])
        q = _han_substring(self.rng, self.c.text[doc], self.han_len)
        if not q:
            return None
        docs = self.c.docs_containing(q, MAX_MATCHES)
        return docs is not None and {'q': q, 'id_doc': doc, 'matches': len(docs)}

    def zh_hans(self, n):
        return self._zh('xwlb')

    def zh_hant(self, n):
        return self._zh('hkcnews')

    def mixed(self, n):
        doc = self.pick(['tidewire'], ('mixed',))
        text = self.c.text[doc]
        en = _english_word(self.rng, text, min_len=3)
        zh = _han_substring(self.rng, text, min(self.han_len, 4))
        if not en or not zh:
            return None
        zh_docs = self.c.docs_containing(zh, 500)
        if zh_docs is None:
            return None
        both = [d for d in zh_docs
                if re.search(rf'(?<![a-z0-9]){re.escape(en)}(?![a-z0-9])', self.c.text[d].lower())]
        if len(both) > MAX_MATCHES:
            return None
        q = f'{en} {zh}' if self.rng.random() < 0.5 else f'{zh} {en}'
        return {'q': q, 'id_doc': doc, 'matches': len(both)}

    def any_corpus(self):
        """A random article of a random corpus: small corpora get an equal share."""
        return self.pick([self.rng.choice(self.corpus_names)])

    def filtered(self, n):
        doc = self.any_corpus()
        q, docs = _text_for(self.rng, self.c, doc, self.han_len, FILTER_TEXT_SCAN)
        if not q or docs is None:
            return None
        shape = ('source', 'date', 'both', 'both')[n % 4]
        query = {'q': q, 'id_doc': doc}
        if shape in ('source', 'both'):
            query['source'] = self.c.source[doc]
            docs = {d for d in docs if self.c.source[d].lower() == query['source'].lower()}
        if shape in ('date', 'both'):
            day = self.c.day[doc]
            query['from'] = _shift(day, -self.rng.randrange(0, 31))
            query['to'] = _shift(day, self.rng.randrange(0, 31))
            docs = {d for d in docs if query['from'] <= self.c.day[d] <= query['to']}
        if len(docs) > MAX_MATCHES:
            return None
        query['matches'] = len(docs)
        return query

    def sorted(self, n):
        doc = self.any_corpus()
        q, docs = _text_for(self.rng, self.c, doc, self.han_len, MAX_MATCHES)
        if not q or docs is None:
            return None
        return {'q': q, 'id_doc': doc, 'sort': 'date', 'matches': len(docs)}


def _stands_in_article(corpus, query):
    """Every part of the query occurs in the text of the article it came from."""
    text = corpus.text[query['id_doc']].lower()
    q = query['q']
    parts = [q.strip('"')] if q.startswith('"') else q.split()
    return all(part in text for part in parts)


def build(files, seed, total=300):
    """Builds the query set from [(corpus name, path)]; returns the list of queries."""
    corpus = Corpus(files)
    rng = random.Random(seed)
    gen = Generator(corpus, rng)
    scale = total / sum(KIND_COUNTS.values())
    counts = {kind: round(n * scale) for kind, n in KIND_COUNTS.items()}
    counts['zh_hans'] += total - sum(counts.values())
    queries, seen = [], set()
    for kind, count in counts.items():
        make = getattr(gen, kind)
        for n in range(count):
            gen.han_len = _han_length(rng)
            for _ in range(MAX_ATTEMPTS):
                q = make(n)
                if not q:
                    continue
                key = (q['q'], q.get('source'), q.get('from'), q.get('to'), q.get('sort'))
                if key in seen:
                    continue
                if not _stands_in_article(corpus, q):
                    raise QueryError(f'internal error: query {q["q"]!r} is not in its article')
                seen.add(key)
                break
            else:
                raise QueryError(f'could not find a {kind} query within {MAX_ATTEMPTS} tries')
            doc = q.pop('id_doc')
            q.update(kind=kind, id=corpus.ids[doc], corpus=corpus.corpus[doc])
            if kind in ('zh_hans', 'zh_hant') or HAN_RUN.fullmatch(q['q']):
                q['han_chars'] = len(q['q'])
            queries.append(q)
    for i, q in enumerate(queries):
        q['n'] = i
    return queries


def request(query, limit):
    """The batch-protocol line for a query."""
    line = {'q': query['q'], 'limit': limit}
    for key in ('source', 'from', 'to', 'sort'):
        if key in query:
            line[key] = query[key]
    return json.dumps(line, ensure_ascii=False)
