"""Tests for pipeline.dedup: fingerprints, MinHash sketches, the SQLite LSH index, the report."""

from __future__ import annotations

import random
import sqlite3

import numpy as np
import pytest
from datasketch import MinHash

from pipeline.dedup import LSHIndex, Match, MinHasher, content_hash, dedup_report, derive
from pipeline.store.db import migrate
from pipeline.dedup.tokens import token_hashes

HASHER = MinHasher(num_perm=128, shingle=5, seed=1)

ZH_ARTICLE = [
    "新华社北京3月12日电 记者从国家统计局获悉，今年前两个月全国规模以上工业增加值同比增长7.0%，比去年全年加快2.4个百分点。",
    "分三大门类看，采矿业增加值增长2.3%，制造业增长7.7%，电力、热力、燃气及水生产和供应业增长7.9%。",
    "国家统计局新闻发言人表示，工业生产加快增长，主要得益于外需回暖和设备更新政策持续发力。",
    "从产品看，新能源汽车、集成电路、服务机器人等产品产量保持较快增长，分别增长38.6%、16.2%和28.4%。",
    "分地区看，东部地区增加值增长6.6%，中部地区增长7.9%，西部地区增长6.8%，东北地区增长3.1%。",
    "市场销售方面，前两个月社会消费品零售总额80593亿元，同比增长5.5%，其中餐饮收入增长12.5%。",
    "投资方面，全国固定资产投资50847亿元，同比增长4.2%，扣除房地产开发投资后增长8.9%。",
    "专家分析认为，随着一系列稳增长政策落地见效，经济回升向好的基础将进一步巩固。",
    "不过也要看到，外部环境复杂性、严峻性、不确定性上升，国内有效需求仍显不足。",
    "下一步，有关部门将加大宏观政策调控力度，着力扩大国内需求，推动经济实现质的有效提升和量的合理增长。",
    "业内人士指出，制造业投资的回升显示企业对未来的预期正在改善，高技术产业投资增速明显快于全部投资。",
    "此外，前两个月全国城镇调查失业率平均值为5.3%，与上年同期持平，就业形势总体稳定。",
]

EN_ARTICLE = [
    "The city council voted on Tuesday to approve a new light rail line connecting the airport with the downtown business district.",
    "The project, estimated to cost 2.4 billion dollars, is expected to break ground next spring and open to passengers in 2029.",
    "Supporters said the line would cut travel times by up to forty minutes during rush hour and reduce congestion on the main highway.",
    "Opponents raised concerns about the cost overruns seen on previous transit projects and the disruption construction would cause.",
    "Mayor Linda Carter called the decision a historic step for the region and thanked residents for their patience during the review.",
    "The line will include eleven stations, three of which will be built underground beneath the historic old town.",
    "Officials said federal grants would cover roughly half of the cost, with the rest coming from a regional sales tax approved by voters.",
    "Local businesses along the route have asked for compensation for lost revenue while streets are closed for construction.",
    "The transit authority plans to hold a series of public meetings next month to present detailed station designs.",
    "Environmental groups welcomed the vote, saying the line could remove thousands of cars from the road every day.",
    "A final agreement with the construction consortium is expected to be signed before the end of the year.",
    "Ridership forecasts suggest the line could carry about sixty thousand passengers per weekday within five years of opening.",
]


def zh_text(sentences, per_par=3):
    return "\n".join("".join(sentences[i:i + per_par]) for i in range(0, len(sentences), per_par))


def en_text(sentences, per_par=3):
    return "\n".join(" ".join(sentences[i:i + per_par]) for i in range(0, len(sentences), per_par))


def jaccard(a: str, b: str) -> float:
    """True 5-shingle Jaccard, from the tokens themselves (not the sketch's shingle hashes)."""
    def shingles(text):
        t = token_hashes(text).tolist()
        return {tuple(t[i:i + 5]) for i in range(max(1, len(t) - 4))}
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb)


