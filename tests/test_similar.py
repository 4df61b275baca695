"""Precedent wording and phrase lineage: plumbing on small documents written for the test
(quality with the real model is in tests/test_similar_quality.py)."""

from __future__ import annotations

import json
import sqlite3

import pytest

import cli
from core.errors import EmptyQueryError
from query.lineage import lineage
from query.similar import LABELS, similar
from store.schema import SCHEMA_VERSION
from store.shingles import SHINGLE_WORDS, WINDOW, fingerprints, shingle_hashes, words
from store.store import Store
from store.update import ingest
from tests.seeds import seed_stores

BOILERPLATE = ("Các cấp ủy, tổ chức đảng tăng cường công tác kiểm tra, giám sát việc học tập, "
               "quán triệt và thực hiện nghị quyết của Đảng; kịp thời biểu dương những tập thể, "
               "cá nhân thực hiện tốt, chấn chỉnh những nơi thực hiện chưa nghiêm.")
SLOGAN = "kỷ nguyên vươn mình của dân tộc"


def _plan(place: str, day: str, number: str, subject: str, body: str) -> str:
    return (f"ĐẢNG BỘ HUYỆN {place.upper()}\n\n{place}, {day}\n\nSố {number}\n\nKẾ HOẠCH\n"
            f"{subject}\n\nI. MỤC ĐÍCH, YÊU CẦU\n\n{body}\n\nII. TỔ CHỨC THỰC HIỆN\n\n"
            f"{BOILERPLATE}\n\nT/M BAN THƯỜNG VỤ\nBÍ THƯ\n\nNguyễn Văn An\n")


