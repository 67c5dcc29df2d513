"""Relevance metrics of scripts/eval/run, over one query's ranked ids and its judgments.

judgments maps article id -> grade (0, 1 or 2); an id that is not in it (unjudged)
counts as grade 0. Plain functions of their arguments, safe to call from any thread.

- nDCG@k: gain = grade (2, 1, 0), discount 1 / log2(rank + 1); the ideal ranking is
  all the query's judged grades in decreasing order, cut at k.
- Reciprocal rank: 1 / rank of the first result graded MIN_RELEVANT or more, 0 if none.
- Recall@k: share of the articles graded MIN_RELEVANT or more that stand in the top k.

By story: copies of one story (syndicated or reprinted articles, grouped by
same_story_groups from their text, never by what an engine says) count once. A
ranking gains from the first copy of a story it shows; later copies gain 0, as
TREC counts duplicates. The ideal ranking holds each story once, at its best
grade; recall counts the relevant stories with a copy in the top k. These are
the figures that show what collapsing copies into one result is for.
"""
import math
import re
import unicodedata

MIN_RELEVANT = 1   # grade from which an article counts as relevant for MRR and recall


def _unique(ranked):
    """The ids in rank order without repeats: an id returned twice is credited once."""
    seen, out = set(), []
    for doc in ranked:
        if doc not in seen:
            seen.add(doc)
            out.append(doc)
    return out


def dcg(gains):
    """Discounted cumulative gain of gains listed by rank (rank 1 first)."""
    return sum(g / math.log2(rank + 1) for rank, g in enumerate(gains, 1))


def ndcg_at(ranked, judgments, k=10):
    ideal = dcg(sorted(judgments.values(), reverse=True)[:k])
    if ideal <= 0:
        return 0.0
    return dcg([judgments.get(doc, 0) for doc in _unique(ranked)[:k]]) / ideal


def reciprocal_rank(ranked, judgments, min_grade=MIN_RELEVANT):
    for rank, doc in enumerate(_unique(ranked), 1):
        if judgments.get(doc, 0) >= min_grade:
            return 1.0 / rank
    return 0.0


def recall_at(ranked, judgments, k=10, min_grade=MIN_RELEVANT):
    relevant = {doc for doc, grade in judgments.items() if grade >= min_grade}
    if not relevant:
        return 0.0
    return len(relevant.intersection(_unique(ranked)[:k])) / len(relevant)


SHINGLE = 5          # characters per shingle when comparing texts
SAME_STORY = 0.7     # Jaccard similarity of shingle sets from which two texts are one story


def _shingles(text):
    flat = re.sub(r'\s+', '', unicodedata.normalize('NFKC', text).lower())
    return {flat[i:i + SHINGLE] for i in range(max(1, len(flat) - SHINGLE + 1))}


def same_story_groups(texts, threshold=SAME_STORY):
    """{id: story key} for texts ({id: text}): ids whose texts share threshold of their
    character shingles (Jaccard), transitively, get the smallest such id as key."""
    ids = sorted(texts)
    sets = {doc: _shingles(texts[doc]) for doc in ids}
    parent = {doc: doc for doc in ids}

    def root(doc):
        while parent[doc] != doc:
            parent[doc] = parent[parent[doc]]
            doc = parent[doc]
        return doc

    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            union = len(sets[a] | sets[b])
            if union and len(sets[a] & sets[b]) / union >= threshold:
                ra, rb = root(a), root(b)
                parent[max(ra, rb)] = min(ra, rb)
    return {doc: root(doc) for doc in ids}


def _story_gains(ranked, judgments, story):
    """Gains by rank where only the first copy of a story gains."""
    seen, gains = set(), []
    for doc in _unique(ranked):
        key = story.get(doc, doc)
        gains.append(0 if key in seen else judgments.get(doc, 0))
        seen.add(key)
    return gains


def _best_by_story(judgments, story):
    best = {}
    for doc, grade in judgments.items():
        key = story.get(doc, doc)
        best[key] = max(best.get(key, 0), grade)
    return best


def story_ndcg_at(ranked, judgments, story, k=10):
    ideal = dcg(sorted(_best_by_story(judgments, story).values(), reverse=True)[:k])
    if ideal <= 0:
        return 0.0
    return dcg(_story_gains(ranked, judgments, story)[:k]) / ideal


def story_recall_at(ranked, judgments, story, k=10, min_grade=MIN_RELEVANT):
    relevant = {key for key, grade in _best_by_story(judgments, story).items() if grade >= min_grade}
    if not relevant:
        return 0.0
    shown = {story.get(doc, doc) for doc in _unique(ranked)[:k] if judgments.get(doc, 0) >= min_grade}
    return len(relevant & shown) / len(relevant)


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else None