def land_market_brief(day, n, area, price, premium, district, company):
    return zh_text([
        f"3月{day}日土地市场日报：当日全市共成交经营性用地{n}宗，总成交面积{area}万平方米，成交总价{price}亿元。",
        f"当日平均溢价率为{premium}%，较前一交易日变化{premium - 3}个百分点，{n - 2}宗地块以底价成交。",
        f"其中，{district}区一宗住宅用地由{company}以{price / 2:.1f}亿元竞得，楼面地价{int(area * 1000)}元/平方米。",
        f"{district}区另有{n - 3}宗商业用地挂牌，起始总价{price / 3:.1f}亿元，将于3月{day + 7}日截止报价。",
        f"截至3月{day}日，本月累计成交土地{n * 4}宗，累计成交金额{price * 5:.1f}亿元，同比{'增长' if day % 2 else '下降'}{premium + 11}%。",
        f"从成交结构看，住宅用地占比{premium + 40}%，工业用地占比{60 - premium}%，{district}区成交面积居各区首位。",
        f"{company}年内已在{district}区累计拿地{n + 1}宗，总投资额约{price * 3:.1f}亿元。",
    ])


def signing_report(district, projects, amount, jobs, sectors, official):
    return en_text([
        f"The {district} district held a signing ceremony on Friday for {projects} investment projects worth a combined {amount} billion yuan.",
        f"The projects cover {sectors} and are expected to create about {jobs} jobs once they are fully operational.",
        f"{official}, head of the {district} district government, said {projects} agreements signed today showed investor confidence in {district}.",
        f"Of the {projects} projects, {projects // 3} are worth more than {amount // 4} billion yuan each, according to the {district} investment bureau.",
        f"The {district} district has attracted {amount * 3} billion yuan of investment so far this year, up {jobs // 100} percent from a year earlier.",
        f"{official} said {district} would set up a service team for each of the {projects} projects to speed up approvals.",
        f"Construction of the first {projects // 2} {district} projects is scheduled to start within {jobs // 1000 + 2} months.",
    ])


def quarterly_results(company, revenue, growth, profit, margin, quarter):
    return en_text([
        f"{company} reported revenue of {revenue} million dollars for the {quarter} quarter, up {growth} percent from a year earlier.",
        f"Net profit for the {quarter} quarter was {profit} million dollars, with an operating margin of {margin} percent.",
        f"{company} said demand in its core markets remained strong in the {quarter} quarter and raised its full-year revenue forecast to {revenue * 4 + 150} million dollars.",
        f"Shares of {company} rose {growth // 3} percent in early trading after the {quarter} quarter results were published.",
        f"Analysts had expected {company} to post {quarter} quarter revenue of {revenue - 20} million dollars and a margin of {margin - 1} percent.",
        f"{company} ended the {quarter} quarter with {profit * 6} million dollars in cash and plans to buy back {profit // 2} million dollars of stock.",
    ])


# --- content_hash -----------------------------------------------------------

def test_content_hash_ignores_whitespace_punctuation_case_and_width():
    base = "新华社北京3月12日电，记者获悉：GDP增长5.2%。\nThe U.S. economy grew."
    variants = [
        "新华社北京3月12日电 记者获悉 GDP增长5.2%\n\nThe US economy grew",
        "新华社北京３月１２日电，记者获悉：ＧＤＰ增长５．２％。 The U.S. Economy GREW!",
        "  新 华 社 北 京 3 月 12 日 电，“记者获悉”：gdp 增长 5.2 % 。\tthe u.s. economy — grew… ",
    ]
    assert all(content_hash(v) == content_hash(base) for v in variants)
    assert len(content_hash(base)) == 32


def test_content_hash_differs_for_different_text():
    base = "新华社北京3月12日电 GDP增长5.2%"
    assert content_hash(base) != content_hash(base.replace("5.2", "5.3"))
    assert content_hash(base) != content_hash(base.replace("北京", "上海"))
    assert content_hash("The economy grew.") != content_hash("The economy shrank.")


