"""A synthetic archive of N articles for the search benchmark, built once and cached under /tmp.

Chinese articles (80 %) are sentences of 1-4 character pieces cut from the demo stories, 200-1,400
characters (median about 700, a short news item to a long report); English ones (20 %) are words of
the demo's English stories, 150-600 words. The benchmark's query words are planted at known rates, so
their document frequencies are those of a real archive: ``天津`` in about 2 % of the Chinese articles,
``土地市场`` in 0.5 %, ``发展`` (a very common word) in 30 %, ``council`` in 5 % of the English ones.
Rows go in with executemany, 20,000 per transaction, through the real schema and its triggers (both
search indexes are maintained as a crawl maintains them).
"""

from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path

from demo.stories_en import STORIES as EN_STORIES
from demo.stories_zh import STORIES as ZH_STORIES
from pipeline.store import SCHEMA_VERSION, Store, connect

PLANTED_ZH = {"天津": 0.02, "土地市场": 0.005, "发展": 0.30}
PLANTED_EN = {"council": 0.05}
BATCH = 20_000
SITES = 20


def _story_texts(stories) -> list[str]:
    return [" ".join([s["title"], *s["paragraphs"]]) for s in stories.values()]


def _zh_pieces(rng: random.Random) -> list[str]:
    """1-4 character pieces of the demo's Chinese, none containing a planted word."""
    runs = [r for t in _story_texts(ZH_STORIES) for r in re.findall(r"[\u4e00-\u9fff]+", t)]
    pieces = set()
    for run in runs:
        i = 0
        while i < len(run):
            n = rng.choice((1, 2, 2, 2, 3, 4))
            pieces.add(run[i:i + n])
            i += n
    return sorted(p for p in pieces if not any(w in p for w in PLANTED_ZH))


def _en_words() -> list[str]:
    words = {w for t in _story_texts(EN_STORIES) for w in re.findall(r"[A-Za-z]+", t)}
    return sorted(w for w in words if w.lower() not in PLANTED_EN and not w.lower().startswith("council"))


def _zipf(words: list[str], rng: random.Random) -> tuple[list[str], list[float]]:
    rng.shuffle(words)
    weights, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1 / rank
        weights.append(total)
    return words, weights


def _zh_article(rng, pieces, cum) -> tuple[str, str]:
    length = int(min(1400, max(200, rng.lognormvariate(6.55, 0.45))))
    words = rng.choices(pieces, cum_weights=cum, k=length // 2)
    for word, rate in PLANTED_ZH.items():
        if rng.random() < rate:
            words[rng.randrange(len(words))] = word
    sentences, i = [], 0
    while i < len(words):
        n = rng.randint(6, 18)
        sentences.append("".join(words[i:i + n]) + rng.choice("，。。"))
        i += n
    paragraphs = ["".join(sentences[j:j + 4]) for j in range(0, len(sentences), 4)]
    return "".join(rng.choices(pieces, cum_weights=cum, k=8)), "\n".join(paragraphs)


def _en_article(rng, words, cum) -> tuple[str, str]:
    length = rng.randint(150, 600)
    text = rng.choices(words, cum_weights=cum, k=length)
    for word, rate in PLANTED_EN.items():
        if rng.random() < rate:
            text[rng.randrange(len(text))] = word
    sentences = [" ".join(text[j:j + 15]).capitalize() + "." for j in range(0, len(text), 15)]
    paragraphs = [" ".join(sentences[j:j + 4]) for j in range(0, len(sentences), 4)]
    return " ".join(rng.choices(words, cum_weights=cum, k=8)).title(), "\n".join(paragraphs)


def generated(rng: random.Random):
    """Endless ``(is_english, title, text)`` of the archive's mix, drawn from ``rng``."""
    zh, zh_cum = _zipf(_zh_pieces(rng), rng)
    en, en_cum = _zipf(_en_words(), rng)
    while True:
        english = rng.random() < 0.2
        yield (english, *(_en_article(rng, en, en_cum) if english else _zh_article(rng, zh, zh_cum)))


def build(path: Path, n: int, seed: int = 13, runs: int = 0) -> None:
    """Create the archive at ``path`` (replacing a partial one), with progress on stderr; ``runs``: the
    articles spread over that many completed crawl runs (0: no run rows)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    rng = random.Random(seed)
    articles = generated(rng)
    Store(path).close()
    conn = connect(path)
    conn.execute("PRAGMA cache_size = -1000000")  # 1 GB of page cache: the FTS b-trees stay in memory
    conn.executemany("INSERT INTO runs (id, started_at, finished_at, status, kind) VALUES (?, ?, ?, 'completed',"
                     " 'crawl')", [(r, f"2024-01-01T00:00:{r % 60:02d}", f"2024-01-01T01:00:{r % 60:02d}")
                                   for r in range(1, runs + 1)])
    start = time.monotonic()
    for first in range(0, n, BATCH):
        rows = []
        for i in range(first, min(n, first + BATCH)):
            english, title, text = next(articles)
            day = f"{2023 + i * 2 // n}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            rows.append((f"http://site{i % SITES}.example/news/{i}.html", f"site{i % SITES}", title, text,
                         f"{day}T08:00:00+08:00", f"{day}T01:00:00+00:00", "en" if english else "zh", f"h{i}",
                         1 + i * runs // n if runs else None))
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO articles (url, site, title, text, published_at, fetched_at, lang, content_hash,"
                         " run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.execute("COMMIT")
        done = min(n, first + BATCH)
        print(f"built {done}/{n} articles in {time.monotonic() - start:.0f} s", file=sys.stderr, flush=True)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def cached(n: int, cache: Path) -> Path:
    """The archive of ``n`` articles under ``cache``, built if missing or of another schema."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"search-{n}-v{SCHEMA_VERSION}.db"
    done = path.with_suffix(".done")
    if not done.exists():
        build(path, n)
        done.write_text(str(n))
    return path
