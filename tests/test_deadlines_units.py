"""Deadlines and responsible units in plans beyond the seeds (issue 15): ranges keep both
ends, year-only deadlines count where the plan sets them, a table's time and lead columns
are read, and a unit is found where a task names it. Table rows: real wording from the
corpus's plans, in a plan's frame."""

from __future__ import annotations

import pytest

from core.records import RawText
from ingest.build import build
from query.summarize import summarize

HEAD = ("TỈNH ỦY LÀO CAI\nĐẢNG CỘNG SẢN VIỆT NAM\nSố 104-CTr/TU\n"
        "Lào Cai, ngày 30 tháng 8 năm 2026\nKẾ HOẠCH\nthực hiện công tác bảo vệ môi trường\n"
        "Thực hiện Kết luận số 75-KL/TW ngày 28/7/2026 của Ban Chấp hành Trung ương, Tỉnh ủy "
        "ban hành kế hoạch như sau:\nI. MỤC ĐÍCH, YÊU CẦU\n- Nâng cao nhận thức của cán bộ, "
        "đảng viên về bảo vệ môi trường.\nII. NHIỆM VỤ, GIẢI PHÁP\n")
TAIL = "\nIII. TỔ CHỨC THỰC HIỆN\n1. Văn phòng Tỉnh ủy theo dõi, đôn đốc thực hiện kế hoạch.\n"


def _summary(body: str):
    doc = build(RawText("plan.txt", "txt", HEAD + body + TAIL), "d1")
    return summarize(doc)


@pytest.mark.parametrize(("body", "when"), [
    ("1. Tổ chức tuyên truyền từ ngày 22/02/2026 đến ngày 14/03/2026 trên các phương tiện.",
     "từ ngày 22/02/2026 đến ngày 14/03/2026"),
    ("1. Niêm yết danh sách cử tri: 01/2026 - 15/03/2026 tại trụ sở Ủy ban nhân dân xã.",
     "01/2026 - 15/03/2026"),
    ("1. Hoàn thành việc rà soát quy hoạch khoáng sản trong năm 2026.", "trong năm 2026"),
    ("1. Tổ chức hội nghị sơ kết trước ngày 30/6/2026.", "trước ngày 30/6/2026"),
    ("1. Từ tháng 3 đến tháng 6/2026, tổ chức các lớp bồi dưỡng cho cán bộ cơ sở.",
     "Từ tháng 3 đến tháng 6/2026"),
    ("1. Mục tiêu: Đến năm 2030, 100% cụm công nghiệp có hệ thống xử lý nước thải tập trung.",
     "Đến năm 2030"),
    ("1. Các nhiệm vụ thực hiện theo lộ trình đến năm 2030 được giao cho các sở.",
     "đến năm 2030"),
])
def test_a_deadline_keeps_its_whole_time_and_its_task(body, when):
    found = _summary(body).deadlines
    assert [d.label for d in found] == [when]
    assert found[0].text.startswith(body.split(" ", 1)[1][:20])  # the task, no "1." marker


@pytest.mark.parametrize("body", [
    # the date of a cited document, a term of office, a strategy's horizon being studied
    "1. Quán triệt Nghị quyết số 57-NQ/TW, ngày 22/12/2024 của Bộ Chính trị.",
    "1. Chuẩn bị nhân sự Hội đồng nhân dân nhiệm kỳ 2026 - 2031 theo quy định.",
    "1. Tuyên truyền chiến lược phấn đấu đến năm 2030, kỷ niệm 100 năm thành lập Đảng.",
])
def test_what_is_not_a_deadline(body):
    assert _summary(body).deadlines == ()


def test_a_table_of_tasks_gives_its_time_and_lead_columns():
    body = ("Phụ lục nhiệm vụ\n"
            "TT | Tên nhiệm vụ | Sở, ngành chủ trì tham mưu | Đơn vị phối hợp thực hiện | "
            "Thời gian thực hiện\n"
            "1 | Rà soát, điều chỉnh, cập nhật bổ sung phương án quản lý về địa chất, khoáng "
            "sản | Sở Nông nghiệp và Môi trường | Các Sở, ban, ngành | Xong trong tháng 5/2026\n"
            "2 | Xử lý dứt điểm các hành vi khai thác khoáng sản bằng tàu cuốc trên sông | "
            "Công an tỉnh; Sở Công Thương | Các Sở, ban, ngành và địa phương | Thường xuyên\n")
    summary = _summary(body)
    assert [(d.label, d.text[:7]) for d in summary.deadlines] == [
        ("Xong trong tháng 5/2026", "Rà soát")]  # "Thường xuyên" sets no time
    leads = [u.label for u in summary.units if u.text.startswith(("Rà soát", "Xử lý"))]
    assert leads == ["Sở Nông nghiệp và Môi trường", "Công an tỉnh", "Sở Công Thương"]


@pytest.mark.parametrize(("body", "units"), [
    ("1. Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với Sở Văn hóa hướng dẫn tuyên truyền.",
     ["Ban Tuyên giáo Tỉnh ủy"]),  # the one that coordinates is not responsible
    ("1. Giao Sở Công Thương chủ trì kiểm tra an toàn hóa chất tại các cơ sở.",
     ["Sở Công Thương"]),
    ("1. Đề nghị Ủy ban Mặt trận Tổ quốc tỉnh tổ chức giám sát việc thực hiện.",
     ["Ủy ban Mặt trận Tổ quốc tỉnh"]),
    ("1.1. Bảo tồn thiên nhiên, phục hồi hệ sinh thái\n- Bảo vệ tốt diện tích rừng hiện có.\n"
     "Trách nhiệm chỉ đạo thực hiện: Các cấp ủy, tổ chức đảng; Đảng ủy Ủy ban nhân dân tỉnh.",
     ["Các cấp ủy, tổ chức đảng", "Đảng ủy Ủy ban nhân dân tỉnh"]),
    ("1. Ban Tuyên giáo Huyện ủy chủ động tham mưu xây dựng kế hoạch học tập nghị quyết.",
     ["Ban Tuyên giáo Huyện ủy"]),  # the name ends where its duty begins
])
def test_units_named_inside_the_tasks(body, units):
    found = [u.label for u in _summary(body).units if u.label != "Văn phòng Tỉnh ủy"]
    assert found == units