# --- tokens and sketches ----------------------------------------------------

def test_tokens_are_cjk_characters_and_latin_words():
    assert len(token_hashes("中国GDP增长 5.2%, the U.S.")) == len(["中", "国", "gdp", "增", "长", "5", "2", "the", "u", "s"])
    assert np.array_equal(token_hashes("ＧＤＰ增长"), token_hashes("gdp 增 长"))
    assert len(token_hashes("  ,。 ")) == 0


def test_sketch_shape_dtype_and_determinism():
    sig = HASHER.sketch(zh_text(ZH_ARTICLE))
    assert sig.shape == (128,) and sig.dtype == np.uint32
    assert np.array_equal(sig, MinHasher(num_perm=128, shingle=5, seed=1).sketch(zh_text(ZH_ARTICLE)))
    assert not np.array_equal(sig, MinHasher(num_perm=128, shingle=5, seed=2).sketch(zh_text(ZH_ARTICLE)))
    assert HASHER.similarity(sig, HASHER.sketch(zh_text(ZH_ARTICLE, per_par=5))) == 1.0


def test_exact_jaccard_helper():
    a, b = HARD_NEGATIVES["quarterly results, two companies"]
    assert HASHER.jaccard(a, b) == pytest.approx(jaccard(a, b), abs=1e-9)
    assert HASHER.jaccard(a, a) == 1.0


def test_short_and_empty_texts():
    assert len(HASHER.shingle_hashes("one two")) == 1
    assert HASHER.similarity(HASHER.sketch("one two"), HASHER.sketch("One, two!")) == 1.0
    assert (HASHER.sketch("") == 0xFFFFFFFF).all()


def _overlapping_pairs(rng: random.Random, count: int):
    vocab = [f"w{i}" for i in range(5000)]
    for _ in range(count):
        a = [rng.choice(vocab) for _ in range(400)]
        b = list(a)
        for i in rng.sample(range(400), rng.randint(0, 40)):
            b[i] = rng.choice(vocab)
        yield " ".join(a), " ".join(b)


def test_sketch_estimates_true_jaccard_and_agrees_with_datasketch():
    errors, ds_errors = [], []
    for a, b in _overlapping_pairs(random.Random(3), 40):
        true = jaccard(a, b)
        est = HASHER.similarity(HASHER.sketch(a), HASHER.sketch(b))
        ds = []
        for text in (a, b):
            m = MinHash(num_perm=128, seed=1)
            m.update_batch([int(x).to_bytes(8, "little") for x in HASHER.shingle_hashes(text)])
            ds.append(m)
        errors.append(est - true)
        ds_errors.append(ds[0].jaccard(ds[1]) - true)
        assert abs(est - true) < 0.15  # > 4 standard deviations
    assert abs(np.mean(errors)) < 0.02  # unbiased
    assert np.mean(np.abs(errors)) < 0.05
    assert np.mean(np.abs(errors)) < 2 * np.mean(np.abs(ds_errors)) + 0.01


# --- LSH index --------------------------------------------------------------

@pytest.fixture
def db(tmp_path):
    path = tmp_path / "news.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    migrate(conn, path)
    yield path, conn
    conn.close()


def make_index(conn, **kw):
    return LSHIndex(conn, derive(0.8), **kw)


def zh_reposts():
    base = zh_text(ZH_ARTICLE)
    edited = list(ZH_ARTICLE)
    edited[7] = edited[7].replace("专家分析认为", "有专家表示")
    return base, {
        "picture caption + new title": "前两月工业增加值增长7%\n" + zh_text(ZH_ARTICLE[:3]) + "\n(相关资料图)\n" + zh_text(ZH_ARTICLE[3:]),
        "re-split paragraphs": zh_text(ZH_ARTICLE, per_par=1),
        "one sentence edited": zh_text(edited),
        "last sentence dropped": zh_text(ZH_ARTICLE[:-1]),
    }


