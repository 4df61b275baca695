"""The command line: ingest, docs, show, with --json; messages and exit codes."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

import cli

SEEDS = Path("tests/data/seeds")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    assert cli.main(["ingest", str(SEEDS), "--data", str(data)]) == 0
    return data


def _json(capsys, argv) -> object:
    capsys.readouterr()
    code = cli.main(argv)
    out = capsys.readouterr().out
    assert code == 0
    assert "\\u" not in out  # UTF-8, not ASCII-escaped
    return json.loads(out)


def test_docs_lists_every_seed(data, capsys):
    docs = _json(capsys, ["docs", "--json", "--data", str(data)])
    assert sorted(d["source"] for d in docs) == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert {d["metadata"]["number"] for d in docs} >= {"588-KH/ĐU", "45-KH/ĐU", "232-KH/HU",
                                                       "398-KH/ĐU"}


@pytest.mark.parametrize("name", ["588-KH/ĐU", "588 - kh/đu", "000_2eff75776fabfddb.txt",
                                  "000_2eff75776fabfddb"])
def test_show_accepts_number_file_name_or_id(data, capsys, name):
    shown = _json(capsys, ["show", name, "--json", "--data", str(data)])
    assert shown["source"] == "000_2eff75776fabfddb.txt"
    again = _json(capsys, ["show", shown["doc_id"], "--json", "--data", str(data)])
    assert again["doc_id"] == shown["doc_id"]


def test_show_json_spans_match_the_text(data, capsys):
    shown = _json(capsys, ["show", "232-KH/HU", "--json", "--data", str(data)])
    for passage in shown["passages"]:
        assert shown["text"][passage["start"] : passage["end"]] == passage["text"]


def test_show_unknown_document_suggests_close_names(data, capsys):
    assert cli.main(["show", "589-KH/ĐU", "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert "589-KH/ĐU" in err and "588-KH/ĐU" in err


def test_ingest_exit_code_and_summary_name_the_bad_file(tmp_path, capsys):
    folder = tmp_path / "docs"
    shutil.copytree(SEEDS, folder)
    (folder / "hong.pdf").write_bytes(b"%PDF-1.4 cut short")
    code = cli.main(["ingest", str(folder), "--data", str(tmp_path / "d")])
    captured = capsys.readouterr()
    assert code == 1
    assert "hong.pdf" in captured.err and "Đã nhập 5 văn bản" in captured.out


def test_data_dir_defaults_to_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VANKIEN_DATA", str(tmp_path / "env-data"))
    assert cli.main(["ingest", str(SEEDS / "004_a0edec7e92b5a00b.txt")]) == 0
    assert (tmp_path / "env-data" / "catalog.sqlite").exists()


GOLDEN = json.loads(Path("tests/data/metadata_golden.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_show_json_gives_each_seeds_metadata_end_to_end(data, capsys, seed):
    """Acceptance: number, type, date, issuer, subject and signer of every seed, through the
    real reader, cleaner and catalog (golden values written by reading the documents)."""
    expected = GOLDEN[f"seeds/{seed}"]
    shown = _json(capsys, ["show", seed, "--json", "--data", str(data)])["metadata"]
    for field in ("number", "doc_type", "date", "issuer", "subject", "signer"):
        assert shown[field] == expected[field], field


def test_show_an_ambiguous_number_lists_every_match(tmp_path, capsys):
    # Party numbers restart each term: two plans numbered 588-KH/ĐU must not be conflated.
    seed = (SEEDS / "000_2eff75776fabfddb.txt").read_text(encoding="utf-8")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "ke-hoach-2025.txt").write_text(seed, encoding="utf-8")
    (folder / "ke-hoach-2020.txt").write_text(
        seed.replace("ngày 15 tháng 01 năm 2025", "ngày 15 tháng 01 năm 2020"), encoding="utf-8")
    assert cli.main(["ingest", str(folder), "--data", str(tmp_path / "d")]) == 0
    capsys.readouterr()
    assert cli.main(["show", "588-KH/ĐU", "--data", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err
    assert "ke-hoach-2025.txt" in err and "ke-hoach-2020.txt" in err


def test_search_without_a_model_answers_on_words_and_says_so(data, capsys):
    capsys.readouterr()
    assert cli.main(["search", "bao cao vien", "--json", "--data", str(data)]) == 0
    out = json.loads(capsys.readouterr().out)
    hit = out["hits"][0]
    assert {"doc_id", "source", "number", "passage_id", "text", "start", "end", "heading",
            "score", "duplicates"} <= set(hit)
    assert "báo cáo viên" in hit["text"].lower()
    assert cli.main(["search", "bao cao vien", "--data", str(data)]) == 0
    captured = capsys.readouterr()
    assert "chỉ tìm theo từ ngữ" in captured.err and "[[" in captured.out


@pytest.mark.parametrize(("query", "code", "expected"), [
    ("   ", 2, "Hãy nhập nội dung cần tìm"),
    ("zzyzx qwvb", 0, "Không tìm thấy đoạn nào"),
    ("kế hoạch " * 1500, 0, "câu tìm dài quá"),
])
def test_search_bad_queries_get_messages(data, capsys, query, code, expected):
    capsys.readouterr()
    assert cli.main(["search", query, "--data", str(data)]) == code
    captured = capsys.readouterr()
    assert expected in captured.out + captured.err


def test_search_with_no_catalog_says_how_to_build_one(tmp_path, capsys):
    assert cli.main(["search", "kế hoạch", "--data", str(tmp_path / "trong")]) == 2
    assert "python cli.py ingest" in capsys.readouterr().err


def test_search_within_documents_citing_a_reference(data, capsys):
    """--cites keeps the hits to the plans that cite the reference (any spelling)."""
    out = _json(capsys, ["search", "học tập", "--cites", "Chỉ thị 05-CT/TW", "--json",
                         "--data", str(data)])
    citing = _json(capsys, ["cites", "05-CT/TW", "--json", "--data", str(data)])
    allowed = {row["doc_id"] for row in citing["citing"]}
    assert out["hits"] and {h["doc_id"] for h in out["hits"]} <= allowed
    assert any("05-CT/TW" in n for n in out["notices"])


def test_search_citing_an_unknown_reference_says_so(data, capsys):
    capsys.readouterr()
    assert cli.main(["search", "học tập", "--cites", "999-KL/TW", "--data", str(data)]) == 2
    assert "Không biết văn bản" in capsys.readouterr().err


def test_eval_runs_on_the_labelled_queries_it_can(data, capsys):
    """Without the model: the BM25 and hybrid rows, over the seed queries the catalog holds."""
    out = _json(capsys, ["eval", "--json", "--data", str(data)])
    assert 0 < out["queries"] < out["total"]  # only the seeds are in this catalog
    assert set(out["legs"]) == {"bm25", "hybrid"}
    assert 0.0 < out["legs"]["bm25"]["all"]["mrr_10"] <= 1.0
    capsys.readouterr()
    assert cli.main(["eval", "--data", str(data)]) == 0
    assert "MRR@10" in capsys.readouterr().out


def test_eval_on_a_catalog_without_its_documents(tmp_path, capsys):
    assert cli.main(["eval", "--data", str(tmp_path)]) == 2
    assert "python cli.py ingest" in capsys.readouterr().err


def test_a_damaged_catalog_is_named_and_rebuilt_from_the_sources(tmp_path, capsys):
    """Garbage over the catalog's pages: a message with the fix, no traceback; then
    `ingest --rebuild` sets the damaged file aside and builds the catalog again."""
    data = tmp_path / "d"
    assert cli.main(["ingest", str(SEEDS), "--data", str(data)]) == 0
    catalog = data / "catalog.sqlite"
    with sqlite3.connect(catalog) as db:  # everything into the main file, as after a close
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = bytearray(catalog.read_bytes())
    raw[4096:] = bytes(len(raw) - 4096)  # every page after the first zeroed
    catalog.write_bytes(bytes(raw))
    capsys.readouterr()
    assert cli.main(["search", "báo cáo viên", "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert "danh mục bị hỏng" in err and "ingest --rebuild" in err and "Traceback" not in err
    assert cli.main(["ingest", str(SEEDS), "--rebuild", "--data", str(data)]) == 0
    assert "Đã chuyển danh mục cũ sang" in capsys.readouterr().out
    docs = _json(capsys, ["docs", "--json", "--data", str(data)])
    assert len(docs) == 5 and len(list(data.glob("hong-*/catalog.sqlite"))) == 1