PLANS = {
    "a.txt": _plan("Tam Đường", "ngày 18 tháng 5 năm 2021", "12-KH/HU",
                   "Học tập chuyên đề năm 2021",
                   "Nâng cao nhận thức của cán bộ, đảng viên về xây dựng Đảng trong sạch, vững "
                   "mạnh; gắn việc học tập với giải quyết những vấn đề bức xúc ở cơ sở."),
    "b.txt": _plan("Sìn Hồ", "ngày 03 tháng 02 năm 2023", "40-KH/HU",
                   "Tuyên truyền kỷ nguyên mới",
                   f"Tuyên truyền sâu rộng về {SLOGAN}, tạo khí thế thi đua sôi nổi trong toàn "
                   "Đảng bộ và các tầng lớp Nhân dân trên địa bàn huyện."),
    "c.txt": _plan("Phong Thổ", "ngày 10 tháng 3 năm 2025", "77-KH/HU",
                   "Thực hiện nhiệm vụ năm 2025",
                   f"Đẩy mạnh chuyển đổi số trong cơ quan đảng, đưa đất nước bước vào {SLOGAN}; "
                   "hoàn thành các chỉ tiêu đại hội đề ra."),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return seed_stores(tmp_path_factory, extra_files=PLANS, seeds=False)


@pytest.mark.parametrize(("text", "count"), [
    ("Nâng cao nhận thức", 1),  # 4 words: one shingle
    ("Nâng cao nhận", 0),
    (BOILERPLATE, None),
])
def test_shingles_are_runs_of_folded_words(text, count):
    folded = words(text)[0]
    hashes = shingle_hashes(folded)
    assert len(hashes) == (count if count is not None else len(folded) - SHINGLE_WORDS + 1)
    # tone marks, case and punctuation aside, the same words give the same shingles
    plain = "nang cao nhan thuc" if count == 1 else text.upper().replace(",", " ")
    if count == 1:
        assert shingle_hashes(words(plain)[0]).tolist() == hashes.tolist()


def test_winnowing_keeps_a_fingerprint_of_every_long_enough_run():
    prints = set(fingerprints(BOILERPLATE))
    folded = words(BOILERPLATE)[0]
    assert 0 < len(prints) < len(folded)
    run = WINDOW + SHINGLE_WORDS - 1  # any run this long shares a fingerprint
    for start in range(len(folded) - run + 1):
        assert prints & set(shingle_hashes(folded[start : start + run]).tolist()), start


def test_copied_boilerplate_is_one_group_oldest_first(corpus):
    result = similar(corpus.hybrid, BOILERPLATE)
    top = result.groups[0]
    assert top.label == LABELS[0]
    assert top.documents == 3 and top.first_date == "2021-05-18"
    assert [p.number for p in top.passages] == ["12-KH/HU", "40-KH/HU", "77-KH/HU"]
    first = top.passages[0]
    assert first.marks and first.text[first.marks[0][0] : first.marks[-1][1]].startswith("Các")


def test_a_small_edit_is_near_identical_and_shared_words_are_marked(corpus):
    edited = BOILERPLATE.replace("kịp thời biểu dương", "biểu dương").replace("Đảng;", "Đảng ta;")
    group = similar(corpus.words, edited).groups[0]
    assert group.label == LABELS[1] and group.documents == 3
    passage = group.passages[0]
    marked = " ".join(passage.text[a:b] for a, b in passage.marks)
    assert "tăng cường công tác kiểm tra" in marked and "kịp thời" not in marked


def test_reordered_sentences_are_near_identical(corpus):
    first, second = BOILERPLATE.split("; ")
    group = similar(corpus.words, f"{second[0].upper()}{second[1:-1]}; {first}.").groups[0]
    assert group.label == LABELS[1]


def test_input_typed_without_diacritics_still_finds_the_wording(corpus):
    plain = "tuyen truyen sau rong ve ky nguyen vuon minh cua dan toc, tao khi the thi dua"
    group = similar(corpus.words, plain).groups[0]
    assert group.label == LABELS[0] and group.passages[0].number == "40-KH/HU"


def test_signature_blocks_are_left_out_unless_asked(corpus):
    (kind,) = corpus.words.db.execute(
        "SELECT kind FROM passages WHERE text LIKE '%BÍ THƯ%' LIMIT 1").fetchone()
    assert kind == "signature"
    block = "T/M BAN THƯỜNG VỤ BÍ THƯ Nguyễn Văn An và các đồng chí trong Ban"
    hidden = similar(corpus.words, block)
    shown = similar(corpus.words, block, all_kinds=True)
    assert not any(p.kind == "signature" for g in hidden.groups for p in g.passages)
    assert any(p.kind == "signature" for g in shown.groups for p in g.passages)


def test_years_limit_the_documents(corpus):
    result = similar(corpus.hybrid, BOILERPLATE, since=2022,
                     until=2023)
    assert {p.number for g in result.groups for p in g.passages} == {"40-KH/HU"}


def test_starting_from_an_indexed_passage_leaves_it_out(corpus):
    (doc_id, ordinal) = corpus.words.db.execute(
        "SELECT p.doc_id, p.ordinal FROM passages p JOIN documents d USING (doc_id)"
        " WHERE d.number = '12-KH/HU' AND p.text LIKE '%kiểm tra, giám sát%'").fetchone()
    own = f"{doc_id}:{ordinal}"
    result = similar(corpus.hybrid, passage_id=own)
    ids = [p.passage_id for g in result.groups for p in g.passages]
    assert own not in ids and result.groups[0].documents == 2
    with pytest.raises(EmptyQueryError):
        similar(corpus.words, passage_id="khong-co:1")


@pytest.mark.parametrize(("text", "problem"), [("", "empty"), ("  … — !!  ", "empty"),
                                               ("2025 — 2030 ??", "no letters"),
                                               ("中华人民共和国", "no letters")])
def test_bad_input(corpus, text, problem):
    if problem == "empty":
        with pytest.raises(EmptyQueryError):
            similar(corpus.words, text)
        return
    result = similar(corpus.hybrid, text)
    assert not result.letters and result.dense
    assert result.groups and all(g.label in (LABELS[0], LABELS[3]) for g in result.groups)


def test_a_long_text_is_cut_to_the_word_limit(corpus, monkeypatch):
    monkeypatch.setenv("VANKIEN_SIMILAR_MAX_WORDS", "30")
    result = similar(corpus.words, " ".join([BOILERPLATE] * 5))
    assert result.truncated and result.words == 30
    assert result.groups[0].label == LABELS[0]  # the first 30 words are a run of the passage


def test_lineage_first_use_and_spread(corpus):
    for phrase in (SLOGAN, "KY NGUYEN VUON MINH cua dan toc"):
        found = lineage(corpus.words, phrase)
        assert [u.number for u in found.uses] == ["40-KH/HU", "77-KH/HU"]
        assert found.per_year == ((2023, 1), (2025, 1)) and found.undated == 0
        first = found.uses[0]
        (text,) = corpus.words.db.execute("SELECT text FROM documents WHERE doc_id = ?",
                                     (first.doc_id,)).fetchone()
        assert words(text[first.start : first.end])[0] == words(SLOGAN)[0]
    assert lineage(corpus.words, "dân tộc vươn mình").uses == ()  # the words, not the phrase
    with pytest.raises(EmptyQueryError):
        lineage(corpus.words, " ... ")


def test_shingles_follow_passages_out(corpus, tmp_path):
    data = tmp_path / "data"
    copy = Store(data)
    ingest([corpus.folder], copy, progress=False)
    assert copy.db.execute("SELECT count(*) FROM shingles").fetchone()[0] > 0
    (corpus.folder / "extra.txt").write_text(PLANS["a.txt"].replace("12-KH/HU", "13-KH/HU"),
                                      encoding="utf-8")
    ingest([corpus.folder], copy, progress=False)
    (corpus.folder / "extra.txt").unlink()
    ingest([corpus.folder], copy, prune=True, progress=False)
    orphans = copy.db.execute("SELECT count(*) FROM shingles WHERE passage NOT IN"
                              " (SELECT id FROM passages)").fetchone()[0]
    assert orphans == 0


def test_version_4_catalog_gets_its_shingles(corpus, tmp_path):
    copy = Store(tmp_path / "data")
    ingest([corpus.folder], copy, progress=False)
    expected = copy.db.execute("SELECT count(*) FROM shingles").fetchone()[0]
    copy.close()
    db = sqlite3.connect(tmp_path / "data" / "catalog.sqlite")
    db.executescript("DROP TRIGGER shingles_delete; DROP TABLE shingles;"
                     "UPDATE meta SET value = '4' WHERE key = 'schema_version';")
    db.close()
    reopened = Store(tmp_path / "data")
    assert reopened.db.execute("SELECT count(*) FROM shingles").fetchone()[0] == expected
    assert reopened.db.execute("SELECT value FROM meta WHERE key = 'schema_version'"
                               ).fetchone()[0] == str(SCHEMA_VERSION)


def test_cli_similar_and_lineage(corpus, capsys):
    data = str(corpus.words.data_dir)
    assert cli.main(["--data", data, "similar", BOILERPLATE]) == 0
    out = capsys.readouterr().out
    assert "[trùng nguyên văn, 100%] xuất hiện lần đầu: 18/05/2021, 2 văn bản dùng lại" in out
    assert "[[" in out
    assert cli.main(["--data", data, "similar", "   "]) == 2
    assert "Hãy dán đoạn văn" in capsys.readouterr().out
    assert cli.main(["--data", data, "similar", BOILERPLATE, "--json"]) == 0
    groups = json.loads(capsys.readouterr().out)["groups"]
    assert groups[0]["documents"] == 3 and groups[0]["passages"][0]["date"] == "2021-05-18"
    assert cli.main(["--data", data, "lineage", SLOGAN]) == 0
    out = capsys.readouterr().out
    assert "Dùng lần đầu: 40-KH/HU, 03/02/2023" in out and "2025: 1 văn bản" in out
    assert cli.main(["--data", data, "lineage", "cụm từ không hề có", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["uses"] == []