def en_reposts():
    base = en_text(EN_ARTICLE)
    edited = list(EN_ARTICLE)
    edited[4] = edited[4].replace("called the decision a historic step", "described the vote as a milestone")
    return base, {
        "new headline": "Council backs airport rail link\n" + base,
        "re-split paragraphs": en_text(EN_ARTICLE, per_par=2),
        "one sentence edited": en_text(edited),
        "credit line added": base + "\n(Reporting by Staff; editing by Desk)",
    }


@pytest.mark.parametrize("corpus", [zh_reposts, en_reposts])
def test_reposts_are_found(db, corpus):
    _, conn = db
    index = make_index(conn)
    base, variants = corpus()
    index.add(1, HASHER.sketch(base))
    index.add(2, HASHER.sketch(zh_text(ZH_ARTICLE[6:]) if corpus is en_reposts else en_text(EN_ARTICLE[6:])))
    for name, text in variants.items():
        assert jaccard(base, text) >= 0.8, name
        m = index.query(HASHER.sketch(text))
        assert m is not None and m.article_id == 1, name
        assert m.similarity >= 0.8


HARD_NEGATIVES = {
    "land market daily, two days": (
        land_market_brief(14, 9, 46.3, 38.6, 7, "浦东", "华润置地"),
        land_market_brief(15, 7, 31.8, 25.2, 4, "闵行", "招商蛇口"),
    ),
    "signing ceremony, two districts": (
        signing_report("Haidian", 32, 48, 6500, "biomedicine, software and new materials", "Zhang Wei"),
        signing_report("Chaoyang", 27, 36, 5200, "biomedicine, software and new materials", "Li Ming"),
    ),
    "quarterly results, two companies": (
        quarterly_results("Northwind Systems", 812, 14, 96, 18, "third"),
        quarterly_results("Contoso Devices", 645, 9, 71, 15, "third"),
    ),
}


@pytest.mark.parametrize("name", HARD_NEGATIVES)
def test_hard_negatives_stay_apart(db, name):
    _, conn = db
    index = make_index(conn)
    a, b = HARD_NEGATIVES[name]
    assert jaccard(a, b) < 0.8
    index.add(1, HASHER.sketch(a))
    assert index.query(HASHER.sketch(b)) is None


def test_index_persists_across_reconnect(db):
    path, conn = db
    index = make_index(conn)
    base, variants = en_reposts()
    index.add(7, HASHER.sketch(base))
    conn.commit()
    conn.close()
    conn2 = sqlite3.connect(path)
    try:
        index2 = make_index(conn2)
        assert index2.query(HASHER.sketch(variants["one sentence edited"])).article_id == 7
    finally:
        conn2.close()


def test_index_does_not_commit(db):
    path, conn = db
    index = make_index(conn)
    conn.commit()
    index.add(1, HASHER.sketch(en_text(EN_ARTICLE)))
    assert conn.in_transaction
    conn.rollback()
    assert index.query(HASHER.sketch(en_text(EN_ARTICLE))) is None


def test_remove_and_readd(db):
    _, conn = db
    index = make_index(conn)
    sig = HASHER.sketch(zh_text(ZH_ARTICLE))
    index.add(1, sig)
    index.add(2, HASHER.sketch(en_text(EN_ARTICLE)))
    index.remove(1)
    assert index.query(sig) is None
    assert conn.execute("SELECT COUNT(*) FROM lsh_bands WHERE article_id = 1").fetchone()[0] == 0
    index.remove(1)  # no-op
    index.add(1, HASHER.sketch(en_text(EN_ARTICLE[:6])))
    index.add(1, sig)  # replaces the previous entry of article 1
    assert conn.execute("SELECT COUNT(*) FROM lsh_bands WHERE article_id = 1").fetchone()[0] == 16
    assert index.query(sig) == Match(1, 1.0)


