#!/usr/bin/env python3
"""Unit tests of the relevance metrics (scripts/eval/relevance.py), on hand-worked examples.

Run by CTest (tests/CMakeLists.txt) and on its own: python3 scripts/eval/relevance_test.py
"""
import math
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import relevance  # noqa: E402

# Grades 2, 0, 1 in the first three ranks; a fourth judged article (grade 1) never returned.
JUDGED = {'a': 2, 'b': 0, 'c': 1, 'd': 1}
RANKED = ['a', 'b', 'c', 'x']   # 'x' is unjudged


class NdcgTest(unittest.TestCase):
    def test_graded_gains_against_the_ideal_of_all_judged_grades(self):
        # DCG = 2/log2(2) + 0/log2(3) + 1/log2(4) = 2 + 0 + 0.5 = 2.5
        # ideal: grades 2, 1, 1, 0 -> 2 + 1/log2(3) + 1/2 = 3.1309...
        ideal = 2 + 1 / math.log2(3) + 0.5
        self.assertAlmostEqual(relevance.ndcg_at(RANKED, JUDGED, 10), 2.5 / ideal)
        self.assertAlmostEqual(2.5 / ideal, 0.798488, places=5)

    def test_grades_two_zero_one_against_an_ideal_of_two_one(self):
        # DCG = 2 + 0 + 1/2 = 2.5; ideal = 2 + 1/log2(3) = 2.6309...; nDCG = 0.95023...
        judged = {'a': 2, 'b': 0, 'c': 1}
        self.assertAlmostEqual(relevance.ndcg_at(['a', 'b', 'c'], judged), 2.5 / (2 + 1 / math.log2(3)))
        self.assertAlmostEqual(relevance.ndcg_at(['a', 'b', 'c'], judged), 0.950234, places=5)

    def test_cut_at_k_applies_to_both_the_ranking_and_the_ideal(self):
        # k = 1: DCG 2, ideal 2.
        self.assertAlmostEqual(relevance.ndcg_at(RANKED, JUDGED, 1), 1.0)
        # k = 2: DCG 2 + 0, ideal 2 + 1/log2(3).
        self.assertAlmostEqual(relevance.ndcg_at(RANKED, JUDGED, 2), 2 / (2 + 1 / math.log2(3)))

    def test_ideal_order_scores_one_and_nothing_relevant_scores_zero(self):
        self.assertAlmostEqual(relevance.ndcg_at(['a', 'c', 'd'], JUDGED), 1.0)
        self.assertEqual(relevance.ndcg_at(['b', 'x', 'y'], JUDGED), 0.0)
        self.assertEqual(relevance.ndcg_at([], JUDGED), 0.0)

    def test_a_repeated_id_gains_once(self):
        self.assertAlmostEqual(relevance.ndcg_at(['a', 'a', 'c'], JUDGED), relevance.ndcg_at(['a', 'c'], JUDGED))


class ReciprocalRankTest(unittest.TestCase):
    def test_first_result_of_grade_one_or_more(self):
        self.assertEqual(relevance.reciprocal_rank(['b', 'x', 'c', 'a'], JUDGED), 1 / 3)
        self.assertEqual(relevance.reciprocal_rank(RANKED, JUDGED), 1.0)

    def test_grade_zero_and_unjudged_results_do_not_count(self):
        self.assertEqual(relevance.reciprocal_rank(['b', 'x'], JUDGED), 0.0)

    def test_a_stricter_grade_skips_grade_one(self):
        self.assertEqual(relevance.reciprocal_rank(['c', 'b', 'a'], JUDGED, min_grade=2), 1 / 3)


class RecallTest(unittest.TestCase):
    def test_share_of_grade_one_or_more_in_the_top_k(self):
        # Relevant: a, c, d. The top 10 holds a and c.
        self.assertAlmostEqual(relevance.recall_at(RANKED, JUDGED, 10), 2 / 3)
        # The top 1 holds a only.
        self.assertAlmostEqual(relevance.recall_at(RANKED, JUDGED, 1), 1 / 3)

    def test_everything_found_and_nothing_found(self):
        self.assertEqual(relevance.recall_at(['d', 'c', 'a'], JUDGED, 10), 1.0)
        self.assertEqual(relevance.recall_at(['b', 'x'], JUDGED, 10), 0.0)

    def test_mean(self):
        self.assertAlmostEqual(relevance.mean([1.0, 0.5, 0.0]), 0.5)
        self.assertIsNone(relevance.mean([]))


class StoryTest(unittest.TestCase):
    # a1 and a2 are copies of one story (grade 2 each); c is another story (grade 1).
    JUDGED = {'a1': 2, 'a2': 2, 'c': 1}
    STORY = {'a1': 'a1', 'a2': 'a1', 'c': 'c'}

    def test_a_second_copy_gains_nothing_and_the_ideal_holds_each_story_once(self):
        # Ideal by story: 2, 1 -> 2 + 1/log2(3). Copies first: 2 + 0 + 1/2.
        ideal = 2 + 1 / math.log2(3)
        self.assertAlmostEqual(relevance.story_ndcg_at(['a1', 'a2', 'c'], self.JUDGED, self.STORY), 2.5 / ideal)
        # One copy, then the other story: the ideal.
        self.assertAlmostEqual(relevance.story_ndcg_at(['a2', 'c'], self.JUDGED, self.STORY), 1.0)
        # Per article, the copies-first ranking is the ideal one instead.
        self.assertAlmostEqual(relevance.ndcg_at(['a1', 'a2', 'c'], self.JUDGED), 1.0)

    def test_recall_counts_stories(self):
        self.assertAlmostEqual(relevance.story_recall_at(['a1', 'a2'], self.JUDGED, self.STORY, 10), 0.5)
        self.assertAlmostEqual(relevance.story_recall_at(['a2', 'c'], self.JUDGED, self.STORY, 10), 1.0)

    def test_groups_come_from_the_texts(self):
        body = '英伟达周三公布第二季度财报，营收达到三百亿美元，同比增长一倍以上，超过分析师预期。'
        groups = relevance.same_story_groups({
            'x': body,
            'y': body + '（本文来源：财经快讯）',
            'z': '恒生指数周二收跌百分之一，科技股领跌，成交额萎缩至八百亿港元。',
        })
        self.assertEqual(groups['y'], 'x')
        self.assertEqual(groups['z'], 'z')


if __name__ == '__main__':
    unittest.main()
