"""The draft checker (issue 16) on the seeds' catalog: one row per kind of finding, in the
wording of a real plan's opening (seed 000, Kế hoạch 588-KH/ĐU); the CLI's report, JSON and
exit codes. Plumbing: words only (no encoder); detection rates are measured on the
labelled drafts (tests/data/drafts)."""

from __future__ import annotations

import json

import pytest

import cli
from core.records import RawText
from query.check import check

HEAD = ("ĐẢNG BỘ KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH\nĐẢNG ỦY SỞ Y TẾ\nSố 600-KH/ĐU\n"
        "Lai Châu, ngày 15 tháng 01 năm 2026\nKẾ HOẠCH\ncông tác giáo dục lý luận chính trị "
        "năm 2026\n-----\n")


def _findings(seeded, body: str) -> list[tuple[str, str, str, str]]:
    found = check(seeded.store, RawText("du-thao.txt", "txt", HEAD + body), precedent=False)
    return [(f.kind, f.key, f.draft, f.catalog) for f in found.findings if f.kind != "peers"]


@pytest.mark.parametrize(("body", "expected"), [
    # right as the catalog knows it: nothing to say
    ("Thực hiện Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị về tiếp tục thực hiện "
     "Chỉ thị số 05-CT/TW, ngày 15/5/2016 của Bộ Chính trị.", []),
    # a slip of the month
    ("Thực hiện Kết luận số 01-KL/TW, ngày 18/6/2021 của Bộ Chính trị về tiếp tục học tập.",
     [("wrong_date", "01-KL/TW", "2021-06-18", "2021-05-18")]),
    # the wrong body of the Party
    ("Thực hiện Kết luận số 01-KL/TW, ngày 18/5/2021 của Ban Bí thư về tiếp tục học tập.",
     [("wrong_issuer", "01-KL/TW", "Ban Bí thư", "Bộ Chính trị")]),
    # a first mention without date and issuer
    ("Thực hiện Kết luận số 01-KL/TW về tiếp tục học tập và làm theo Bác.",
     [("missing_facts", "01-KL/TW", "", "01-KL/TW, 18/05/2021, Bộ Chính trị")]),
    # a number nobody in the catalog has
    ("Thực hiện Kết luận số 999-KL/TW, ngày 18/5/2021 của Bộ Chính trị.",
     [("unknown", "999-KL/TW", "", "")]),
])
def test_findings_by_kind(seeded, body, expected):
    assert _findings(seeded, body) == expected


def test_a_number_of_two_terms_without_its_date_is_ambiguous(tmp_path_factory):
    from tests.seeds import seed_store
    # a second 01-KL/TW, of another term, cited by a plan of the catalog
    other = ("ĐẢNG ỦY SỞ Y TẾ\nSố 700-KH/ĐU\nLai Châu, ngày 2 tháng 3 năm 2017\nKẾ HOẠCH\n"
             "học tập\n-----\nThực hiện Kết luận số 01-KL/TW, ngày 30/5/2016 của Bộ Chính trị "
             "về tiếp tục thực hiện Nghị quyết Trung ương 4 khóa XII.\n")
    store = seed_store(tmp_path_factory, extra_files={"700.txt": other}).store
    found = check(store, RawText("d.txt", "txt", HEAD + "Thực hiện Kết luận số 01-KL/TW về "
                                 "tiếp tục học tập và làm theo Bác.\n"), precedent=False)
    kinds = {f.kind: f for f in found.findings}
    assert set(kinds["term_ambiguous"].candidates) == {
        "01-KL/TW, 30/05/2016, Bộ Chính trị", "01-KL/TW, 18/05/2021, Bộ Chính trị"}


def test_a_document_replaced_since_is_an_error(tmp_path_factory):
    from tests.seeds import seed_store
    newer = ("BAN THƯỜNG VỤ ĐẢNG ỦY KHỐI\nSố 160-KH/ĐUK\nLai Châu, ngày 2 tháng 3 năm 2026\n"
             "KẾ HOẠCH\ngiáo dục lý luận chính trị năm 2026\n-----\nI. MỤC ĐÍCH, YÊU CẦU\n"
             "1. Kế hoạch này thay thế Kế hoạch số 152-KH/ĐUK, ngày 09/01/2025 của Ban Thường "
             "vụ Đảng ủy Khối.\n")
    store = seed_store(tmp_path_factory, extra_files={"160.txt": newer}).store
    found = check(store, RawText("d.txt", "txt", HEAD + "Thực hiện Kế hoạch số 152-KH/ĐUK, "
                                 "ngày 09/01/2025 của Ban Thường vụ Đảng ủy Khối các cơ quan "
                                 "và doanh nghiệp tỉnh về giáo dục lý luận chính trị.\n"),
                  precedent=False)
    replaced = [f for f in found.findings if f.kind == "replaced"]
    assert [(f.key, f.catalog, f.candidates) for f in replaced] == [
        ("152-KH/ĐUK", "replaces", ("160-KH/ĐUK, 02/03/2026",))]


def test_cli_check_reports_and_exits_0_whatever_it_finds(seeded, tmp_path, capsys):
    draft = tmp_path / "du-thao.txt"
    draft.write_text(HEAD + "Thực hiện Kết luận số 01-KL/TW, ngày 18/6/2021 của Bộ Chính trị "
                     "về tiếp tục học tập.\n", encoding="utf-8")
    assert cli.main(["--data", str(seeded.store.data_dir), "check", str(draft),
                     "--no-precedent"]) == 0
    out = capsys.readouterr().out
    assert "[Lỗi]" in out and "01-KL/TW là ngày 18/05/2021, dự thảo ghi 18/06/2021" in out
    assert cli.main(["--data", str(seeded.store.data_dir), "check", str(draft),
                     "--no-precedent", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [f["kind"] for f in report["findings"]] == ["peers", "wrong_date"]
    # the draft is not added to the catalog
    assert seeded.store.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 5


@pytest.mark.parametrize(("name", "content"), [
    ("khong-co.txt", None),  # no such file
    ("trong.txt", ""),  # no text at all
    ("hong.pdf", "không phải PDF"),  # not what its name says
])
def test_cli_check_an_unreadable_draft_exits_2_with_a_message(seeded, tmp_path, capsys,
                                                              name, content):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert cli.main(["--data", str(seeded.store.data_dir), "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert name in err and "Traceback" not in err


@pytest.mark.parametrize(("draft", "catalog", "same"), [
    ("Tỉnh ủy", "Tỉnh ủy Lào Cai", True),  # what follows only says where
    ("Ban Chấp hành Trung ương", "Ban Chấp hành Trung ương Đảng", True),
    ("BTV Tỉnh ủy Lào Cai", "Ban Thường vụ Tỉnh ủy Lào Cai", True),  # the usual shortening
    ("Bộ Chính trị khóa XII", "Bộ Chính trị", True),
    ("Ban Bí thư", "Bộ Chính trị", False),
    ("Quốc hội", "Ủy ban Thường vụ Quốc hội", False),  # an organ of it is another body
    ("Chính phủ", "Thủ tướng Chính phủ", False),
    ("Tỉnh ủy Lào Cai", "Ban Thường vụ Tỉnh ủy", False),
])
def test_which_issuers_are_the_same_body(draft, catalog, same):
    from query.check import _same_issuer
    assert _same_issuer(draft, catalog) is same