def test_best_match_wins_and_ties_go_to_oldest(db):
    _, conn = db
    index = make_index(conn)
    base, variants = zh_reposts()
    index.add(5, HASHER.sketch(variants["one sentence edited"]))
    index.add(3, HASHER.sketch(base))
    index.add(4, HASHER.sketch(base))
    assert index.query(HASHER.sketch(base)) == Match(3, 1.0)


def test_near_misses_returns_pairs_below_threshold(db):
    _, conn = db
    index = make_index(conn)
    base = zh_text(ZH_ARTICLE)
    partial = zh_text(ZH_ARTICLE[1:10] + ZH_ARTICLE[11:])  # two of twelve sentences dropped
    assert 0.6 <= jaccard(base, partial) < 0.8
    index.add(1, HASHER.sketch(base))
    sig = HASHER.sketch(partial)
    assert index.query(sig) is None
    near = index.near_misses(sig, low=0.6)
    assert [m.article_id for m in near] == [1]
    assert 0.6 <= near[0].similarity < 0.8
    assert index.near_misses(HASHER.sketch(base), low=0.6) == []  # an exact match is not a near miss


def test_signature_length_must_match_banding(db):
    _, conn = db
    index = make_index(conn)
    with pytest.raises(ValueError):
        index.add(1, MinHasher(num_perm=64).sketch("some text here for a test"))


# --- report -----------------------------------------------------------------

def test_dedup_report_before_anything_is_indexed(db):
    _, conn = db
    assert dedup_report(conn) == {"clusters": [], "sites": [], "near_misses": []}


def test_dedup_report(db):
    _, conn = db
    index = make_index(conn)
    articles = [
        (1, "https://a.example/1", "a.example", "Rail line", en_text(EN_ARTICLE), 1),
        (2, "https://b.example/2", "b.example", "工业增加值", zh_text(ZH_ARTICLE), 1),
        (3, "https://c.example/3", "c.example", "工业增加值（摘要）", zh_text(ZH_ARTICLE[1:10] + ZH_ARTICLE[11:]), 2),
        (4, "https://c.example/4", "c.example", "Other", en_text(EN_ARTICLE[6:]) + " Unrelated filler text.", 2),
    ]
    for id_, url, site, title, text, run in articles:
        conn.execute("INSERT INTO articles (id, url, site, title, text, content_hash, run_id, fetched_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, '2023-03-01')", (id_, url, site, title, text, content_hash(text), run))
        index.add(id_, HASHER.sketch(text))
    conn.executemany(
        "INSERT INTO duplicates (url, site, article_id, kind, similarity, run_id) VALUES (?, ?, ?, ?, ?, ?)",
        [("https://b.example/9", "b.example", 1, "exact", 1.0, 1),
         ("https://c.example/9", "c.example", 1, "near", 0.9, 2),
         ("https://d.example/9", "d.example", 1, "near", 0.86, 2),
         ("https://a.example/8", "a.example", 2, "near", 0.93, 2)])
    report = dedup_report(conn, limit=10)

    top = report["clusters"][0]
    assert (top["article_id"], top["copies"], top["sites"]) == (1, 3, 4)
    assert top["kinds"] == {"exact": 1, "near": 2}
    assert [c["article_id"] for c in report["clusters"]] == [1, 2]

    shares = {s["site"]: s for s in report["sites"]}
    assert shares["d.example"]["duplicate_share"] == 1.0
    assert (shares["c.example"]["articles"], shares["c.example"]["duplicates"]) == (2, 1)
    assert shares["c.example"]["duplicate_share"] == pytest.approx(1 / 3)

    near = report["near_misses"]
    assert [(p["article_id"], p["other_id"]) for p in near] == [(2, 3)]
    assert 0.6 <= near[0]["similarity"] < 0.8
    assert near[0]["url"] == "https://b.example/2"
    assert dedup_report(conn, run_id=1)["near_misses"][0]["other_id"] == 3
