"""Synthetic news articles for the dedup benchmarks.

An article is a list of sentences, each a template (Chinese or English
news phrasing) filled with random facts: places, companies, people,
numbers, dates. Templated text makes hard negatives natural: the same
templates with other facts are a different article, the way two days of a
"land market daily" brief or two companies' quarterly results are.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

ZH_TEMPLATES = [
    "{month}月{day}日，{city}市{district}区举行重大项目集中签约仪式，共签约项目{n}个，总投资{money}亿元。",
    "当日全市共成交经营性用地{n}宗，总成交面积{area}万平方米，成交总价{money}亿元，平均溢价率{pct}%。",
    "其中，{district}区一宗住宅用地由{company}以{money}亿元竞得，楼面地价{price}元/平方米。",
    "{company}发布公告称，公司第{quarter}季度实现营业收入{money}亿元，同比增长{pct}%。",
    "报告期内，{company}归属于上市公司股东的净利润为{money}亿元，毛利率为{pct}%。",
    "据{city}市统计局数据，{month}月份全市规模以上工业增加值同比增长{pct}%，增速比上月加快{small}个百分点。",
    "{person}在会上表示，{city}将继续优化营商环境，全年计划新增市场主体{n}万户。",
    "记者从{city}市交通运输局获悉，地铁{n}号线{district}段预计于{year}年{month}月开通运营。",
    "该线路全长{area}公里，共设车站{n}座，其中换乘站{small}座，总投资约{money}亿元。",
    "受冷空气影响，{month}月{day}日至{day2}日，{city}大部分地区将出现{n}至{n2}摄氏度的降温。",
    "气象部门提醒，{district}区等地最低气温将降至零下{small}摄氏度，请市民注意防寒保暖。",
    "{city}市教育局宣布，今年全市计划新建中小学{n}所，新增学位{price}个。",
    "在当晚进行的比赛中，{team}队以{n}比{n2}战胜对手，{person}全场独得{score}分。",
    "本赛季{team}队已取得{n}场胜利，目前在积分榜上排名第{small}位。",
    "{company}董事长{person}介绍，新工厂投产后年产能将达到{price}吨，可带动就业{n}人。",
    "截至{month}月底，{city}累计建成{area}万平方米保障性住房，惠及{price}户家庭。",
    "{district}区市场监管局近日开展专项检查，共检查经营主体{price}家，立案查处{n}起。",
    "今年前{month}个月，{city}口岸进出口总值{money}亿元，同比增长{pct}%，其中出口增长{pct2}%。",
    "专家认为，随着一系列政策措施落地见效，{city}经济有望保持稳中向好的态势。",
    "不过也要看到，外部环境的不确定性依然较多，部分行业仍面临需求不足的压力。",
    "{person}指出，下一步将重点推进{n}项民生实事，确保年底前全部完成。",
    "据悉，该项目由{company}投资建设，计划于{year}年底前完工，建成后将新增就业岗位{price}个。",
    "{city}文化和旅游局数据显示，假期期间全市共接待游客{money}万人次，实现旅游收入{money2}亿元。",
    "医院方面介绍，{person}是该院今年完成的第{price}例此类手术患者，目前恢复良好。",
    "{month}月{day}日上午，{city}召开新闻发布会，通报{district}区{n}起安全生产事故调查情况。",
]

EN_TEMPLATES = [
    "The {city} council voted {n} to {n2} on {weekday} to approve a {money} million dollar plan to expand the {district} rail line.",
    "{company} reported revenue of {money} million dollars for the {ordinal} quarter, up {pct} percent from a year earlier.",
    "Net profit at {company} rose to {money2} million dollars, while the operating margin reached {pct2} percent.",
    "Shares of {company} climbed {small} percent in early trading after the results were published on {weekday}.",
    "{person}, the chief executive of {company}, said demand remained strong in {city} and across the region.",
    "Officials in {district} said {n} investment agreements worth {money} million dollars were signed at the ceremony.",
    "The projects are expected to create about {price} jobs once they are fully operational in {year}.",
    "Temperatures in {city} are forecast to drop to {small} degrees by {weekday}, with up to {n} centimeters of snow in {district}.",
    "The {team} beat their rivals {n} to {n2} on {weekday} night, with {person} scoring {score} points.",
    "The win was the {ordinal} in a row for the {team}, who now sit {small} games clear at the top of the table.",
    "According to the statistics office, retail sales in {city} grew {pct} percent in {monthname}, the fastest pace in {n} months.",
    "Unemployment in the region fell to {small}.{n} percent, down from {small2}.{n2} percent a year earlier.",
    "{person} told reporters that the {district} project would be completed by the end of {year}, ahead of schedule.",
    "The new plant run by {company} will have an annual capacity of {price} tonnes and employ {n} people.",
    "Police in {city} said {n} people were injured when a bus collided with a truck on {street} early on {weekday}.",
    "Firefighters brought the blaze at the {district} warehouse under control after {n} hours, officials said.",
    "The hospital said it had treated {price} patients since the clinic opened in {monthname} {year}.",
    "Exports from the port of {city} rose {pct} percent to {money} million dollars in the first {small} months of the year.",
    "Analysts had expected {company} to report revenue of {money2} million dollars for the period.",
    "Environmental groups welcomed the decision, saying it would cut emissions by {pct} percent by {year}.",
    "Critics warned that the plan could cost taxpayers more than {money} million dollars over {n} years.",
    "The school board in {city} approved {n} new schools that will add {price} places for students by {year}.",
    "Tourist arrivals in {city} reached {money} thousand during the holiday week, generating {money2} million dollars in revenue.",
    "{person} said the agency would hold {n} public meetings in {district} before a final decision in {monthname}.",
    "A spokesperson for {company} declined to comment on the {district} deal beyond the statement released on {weekday}.",
]

ZH_FILL = {
    "city": ["北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "重庆", "苏州", "天津"],
    "district": ["浦东", "闵行", "海淀", "朝阳", "天河", "南山", "西湖", "锦江", "江汉", "鼓楼", "雁塔", "渝中"],
    "company": ["华润置地", "招商蛇口", "保利发展", "万科", "比亚迪", "海尔智家", "格力电器", "中国建筑", "宁德时代", "美的集团"],
    "person": ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴昊"],
    "team": ["广东", "辽宁", "新疆", "浙江", "北京", "上海", "山东", "深圳"],
}
EN_FILL = {
    "city": ["Springfield", "Riverton", "Lakewood", "Fairview", "Greenville", "Bristol", "Madison", "Salem", "Ashford", "Clayton"],
    "district": ["Northside", "Harbor", "Old Town", "Westfield", "Eastgate", "Hillcrest", "Southbank", "Midtown"],
    "company": ["Northwind Systems", "Contoso Devices", "Fabrikam Foods", "Tailspin Motors", "Litware Energy", "Adatum Bank", "Proseware Labs"],
    "person": ["Linda Carter", "James Moore", "Priya Shah", "Tom Becker", "Ana Lopez", "Wei Zhang", "Omar Haddad", "Grace Kim"],
    "team": ["Hawks", "Rangers", "Tigers", "Mariners", "Wolves", "Comets", "Pioneers"],
    "weekday": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "ordinal": ["first", "second", "third", "fourth", "fifth", "sixth"],
    "monthname": ["January", "March", "April", "June", "August", "October", "November"],
    "street": ["Main Street", "Oak Avenue", "Route 9", "Harbor Road", "King Street"],
}

ZH_TITLES = ["{city}重大项目集中签约", "{company}季度业绩公布", "{city}土地市场日报", "{city}发布最新经济数据", "{team}队主场获胜"]
EN_TITLES = ["{city} approves rail plan", "{company} beats forecasts", "{team} extend winning run", "{city} braces for cold snap", "Investment deals signed in {district}"]


def _facts(rng: random.Random, lang: str) -> dict:
    fill = ZH_FILL if lang == "zh" else EN_FILL
    facts = {k: rng.choice(v) for k, v in fill.items()}
    facts.update(
        n=rng.randint(2, 60), n2=rng.randint(2, 60), small=rng.randint(1, 9), small2=rng.randint(1, 9),
        money=round(rng.uniform(1, 900), 1), money2=round(rng.uniform(1, 900), 1),
        pct=round(rng.uniform(0.5, 30), 1), pct2=round(rng.uniform(0.5, 30), 1),
        area=round(rng.uniform(1, 120), 1), price=rng.randint(1000, 90000), score=rng.randint(10, 50),
        month=rng.randint(1, 12), day=rng.randint(1, 20), day2=rng.randint(21, 28),
        year=rng.randint(2025, 2031), quarter=rng.randint(1, 4),
    )
    return facts


@dataclass
class Article:
    """A generated article: its title, template ids and per-sentence facts."""

    lang: str
    title: str
    templates: list[int]
    facts: list[dict]
    paragraph_sizes: list[int] = field(default_factory=list)

    @property
    def sentences(self) -> list[str]:
        table = ZH_TEMPLATES if self.lang == "zh" else EN_TEMPLATES
        return [table[t].format(**f) for t, f in zip(self.templates, self.facts)]

    def text(self, sentences: list[str] | None = None, sizes: list[int] | None = None) -> str:
        """Title line, then paragraphs of ``sizes`` sentences each."""
        sentences = self.sentences if sentences is None else sentences
        joiner = "" if self.lang == "zh" else " "
        paragraphs, i = [], 0
        for size in sizes or self.paragraph_sizes:
            if i >= len(sentences):
                break
            paragraphs.append(joiner.join(sentences[i:i + size]))
            i += size
        if i < len(sentences):
            paragraphs.append(joiner.join(sentences[i:]))
        return "\n".join([self.title, *paragraphs])


def random_sizes(rng: random.Random, n: int) -> list[int]:
    sizes = []
    while sum(sizes) < n:
        sizes.append(rng.randint(1, 4))
    return sizes


def article(rng: random.Random, lang: str) -> Article:
    """A base article of 12-22 sentences on one set of facts."""
    table = ZH_TEMPLATES if lang == "zh" else EN_TEMPLATES
    k = rng.randint(12, min(22, len(table)))
    facts = _facts(rng, lang)
    sentence_facts = []
    for _ in range(k):  # a few facts vary from sentence to sentence, as in real reports
        f = dict(facts)
        for key in rng.sample(["n", "n2", "money", "money2", "pct", "price"], 2):
            f[key] = _facts(rng, lang)[key]
        sentence_facts.append(f)
    titles = ZH_TITLES if lang == "zh" else EN_TITLES
    return Article(lang, rng.choice(titles).format(**facts), rng.sample(range(len(table)), k),
                   sentence_facts, random_sizes(rng, k))


def with_other_facts(rng: random.Random, a: Article, share: float) -> Article:
    """Same templates in the same order, facts redrawn in ``share`` of the sentences
    (and a fresh title): a different article on the same template."""
    fresh = _facts(rng, a.lang)
    facts = [dict(f) for f in a.facts]
    for i in rng.sample(range(len(facts)), max(1, round(share * len(facts)))):
        facts[i] = {**_facts(rng, a.lang), **{k: fresh[k] for k in ZH_FILL if k in fresh}}
    titles = ZH_TITLES if a.lang == "zh" else EN_TITLES
    return Article(a.lang, rng.choice(titles).format(**fresh), list(a.templates), facts, list(a.paragraph_sizes))


def edit_sentence(rng: random.Random, sentence: str, lang: str) -> str:
    """A light copy-edit: reword a few tokens of one sentence."""
    if lang == "zh":
        pos = rng.randrange(max(1, len(sentence) - 4))
        return sentence[:pos] + rng.choice(["据了解，", "此外", "记者注意到", "有关负责人说"]) + sentence[pos + rng.randint(0, 3):]
    words = sentence.split()
    pos = rng.randrange(len(words))
    words[pos:pos + rng.randint(0, 2)] = [rng.choice(["reportedly", "also", "on Monday", "officials said", "in total"])]
    return " ".join(words)
