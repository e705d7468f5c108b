"""Which story is published where: the one table both the pages and the truth read.

An :class:`Article` is one article URL on one demo site. Its ``paragraphs`` are
the story text as it should come out of the cleaner; the site modules render
HTML around exactly these paragraphs, and :mod:`demo.truth` reports them, so
pages and ground truth cannot drift apart.

Republished copies on zh-repost are derived here from the originals: an exact
copy reuses the paragraphs, an edited ("near") copy gets one sentence rewritten
and its paragraphs re-split, the way real republishers touch up stories.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from demo.stories_en import STORIES as EN_STORIES
from demo.stories_zh import STORIES as ZH_STORIES

STORIES = {**ZH_STORIES, **EN_STORIES}


@dataclass(frozen=True)
class Article:
    site: str
    path: str  # as linked: may carry a query string or fragment (URL disguises)
    story: str  # key into STORIES
    published_at: str  # exactly as the page (or its list/feed) states it
    paragraphs: tuple[str, ...] = ()
    shown_title: str = ""  # the headline as printed, clickbait prefix included
    duplicate_of: str | None = None  # "site:path" of the first publication
    duplicate_kind: str | None = None  # "url" | "exact" | "near"
    extra: dict = field(default_factory=dict, compare=False)  # site-specific display data

    @property
    def key(self) -> str:
        return f"{self.site}:{self.path}"

    @property
    def title(self) -> str:
        return STORIES[self.story]["title"]


def _original(site, path, story, published_at, **extra) -> Article:
    s = STORIES[story]
    return Article(site, path, story, published_at, tuple(s["paragraphs"]), s["title"], extra=extra)


def _edited(paragraphs, replace, split, merge) -> tuple[str, ...]:
    """Rewrite one sentence, split paragraph ``split`` after its first sentence
    and merge paragraph ``merge`` with the next one (indices of the input)."""
    assert merge > split, "merge first, so the split index stays valid"
    old, new = replace
    text = "\n".join(paragraphs)
    assert text.count(old) == 1, old
    out = text.replace(old, new).split("\n")
    head, tail = out[split].split("。", 1)
    assert tail, "split paragraph needs two sentences"
    out[merge] = out[merge] + out[merge + 1]
    del out[merge + 1]
    out[split : split + 1] = [head + "。", tail]
    return tuple(out)


def _copy(original: Article, path, published_at, kind, prefix="", edit=None, **extra) -> Article:
    paragraphs = _edited(original.paragraphs, **edit) if edit else original.paragraphs
    return Article(
        "zh-repost", path, original.story, published_at, paragraphs, prefix + original.title,
        duplicate_of=original.key, duplicate_kind=kind, extra=extra,
    )


def _url_alias(original: Article, path) -> Article:
    return Article(
        original.site, path, original.story, original.published_at, original.paragraphs,
        original.shown_title, duplicate_of=original.key, duplicate_kind="url", extra=original.extra,
    )


ZH_AGG = [
    _original("zh-agg", "/news/1001.html", "binhai-signing", "2023-02-02", category="天津产业信息", views=64),
    _original("zh-agg", "/news/1002.html", "metro-line4", "2023-02-09", category="交通出行", views=137),
    _original("zh-agg", "/news/1003.html", "xiqing-testroads", "2023-02-14", category="天津产业信息", views=88),
    _original("zh-agg", "/news/1004.html", "perovskite-cell", "2023-02-20", category="科技前沿", views=215),
    _original("zh-agg", "/news/1005.html", "dongli-biopark", "2023-02-23", category="天津产业信息", views=59),
    _original("zh-agg", "/news/1006.html", "baodi-renovation", "2023-02-27", category="民生关注", views=102),
    _original("zh-agg", "/news/1007.html", "hydrogen-forum", "2023-03-01", category="天津产业信息", views=73),
    _original("zh-agg", "/news/1008.html", "port-throughput", "2023-03-05", category="天津产业信息", views=190),
    _original("zh-agg", "/news/1009.html", "cold-wave", "2023-03-08", category="民生关注", views=341),
    _original("zh-agg", "/news/1010.html", "jinghai-coldchain", "2023-03-12", category="天津产业信息", views=46),
]

# charset: how the page declares GBK ("meta", "http-equiv" with gb2312, or None)
GBK_NEWS = [
    _original("gbk-news", "/a/2023/0302101.shtml", "haihe-greenway", "2023-03-02T15:20:00+08:00", charset="meta", channel="城市"),
    _original("gbk-news", "/a/2023/0304102.shtml", "wuqing-jobfair", "2023-03-04T17:05:00+08:00", charset="http-equiv", channel="民生"),
    _original("gbk-news", "/a/2023/0307103.shtml", "land-daily-0307", "2023-03-07T09:30:00+08:00", charset="meta", channel="房产"),
    _original("gbk-news", "/a/2023/0308104.shtml", "land-daily-0308", "2023-03-08T09:30:00+08:00", charset="http-equiv", channel="房产"),
    _original("gbk-news", "/a/2023/0309105.shtml", "nangang-ethylene", "2023-03-09T11:45:00+08:00", charset=None, channel="经济"),
    _original("gbk-news", "/a/2023/0311106.shtml", "ninghe-spring", "2023-03-11T16:10:00+08:00", charset="meta", channel="三农"),
]

EN_WIRE = [
    _original("en-wire", f"/2023/03/{slug}/", slug, when, author=author, section=section)
    for slug, when, author, section in [
        ("rail-extension", "2023-03-06T08:15:00+00:00", "Hannah Cole", "Transport"),
        ("northwind-results", "2023-03-07T13:05:00+00:00", "Marcus Reid", "Business"),
        ("brightwater-results", "2023-03-08T13:10:00+00:00", "Marcus Reid", "Business"),
        ("storm-warning", "2023-03-09T18:30:00+00:00", "Elena Park", "Weather"),
        ("archive-photos", "2023-03-10T15:40:00+00:00", "Tom Ashworth", "Culture"),
        ("sodium-battery", "2023-03-13T10:00:00+00:00", "Priya Nair", "Science"),
        ("chip-plant", "2023-03-15T16:20:00+00:00", "Marcus Reid", "Business"),
        ("housing-starts", "2023-03-17T14:00:00+00:00", "Hannah Cole", "Economy"),
    ]
]


def _by_story(articles, story) -> Article:
    return next(a for a in articles if a.story == story)


_BUS = _original("zh-repost", "/p/123.html", "express-bus", "2023-03-06T19:02:00+08:00")

ZH_REPOST = [
    _original("zh-repost", "/p/118.html", "community-canteen", "2023-03-07T08:40:00+08:00"),
    _BUS,
    _url_alias(_BUS, "/p/123.html?utm_source=wechat&spm=a.b.c"),
    _url_alias(_BUS, "/p/123.html#comments"),
    _copy(_by_story(ZH_AGG, "port-throughput"), "/p/130.html", "2023-03-06T09:15:00+08:00", "exact"),
    _copy(
        _by_story(ZH_AGG, "binhai-signing"), "/p/131.html", "2023-03-03T10:21:00+08:00", "near",
        prefix="全球即时看!", keywords="重点项目 招商引资 滨海新区",
        edit=dict(
            replace=(
                "据介绍,今年新区计划组织各类招商活动不少于60场,重点瞄准京津冀、长三角和粤港澳大湾区,全年力争新签约亿元以上项目300个以上。",
                "据悉,新区今年将组织招商活动60场以上,重点面向京津冀、长三角和粤港澳大湾区,全年力争新签约亿元以上项目超过300个。",
            ),
            split=1, merge=3,
        ),
    ),
    _copy(
        _by_story(GBK_NEWS, "haihe-greenway"), "/p/132.html", "2023-03-03T07:55:00+08:00", "near",
        prefix="天天快看点丨", keywords="海河 绿道 骑行",
        edit=dict(
            replace=(
                "据了解,相关部门还将在绿道沿线增设智能导览屏和应急呼叫设施,并计划在春季举办绿道骑行活动。",
                "记者了解到,下一步绿道沿线还将增设智能导览屏和应急呼叫设施,春季将举办首届绿道骑行节。",
            ),
            split=2, merge=3,
        ),
    ),
]

ARTICLES: list[Article] = [*ZH_AGG, *GBK_NEWS, *EN_WIRE, *ZH_REPOST]

# Pairs that look alike (one template, different facts) but are NOT duplicates.
HARD_NEGATIVES: list[tuple[str, str]] = [
    (_by_story(GBK_NEWS, "land-daily-0307").key, _by_story(GBK_NEWS, "land-daily-0308").key),
    (_by_story(EN_WIRE, "northwind-results").key, _by_story(EN_WIRE, "brightwater-results").key),
]


def site_articles(site: str) -> list[Article]:
    return [a for a in ARTICLES if a.site == site]
