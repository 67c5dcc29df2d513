"""Relevance metrics of scripts/eval/run, over one query's ranked ids and its judgments.

judgments maps article id -> grade (0, 1 or 2); an id that is not in it (unjudged)
counts as grade 0. Plain functions of their arguments, safe to call from any thread.

- nDCG@k: gain = grade (2, 1, 0), discount 1 / log2(rank + 1); the ideal ranking is
  all the query's judged grades in decreasing order, cut at k.
- Reciprocal rank: 1 / rank of the first result graded MIN_RELEVANT or more, 0 if none.
- Recall@k: share of the articles graded MIN_RELEVANT or more that stand in the top k.
"""
import math

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


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else None
