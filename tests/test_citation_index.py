"""The citation index across documents: identity by year and scope, chains, lookups, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cli
from query.cites import cites, refs
from tests.seeds import seed_store

HEADER = "{issuer}\nSố {number}\n{place}, ngày {day} tháng {month} năm {year}\nKẾ HOẠCH\n{title}\n"
PLANS = {
    # Lai Châu: implements 301-KH/TU, whose subject says it implements 01-KL/TW
    "a-lai-chau.txt": dict(
        issuer="ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH LAI CHÂU", number="44-KH/ĐUK", place="Lai Châu",
        day="27", month="11", year="2024", title="Học tập và làm theo Bác năm 2025",
        body="Thực hiện Kế hoạch số 301-KH/TU, ngày 09/12/2024 của Ban Thường vụ Tỉnh ủy về "
             "thực hiện Kết luận số 01-KL/TW của Bộ Chính trị; Ban Thường vụ ban hành kế hoạch "
             "như sau:\nI. MỤC ĐÍCH\n1. Gắn với Kế hoạch số 17-KH/TU, ngày 14/11/2025 của "
             "Tỉnh ủy."),
    # Lai Châu, the provincial plan itself: implements 01-KL/TW directly
    "b-tinh-uy.txt": dict(
        issuer="TỈNH ỦY LAI CHÂU", number="301-KH/TU", place="Lai Châu", day="09", month="12",
        year="2024", title="Thực hiện Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị",
        body="Thực hiện Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị, Ban Thường vụ "
             "Tỉnh ủy ban hành kế hoạch như sau:\nI. NỘI DUNG\n1. Tổng kết Chỉ thị số 05-CT/TW."),
    # Lào Cai: another 17-KH/TU (a different province), and 01-KL/TW of another term
    "c-lao-cai.txt": dict(
        issuer="ĐẢNG ỦY SỞ CÔNG THƯƠNG TỈNH LÀO CAI", number="12-KH/ĐU", place="Lào Cai",
        day="05", month="01", year="2026", title="Công tác tuyên truyền năm 2026",
        body="Thực hiện Kế hoạch số 17-KH/TU, ngày 02/01/2026 của Tỉnh ủy Lào Cai, Đảng ủy ban "
             "hành kế hoạch như sau:\nI. NỘI DUNG\n1. Quán triệt Kết luận số 01-KL/TW, ngày "
             "05/01/2026 của Bộ Chính trị khóa XIV."),
    # undated mention of 01-KL/TW, with two dated candidates in the corpus: ambiguous
    "d-khong-ngay.txt": dict(
        issuer="CHI BỘ PHÒNG TỔNG HỢP", number="03-KH/CB", place="Lai Châu", day="10",
        month="02", year="2026", title="Sinh hoạt chuyên đề",
        body="Thực hiện Hướng dẫn số 12-HD/ĐU, chi bộ ban hành kế hoạch.\nI. NỘI DUNG\n"
             "1. Nghiên cứu Kết luận số 01-KL/TW của Bộ Chính trị, gắn với Nghị quyết Đại hội "
             "XIII của Đảng."),
    # a commune plan carrying out the Khối's plan 44-KH/ĐUK only: under 301-KH/TU and
    # 01-KL/TW it is an indirect implementer
    "e-xa.txt": dict(
        issuer="ĐẢNG ỦY XÃ BẢN HON", number="07-KH/ĐU", place="Lai Châu", day="15",
        month="01", year="2025", title="Học tập và làm theo Bác",
        body="Thực hiện Kế hoạch số 44-KH/ĐUK, ngày 27/11/2024 của Đảng ủy Khối, Đảng ủy xã "
             "ban hành kế hoạch như sau:\nI. NỘI DUNG\n1. Tổ chức học tập chuyên đề."),
}


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    """A store of the plans above alone."""
    plans = {name: HEADER.format(**plan) + plan["body"] + "\n" for name, plan in PLANS.items()}
    return seed_store(tmp_path_factory, extra_files=plans, seeds=False).store


def _rows(result):
    return {(Path(c.source).stem, c.relation, c.via) for c in result.citing}


def test_a_number_restarting_in_a_new_term_is_two_documents(catalog):
    result = cites(catalog, "01-KL/TW")
    assert {r.ref_id for r in result.refs} == {"01-KL/TW@2021", "01-KL/TW@2026", "01-KL/TW@?"}
    assert next(r for r in result.refs if r.ref_id == "01-KL/TW@?").ambiguous


def test_chains_list_indirect_implementers_via_the_intermediate_plan(catalog):
    result = cites(catalog, "Kết luận 01-KL/TW")
    rows = _rows(result)
    assert ("b-tinh-uy", "implements", None) in rows  # directly
    assert ("a-lai-chau", "mentions", None) in rows  # named inside 301-KH/TU's subject
    direct = cites(catalog, "01-KL/TW", direct_only=True)
    assert all(c.via is None for c in direct.citing)


def test_indirect_implementers_through_plans_in_the_corpus(catalog):
    # e-xa implements 44-KH/ĐUK (a-lai-chau), which implements 301-KH/TU (b-tinh-uy),
    # which implements 01-KL/TW
    assert ("e-xa", "implements", "44-KH/ĐUK") in _rows(cites(catalog, "301-KH/TU"))
    assert ("e-xa", "implements", "44-KH/ĐUK") in _rows(cites(catalog, "01-KL/TW"))
    assert "e-xa" not in {Path(c.source).stem
                          for c in cites(catalog, "01-KL/TW", direct_only=True).citing}


def test_no_chain_is_invented(catalog):
    # c-lao-cai implements nothing that leads to 05-CT/TW; a-lai-chau implements 301-KH/TU,
    # which (b-tinh-uy, in the corpus) mentions 05-CT/TW only: no chain is invented
    assert all(c.via is None for c in cites(catalog, "05-CT/TW").citing)
    indirect = [c for c in cites(catalog, "01-KL/TW").citing if c.via]
    assert [Path(c.source).stem for c in indirect] == ["e-xa"]


def test_local_numbers_are_qualified_by_province(catalog):
    ids = {r.ref_id for r in cites(catalog, "17-KH/TU").refs}
    assert ids == {"17-KH/TU@2025 [Lai Châu]", "17-KH/TU@2026 [Lào Cai]"}


def test_a_cited_document_outside_the_corpus_is_described_by_its_citations(catalog):
    ref = next(r for r in cites(catalog, "301-KH/TU").refs)
    assert ref.doc_id is not None  # b-tinh-uy is 301-KH/TU
    outside = next(r for r in cites(catalog, "01-KL/TW").refs if r.ref_id == "01-KL/TW@2021")
    assert (outside.doc_id, outside.type_word, outside.date, outside.issuer) == (
        None, "Kết luận", "2021-05-18", "Bộ Chính trị")


@pytest.mark.parametrize("spelling", ["01-KL/TW", "Kết luận 01-KL/TW", "kl 01/tw",
                                      "ket luan 01", "Kết luận số 01"])
def test_any_spelling_finds_the_same_documents(catalog, spelling):
    assert {r.key for r in cites(catalog, spelling).refs} == {"01-KL/TW"}


def test_named_references_are_searchable_apart(catalog):
    result = cites(catalog, "nghi quyet dai hoi XIII")
    assert [r.key for r in result.refs] == ["Nghị quyết Đại hội XIII của Đảng"]
    assert [Path(c.source).stem for c in result.citing] == ["d-khong-ngay"]
    assert all(not r.key.startswith("Nghị quyết Đại hội") for r in cites(catalog, "nq 13").refs)


def test_a_corpus_document_nobody_cites_still_answers_to_its_number(catalog):
    for spelling in ("07-KH/ĐU", "kh 07/đu", "ke hoach 7"):
        refs_found = cites(catalog, spelling).refs
        assert any(r.doc_id and r.key == "07-KH/ĐU" for r in refs_found), spelling


def test_paging_keeps_the_total_and_the_order(catalog):
    everything = cites(catalog, "01-KL/TW")
    assert everything.total == len(everything.citing) >= 3
    first = cites(catalog, "01-KL/TW", limit=1)
    rest = cites(catalog, "01-KL/TW", limit=10, offset=1)
    assert first.total == everything.total
    assert [c.doc_id for c in first.citing + rest.citing] == [
        c.doc_id for c in everything.citing]
    assert first.citing[0].relation == "implements"  # most cited document, strongest first


def test_relation_filter(catalog):
    result = cites(catalog, "01-KL/TW", relation="implements")
    assert {c.relation for c in result.citing} == {"implements"}


def test_unknown_and_unparseable_references(catalog):
    unknown = cites(catalog, "01-KL/TX")
    assert unknown.citing == () and "01-KL/TW" in unknown.suggestions
    nonsense = cites(catalog, "xin chào")
    assert not nonsense.query.usable and nonsense.citing == ()


def test_refs_of_one_document(catalog):
    doc = next(e for e in catalog.catalog.entries() if e.source == "a-lai-chau.txt")
    cited = {(c.ref.key, c.relation) for c in refs(catalog, doc.doc_id)}
    assert cited == {("301-KH/TU", "implements"), ("01-KL/TW", "mentions"),
                     ("17-KH/TU", "mentions")}


def test_cli_cites_json_and_messages(catalog, capsys):
    data = str(catalog.data_dir)
    assert cli.main(["cites", "kl 01/tw", "--json", "--data", data]) == 0
    out = json.loads(capsys.readouterr().out)
    row = next(c for c in out["citing"] if c["source"] == "b-tinh-uy.txt")
    assert {"doc_id", "source", "number", "date", "issuer", "relation", "via", "mentions",
            "contexts"} <= set(row)
    context = row["contexts"][0]
    assert context["text"][context["start"] : context["end"]].endswith("01-KL/TW")
    assert cli.main(["cites", "01-KL/TX", "--data", data]) == 0
    assert "Bạn có muốn tìm" in capsys.readouterr().out
    assert cli.main(["cites", "xin chào", "--data", data]) == 0
    assert "Không nhận ra số hiệu" in capsys.readouterr().out
    assert cli.main(["refs", "44-KH/ĐUK", "--json", "--data", data]) == 0
    assert {r["ref"]["key"] for r in json.loads(capsys.readouterr().out)["refs"]} >= {"301-KH/TU"}
