"""Export (CSV / JSON Lines), read-only query, stats and dedup-report through the CLI."""

import csv
import io
import json

from tests.helpers import newsrake, rows


def export_columns(db):
    """The articles table's columns, with published_date after published_at."""
    cols = [name for _, name, *_ in rows(db, "PRAGMA table_info(articles)")]
    at = cols.index("published_at") + 1
    return cols[:at] + ["published_date"] + cols[at:]


def test_csv_round_trips_through_the_csv_module(crawled, tmp_path):
    db, _, _ = crawled
    out = tmp_path / "articles.csv"
    newsrake("export", "--db", db, "--format", "csv", "-o", out, check=True)
    with open(out, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == export_columns(db)
        exported = {r["url"]: r for r in reader}
    stored = dict(rows(db, "SELECT url, text FROM articles"))
    assert {url: r["text"] for url, r in exported.items()} == stored  # multi-line Chinese text intact


def test_csv_with_bom_for_excel_and_stdout(crawled):
    db, _, _ = crawled
    result = newsrake("export", "--db", db, "--bom", "--site", "gbk-news", check=True)
    assert result.stdout.startswith("\ufeffid,url,")
    body = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))[1:]
    assert body and {r[3] for r in body} == {"gbk-news"}


def test_jsonl_with_duplicates_and_date_range(crawled):
    db, _, _ = crawled
    result = newsrake("export", "--db", db, "--format", "jsonl", "--include-duplicates",
                      "--since", "2023-03-01", "--until", "2023-03-07", check=True)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records
    assert all("2023-03-01" <= r["published_at"][:10] <= "2023-03-07" for r in records)
    dups = [r for r in records if r["duplicate_of"]]
    assert dups and all(r["duplicate_kind"] in ("url", "exact", "near") for r in dups)
    urls = {r["url"] for r in records}
    assert len(urls) == len(records)


def test_export_refuses_bad_dates_and_existing_files(crawled, tmp_path):
    db, _, _ = crawled
    bad = newsrake("export", "--db", db, "--since", "2023-13-45")
    assert bad.returncode == 2 and "invalid date '2023-13-45'" in bad.stderr
    out = tmp_path / "keep.csv"
    out.write_text("precious")
    refused = newsrake("export", "--db", db, "-o", out)
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert out.read_text() == "precious"
    newsrake("export", "--db", db, "-o", out, "--force", check=True)
    assert out.read_text(encoding="utf-8").startswith("id,url,")


def test_query_is_read_only(crawled):
    db, _, _ = crawled
    before = rows(db, "SELECT count(*) FROM articles")[0][0]
    result = newsrake("query", "--db", db, "DELETE FROM articles")
    assert result.returncode == 2 and "read-only" in result.stderr
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == before
    ok = newsrake("query", "--db", db, "SELECT site, count(*) AS n FROM articles GROUP BY site", "--json", check=True)
    assert {r["site"] for r in json.loads(ok.stdout)} == {"zh-agg", "gbk-news", "en-wire", "zh-repost"}
    as_csv = newsrake("query", "--db", db, "SELECT count(*) AS n FROM articles", "--csv", check=True)
    assert as_csv.stdout.splitlines() == ["n", str(before)]


def test_query_missing_database(tmp_path):
    result = newsrake("query", "--db", tmp_path / "none.db", "SELECT 1")
    assert result.returncode == 2 and "no such database" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_stats_and_dedup_report(crawled):
    db, _, _ = crawled
    stats = newsrake("stats", "--db", db, check=True).stdout
    assert "completed" in stats and "zh-repost" in stats
    report = json.loads(newsrake("dedup-report", "--db", db, "--json", check=True).stdout)
    top = report["clusters"][0]
    assert top["copies"] >= 1
    shares = {s["site"]: s["duplicate_share"] for s in report["sites"]}
    assert shares["en-wire"] == 0  # nobody republishes en-wire
    assert shares["zh-repost"] + shares["zh-agg"] + shares["gbk-news"] > 0


def test_query_errors_are_messages_not_tracebacks(crawled):
    db, _, _ = crawled
    for sql in ("SELECT 1; SELECT 2", "SELEC nonsense", "SELECT * FROM no_such_table"):
        result = newsrake("query", "--db", db, sql)
        assert result.returncode == 2 and "SQL error" in result.stderr and "Traceback" not in result.stderr, sql
