"""Accuracy benchmark: exact hash alone vs exact hash + MinHash LSH.

Builds labelled pairs from generated Chinese and English articles (see
``corpus.py``): reposts that differ in formatting, a leftover caption or
credit line, a new headline, light copy-edits of 1-5% of the sentences,
partial reposts; and hard negatives: the same templates with other facts in
most sentences, and other reports on the same event. A pair is a
duplicate when the TRUE Jaccard similarity of its 5-token shingle sets is
>= 0.8. The full method accepts a pair when the content hashes are equal or
when ``LSHIndex.query`` finds the first article for the second one. For
comparison, a third variant re-checks ambiguous candidates (estimate in
[0.7, 0.9)) with the exact Jaccard of the two texts.

Usage::

    .venv/bin/python bench/dedup/accuracy.py [--pairs-per-kind 20] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import article, edit_sentence, random_sizes, with_other_facts  # noqa: E402

from pipeline.dedup import LSHIndex, MinHasher, content_hash, derive, verified_match  # noqa
from pipeline.store.db import migrate  # noqa: E402
from pipeline.dedup.tokens import token_hashes  # noqa: E402

THRESHOLD = 0.8
HASHER = MinHasher(num_perm=128, shingle=5, seed=1)
CAPTIONS = {"zh": ["(相关资料图)", "（图片来源：网络）", "点击进入专题"], "en": ["(File photo)", "Photo: Reuters", "Read more:"]}


def true_jaccard(a: str, b: str, k: int = 5) -> float:
    def shingles(text):
        t = token_hashes(text).tolist()
        return {tuple(t[i:i + k]) for i in range(max(1, len(t) - k + 1))}
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb)


def make_pairs(rng: random.Random, lang: str, per_kind: int):
    """Yield ``(kind, text_a, text_b)``."""
    for kind in ("reformatted", "caption_line", "new_headline", "light_edit", "edit_and_caption",
                 "partial", "template_other_facts", "same_event_other_report"):
        for _ in range(per_kind * (2 if kind in ("light_edit", "partial", "template_other_facts") else 1)):
            a = article(rng, lang)
            s = a.sentences
            sizes = random_sizes(rng, len(s))
            other = article(rng, lang)
            if kind == "reformatted":
                b = a.text(sizes=sizes)
            elif kind == "caption_line":
                b = a.text(sizes=sizes).replace("\n", f"\n{rng.choice(CAPTIONS[lang])}\n", 1)
            elif kind == "new_headline":
                b = a.text().replace(a.title, other.title, 1)
            elif kind in ("light_edit", "edit_and_caption"):
                edited = list(s)
                for i in rng.sample(range(len(s)), max(1, round(len(s) * rng.uniform(0.01, 0.05)))):
                    edited[i] = edit_sentence(rng, s[i], lang)
                b = a.text(edited, sizes)
                if kind == "edit_and_caption":
                    b = other.title + "\n" + b.split("\n", 1)[1] + "\n" + rng.choice(CAPTIONS[lang])
            elif kind == "partial":
                drop = rng.randint(1, max(1, round(0.3 * len(s))))
                start = rng.choice([len(s) - drop, rng.randrange(len(s) - drop + 1)])
                b = a.text(s[:start] + s[start + drop:], sizes)
            elif kind == "template_other_facts":
                b = with_other_facts(rng, a, rng.uniform(0.6, 1.0)).text()
            else:  # same facts, other sentences: another outlet's report on the same event
                b = type(a)(lang, a.title, other.templates, [a.facts[0]] * len(other.templates), sizes).text()
            yield kind, a.text(), b


def lsh_match(a: str, b: str) -> tuple[bool, bool, float]:
    """``(estimate-only query found a, verified match found a, estimate)`` for texts a, b.

    The verified decision is the one newsrake uses (pipeline.dedup.verified_match):
    estimates >= 0.9 accepted outright, those in [0.7, 0.9) re-checked with the
    exact shingle Jaccard of the texts.
    """
    sig_a, sig_b = HASHER.sketch(a), HASHER.sketch(b)
    conn = sqlite3.connect(":memory:")
    migrate(conn, "bench")
    index = LSHIndex(conn, derive(THRESHOLD))
    index.add(1, sig_a)
    found = index.query(sig_b) is not None
    verified = verified_match(index, HASHER, b, sig_b, lambda _: a) is not None
    conn.close()
    return found, verified, HASHER.similarity(sig_a, sig_b)


def scores(pred: list[bool], gold: list[bool]) -> dict:
    tp = sum(p and g for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(g and not p for p, g in zip(pred, gold))
    return {"precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
            "tp": tp, "fp": fp, "fn": fn}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs-per-kind", type=int, default=20, help="per language (x2 for the main kinds)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    rows = []
    for lang in ("zh", "en"):
        for kind, a, b in make_pairs(rng, lang, args.pairs_per_kind):
            j = true_jaccard(a, b)
            lsh, verified, est = lsh_match(a, b)
            exact = content_hash(a) == content_hash(b)
            rows.append({"lang": lang, "kind": kind, "jaccard": j, "estimate": est,
                         "gold": j >= THRESHOLD, "exact": exact, "full": exact or lsh,
                         "verified": exact or verified})

    gold = [r["gold"] for r in rows]
    result = {
        "pairs": len(rows), "positives": sum(gold),
        "exact_only": scores([r["exact"] for r in rows], gold),
        "exact_plus_minhash_lsh": scores([r["full"] for r in rows], gold),
        "with_text_verification": scores([r["verified"] for r in rows], gold),
        "by_kind": {},
        "errors": [{k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()}
                   for r in rows if r["full"] != r["gold"]],
    }
    by_kind = defaultdict(list)
    for r in rows:
        by_kind[r["lang"] + "/" + r["kind"]].append(r)
    for key, rs in by_kind.items():
        js = [r["jaccard"] for r in rs]
        result["by_kind"][key] = {
            "pairs": len(rs), "positives": sum(r["gold"] for r in rs),
            "jaccard_min_median_max": [round(min(js), 3), round(float(np.median(js)), 3), round(max(js), 3)],
            "exact_found": sum(r["exact"] for r in rs), "full_found": sum(r["full"] for r in rs),
        }
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
