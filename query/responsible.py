"""Who a plan makes responsible, wherever it names them (issue 15): not only the items of
its "Tổ chức thực hiện" part (``query/summarize.py``) but the unit that leads a task inside
it ("Ban Tuyên giáo Huyện ủy chủ trì, phối hợp với …", "giao Sở Công Thương chủ trì"), the
one a plan asks ("Đề nghị Ủy ban MTTQ tỉnh …"), the lines naming who directs a group of
tasks ("Trách nhiệm chỉ đạo thực hiện: Đảng ủy Ủy ban nhân dân tỉnh."), and the lead column
of a table of tasks ("Sở, ngành chủ trì tham mưu"). Units that only coordinate ("phối hợp
với …") are not responsible for the task.
"""

from __future__ import annotations

import re

from core.records import Document
from core.results import SummaryItem
from core.tones import fold, normalize_tones
from query.units import unit

# what an organisation's name starts with (folded): "Sở Y tế", "Ủy ban nhân dân tỉnh",
# "Đảng ủy Khối", "Các chi, đảng bộ", "Chủ tịch UBND xã"
_HEADS = tuple(normalize_tones(h) for h in (
    "ban ", "sở ", "ủy ban", "ubnd", "ubmttq", "đảng ủy", "đảng bộ", "đảng đoàn", "văn phòng",
    "phòng ", "trung tâm", "hội ", "đoàn ", "mặt trận", "công an", "bộ ", "cục ", "chi cục",
    "tổ ", "tiểu ban", "hội đồng", "hđnd", "thường trực", "chi bộ", "cấp ủy", "tỉnh ủy",
    "huyện ủy", "thành ủy", "thị ủy", "bộ chỉ huy", "báo ", "đài ", "trường ", "liên đoàn",
    "viện ", "tòa án", "kho bạc", "thuế ", "ngân hàng", "chủ tịch", "bí thư", "thanh tra",
    "chính phủ", "quốc hội", "công đoàn", "ban cán sự", "đồng chí", "phó chủ tịch",
    "lãnh đạo", "chủ nhiệm", "đại biểu", "mttq", "ubtvqh", "thành viên", "tổ trưởng",
    "trưởng ban", "trưởng đoàn", "ủy viên", "người đứng đầu", "thủ trưởng", "giám đốc",
    "cơ quan", "thư ký", "người chủ trì"))
_GROUPS = tuple(normalize_tones(g) for g in (
    "các cấp ủy", "các sở", "các chi", "các đảng", "các đoàn", "các cơ quan", "các đơn vị",
    "các địa phương", "các ban", "các xã", "các tổ chức", "các phòng", "các hội", "các bộ",
    "các huyện", "các trường", "các thành viên", "các tiểu ban", "các tổ ", "các đồng chí",
    "các đại biểu", "các cấp", "các ngành", "các thôn", "các khu", "các ông bà", "các phó",
    "các chuyên viên", "cán bộ phụ trách", "chuyên viên", "các ủy ban", "các uỷ ban"))
_NOT_HEADS = tuple(normalize_tones(h) for h in (
    "tổ chức", "bộ máy", "hội nghị", "ban hành", "đoàn kết", "phòng, chống", "phòng chống",
    "báo cáo", "lãnh đạo,", "lãnh đạo việc", "lãnh đạo thực hiện", "lãnh đạo, chỉ đạo",
    "thường trực ủy ban trung ương", "trường hợp", "đại biểu khách", "đại biểu quốc hội khóa",
    "quốc hội khóa", "quốc hội việt nam", "chủ tịch hồ chí minh"))
# heads that need what follows them to name someone: "Lãnh đạo" alone is a verb
_INCOMPLETE = tuple(normalize_tones(h) for h in (
    "lãnh đạo", "đồng chí", "chủ tịch", "thường trực", "cơ quan", "đại biểu", "thành viên",
    "ban", "sở", "phòng", "hội", "đoàn", "bộ", "cục", "tổ", "trường", "viện", "ủy ban"))
_COORDINATED = re.compile(r"(?:phối hợp|cùng|kết hợp)\s+(?:chặt chẽ\s+)?(?:với|giữa)\b|"
                          r"\bgiữa các\b", re.IGNORECASE)
# a list of who attends or coordinates, not who is responsible
_NOT_RESPONSIBLE = re.compile(r"^\W*(?:Thành phần|Đơn vị phối hợp|Phối hợp|Kính gửi|Nơi nhận|"
                              r"Mời|Đại biểu mời|Khách mời)\b")
# what a unit is given to do: the words a duty starts with (lower case: "Ủy ban Kiểm tra",
# "Ban Chỉ đạo" are names)
_DUTY_WORDS = (
    r"(?<!các )(?<!những )(?<!, )tổ chức|triển khai|thực hiện|xây dựng|chủ trì|phối hợp|tham mưu|"
    r"căn cứ|cần cứ|chỉ đạo|lãnh đạo|theo dõi|hướng dẫn|đôn đốc|kiểm tra|giám sát|"
    r"có trách nhiệm|chịu trách nhiệm|báo cáo|tuyên truyền|nắm|tổng hợp|bố trí|bảo đảm|"
    r"đảm bảo|chủ động|quán triệt|phổ biến|(?<!bầu )(?<!ứng )cử|giao|trên cơ sở|tiếp tục|"
    r"định hướng|tập trung|"
    r"ban hành|rà soát|lựa chọn|xem xét|tiếp nhận|quy định|đề xuất|tiến hành|lập|phân công|"
    r"kịp thời|theo chức năng|trong phạm vi|khẩn trương|nghiêm túc|thường xuyên|có văn bản|"
    r"gửi|cung cấp|tạo điều kiện|chuẩn bị|niêm yết|thông báo|trình|xác minh|giải quyết|"
    r"bổ sung|cập nhật|thành lập|triệu tập|mời|điều hành|ủy quyền|tăng cường|đẩy mạnh|phải|"
    r"cần|chịu|trao đổi|đếm|đọc|xác nhận|nhận xét")
_VERBS = re.compile(rf"\s(?:{_DUTY_WORDS})(?!\w)")
_DUTY_START = re.compile(rf"\s*(?i:{_DUTY_WORDS})(?!\w)")
_LEAD_WORDS = "chủ trì|có trách nhiệm|chịu trách nhiệm|tham mưu|là cơ quan thường trực"
_ORG = r"[A-ZĐÀ-Ỹ][^.:()\n]{1,300}?"
_ITEM_START = r"(?:^|(?<=[.;:]\s)|(?<=, ))(?:(?:[-+•]|\d+(?:\.\d+)*[.)-]|[a-zđ][.)])\s*)?"
_CLAUSE_START = (r"(?:^|(?<=[.;:]\s)|(?<=\sthì\s)|(?<=[Đđ]ồng thời\s))"
                 r"(?:(?:[-+•*]|\d+(?:\.\d+)*[.)-]|[a-zđ][.)])\s*)?")
_ASKED = r"(?:^|(?<!\w))(?:[Gg]iao(?:\s+cho)?|[Đđ]ề nghị|[Yy]êu cầu|[Dd]o)"
_ASKED_ORG = r"(?:[A-ZĐÀ-Ỹ]|các |người đứng đầu|thủ trưởng)[^.:()\n]{1,300}?"
_PATTERNS = (
    # a duty's subject: "Ban Thường trực Ủy ban MTTQ Việt Nam xã lựa chọn thời gian …"
    re.compile(rf"{_CLAUSE_START}(?P<org>{_ORG})(?=\s(?:{_DUTY_WORDS})(?!\w))", re.MULTILINE),
    # after an opening phrase: "Kết thúc cuộc bầu cử, Ban Thường trực … tiến hành …"
    re.compile(rf"(?<=, )(?P<org>{_ORG})(?=\s(?:{_DUTY_WORDS})(?!\w))"),
    # "… thì cơ quan, tổ chức, đơn vị trực tiếp quản lý người ứng cử có trách nhiệm …"
    re.compile(rf"(?<=\sthì\s)(?P<org>(?:cơ quan|người đứng đầu|các|ban)\s[^.:()\n]{{1,300}}?)"
               rf"(?=\s(?:{_DUTY_WORDS})(?!\w))"),
    # "Ban Tuyên giáo Huyện ủy chủ trì", at the start of an item or a clause
    re.compile(rf"{_ITEM_START}(?P<org>{_ORG})\s+(?i:{_LEAD_WORDS})(?!\w)", re.MULTILINE),
    # "giao Sở Công Thương chủ trì", "Đề nghị các tổ chức thành viên …", "Do … đề xuất"
    re.compile(rf"{_ASKED}\s+(?P<org>{_ASKED_ORG})(?=\s+(?i:{_DUTY_WORDS}|quan tâm|nghiên cứu|"
               r"sớm)(?!\w))", re.MULTILINE),
)
_AFTER_COMMA = 1  # the pattern above whose opening phrase must not itself be a name
_LOWER_START = (2, 4)  # the patterns whose name may start in small letters ("thì cơ quan")
_DATED = re.compile(r"\W*(?:[Nn]gày|[Tt]háng|[Nn]ăm)\s+\d")
# "Trách nhiệm chỉ đạo thực hiện: A; B; C." and "Cơ quan chủ trì: A"
_NAMED_LIST = re.compile(r"(?:Trách nhiệm(?: chỉ đạo)?(?: thực hiện)?|Cơ quan chủ trì|"
                         r"Đơn vị chủ trì|Chủ trì(?: thực hiện)?)\s*:\s*"
                         r"(?P<list>[^\n]+?)(?=\s[-–]\s|\.\s|\.?$)", re.MULTILINE)
_MAX_WORDS = 16  # longer than this and it is a clause, not a name
# "- " between a name and its duty; not the one in "chính trị - xã hội"
_SEPARATORS = re.compile(r"(?<!chính trị)\s[-–*]\s(?!xã hội)|:\s")




def is_organisation(name: str) -> bool:
    """Whether ``name`` reads as an organisation, office or group: it starts as one does
    (tone marks kept: "Báo" is a newspaper, "Bảo" is not; "Tổ công tác" is a team,
    "Tổ chức" is mostly a verb)."""
    lower = normalize_tones(name).lower() + " "
    words = name.split()
    if len(words) == 1:  # alone, only an acronym names a body: "UBND", "MTTQ"
        return name.isupper() and len(name) >= 3 and name.lower() + " " in _HEADS + (
            "ubtvqh ", "ubmttq ")
    return (len(words) <= _MAX_WORDS and name[:1].isupper()
            and lower.startswith(_HEADS + _GROUPS) and not lower.startswith(_NOT_HEADS)
            and lower.strip() not in _INCOMPLETE)


# where a name ends and its duty begins ("Ban Tuyên giáo Huyện ủy chủ động tham mưu …");
# lower case only: "Ủy ban Kiểm tra", "Ban Chỉ đạo" are names
_DUTY = re.compile(r"\s(?:chủ động|thường xuyên|tiếp tục|khẩn trương|kịp thời|sớm|phải|cần|"
                   r"có trách nhiệm|chịu trách nhiệm|tham mưu|chủ trì|phối hợp|thực hiện|"
                   r"nêu cao|triển khai|xây dựng|chỉ đạo|lãnh đạo|hướng dẫn|sẽ|trong|lên|để|nhằm|"
                   r"đối với|về việc|phụ trách|được phân công|tăng cường|đẩy mạnh|phải|cần|"
                   r"khắc phục)(?!\w)")


def leading_unit(text: str) -> str:
    """The organisation an item starts with, before a dash, a colon or its first duty
    ("2. Đảng ủy Sở Y tế theo dõi …", "2- Các đoàn thể Sở: Tổ chức …"); "" when none."""
    body = re.sub(r"^\s*(?:\d+(?:\.\d+)*[.)-]|[a-zđ][.)]|[-+•*])\s*", "", text)
    separator, verb = _SEPARATORS.search(body), _VERBS.search(body)
    if separator and not (verb and verb.start() < separator.start()) and not _DUTY_START.match(
            body, separator.end()):
        separator = None  # "Quốc hội Việt Nam - Cơ quan đại biểu …": a slogan, not a duty
    cuts = [m.start() for m in (separator, verb) if m]
    if not cuts:
        return ""
    name = body[: min(cuts)].strip(" ,;:-–")
    return name if 1 <= len(name.split()) <= 20 and name[:1].isupper() else ""


def _clean(name: str) -> str:
    duty = _DUTY.search(name)
    return (name[: duty.start()] if duty else name).strip(" ,;:-–")


_BOUNDARY = re.compile(r";\s*|,\s+|\s+và\s+")


def _reads_as_name(text: str) -> bool:
    return is_organisation(text[:1].upper() + text[1:])


def _joined(at: int, name: str, *, first: bool = False) -> list[tuple[int, str]]:
    """The units of a list ("Công an tỉnh, các sở, ban, ngành, đoàn thể tỉnh và Ủy ban nhân
    dân các xã, phường"; "Thủ trưởng các sở …; Chủ tịch Ủy ban nhân dân các xã …"), each
    with its offset: split at ";", and at "," or "và" where a name follows ("Sở Nông nghiệp
    và Môi trường" is one); of a run reaching back into a clause ("… làm X; Sở Y chủ trì"),
    the names nearest the duty; with ``first`` (a list after "Đơn vị chủ trì:"), the names
    from its start."""
    cuts, pieces, offset = [], [], 0
    for match in _BOUNDARY.finditer(name):
        nxt = _BOUNDARY.search(name, match.end())
        following = name[match.end() : nxt.start() if nxt else len(name)]
        if match.group().strip() == ";" or _reads_as_name(following):
            cuts.append(match)
    for match in [*cuts, None]:
        end = match.start() if match else len(name)
        piece = name[offset:end].strip()
        if piece:
            pieces.append((at + offset + name[offset:end].index(piece), _clean(piece)))
        offset = match.end() if match else offset
    kept: list[tuple[int, str]] = []
    for spot, piece in (pieces if first else reversed(pieces)):  # up to a non-name
        if not piece or not _reads_as_name(piece):
            break
        kept.append((spot, piece))
    if first:
        return kept
    # back to a non-name: only across a ";" ("… làm X; Sở Y chủ trì"); within one clause
    # the names are the objects of its verb ("Phát huy vai trò của …, các cơ quan báo chí")
    clause = max((at + c.end() for c in cuts if c.group().strip() == ";"), default=at)
    return list(reversed(kept)) if kept and kept[-1][0] <= clause else []


def _item(doc: Document, at: int, name: str, limit: int) -> SummaryItem | None:
    """The line's clause holding the unit named at ``at``, labelled with the unit."""
    line_start = doc.text.rfind("\n", 0, at) + 1
    line_end = doc.text.find("\n", at)
    line_end = len(doc.text) if line_end < 0 else line_end
    sentence = max(doc.text.rfind(". ", line_start, at) + 2, line_start)
    found = unit(doc.text, sentence, line_end, limit)
    if found is not None and found.end < at + len(name):  # shortened before the name:
        found = unit(doc.text, at, line_end, limit)  # the clause it opens
    if found is None:
        return None
    return SummaryItem(doc.doc_id, found.start, found.end, doc.text[found.start : found.end],
                       name, shortened=found.shortened)


def _split(doc: Document, start: int, end: int) -> list[tuple[int, str]]:
    """The names of a list ``doc.text[start:end]``, each with its offset."""
    return _joined(start, doc.text[start:end].rstrip(" ."), first=True)


def named_units(doc: Document, start: int, end: int, limit: int) -> list[SummaryItem]:
    """Units named as leading or carrying out a task in ``doc.text[start:end]``."""
    found: list[tuple[int, str]] = []
    for n, pattern in enumerate(_PATTERNS):
        for match in pattern.finditer(doc.text, start, end):
            line = doc.text[doc.text.rfind("\n", 0, match.start()) + 1 : match.start()]
            org = match.group("org")
            if " | " in match.group(0) or _NOT_RESPONSIBLE.match(line) or (
                    n not in _LOWER_START and not org[:1].isupper()):
                continue  # (a character range of capitals holds small letters too: "đ")
            clause = re.split(r"[.;:]\s", line)[-1]
            if _COORDINATED.search(clause):
                continue  # "Phối hợp với Thuế tỉnh, Sở Công Thương …": they coordinate
            opening = re.split(r"[.;:]\s|, ", line[:-2])[-1] if n == _AFTER_COMMA else ""
            if opening and (_reads_as_name(opening) or _DATED.match(opening)):
                continue  # "…, Văn phòng Quốc hội, …" a list; "Ngày 29/6/2026, …" narration
            found += _joined(match.start("org"), match.group("org"))
    out = [item for at, name in sorted(set(found)) if (item := _item(doc, at, name, limit))]
    for match in _NAMED_LIST.finditer(doc.text, start, end):
        if " | " not in match.group(0):
            out += [item for at, name in _split(doc, match.start("list"), match.end("list"))
                    if (item := _item(doc, at, name, limit))]
    return out


def item_units(doc: Document, start: int, end: int, limit: int) -> list[SummaryItem]:
    """The unit each item between ``start`` and ``end`` starts with, in any part: a title
    naming only a unit, its duties below ("d) Tổ đảng ở Thường trực Ủy ban Tư pháp * Chủ
    trì thẩm tra …", "1. Ban Tuyên giáo Huyện ủy"), or a unit before its duty ("- Sở Tài
    chính bố trí kinh phí …")."""
    out = []
    for section in (s for s in doc.sections if start <= s.start < end):
        found = unit(doc.text, section.start, section.end, limit)
        if found is None:
            continue
        text = doc.text[found.start : found.end]
        name = leading_unit(text) or (text.strip() if len(text.split()) <= _MAX_WORDS
                                      and not re.search(r"[.;:]$", text.strip()) else "")
        out += [SummaryItem(doc.doc_id, found.start, found.end, text, piece,
                            shortened=found.shortened)
                for _at, piece in _joined(found.start, name) if piece]
    return out


def table_units(doc: Document, start: int, limit: int) -> list[SummaryItem]:
    """The lead column of each table of tasks from ``start`` on: its cells' units, each
    with the row's task (the row's first cell of four words or more)."""
    out, column, cursor = [], None, start
    for line in doc.text[start:].split("\n"):
        cells = line.split(" | ") if " | " in line else []
        if not cells:
            column = None
        elif column is None:
            heads = [n for n, c in enumerate(cells) if "chu tri" in fold(c).lower()]
            column = heads[0] if heads else None
        elif column < len(cells):
            offsets = [cursor + sum(len(c) + 3 for c in cells[:n]) for n in range(len(cells))]
            task = next((n for n, c in enumerate(cells) if len(c.split()) >= 4
                         and n != column), None)
            lead = offsets[column]
            for _at, name in _split(doc, lead, lead + len(cells[column])):
                if task is not None:
                    a = offsets[task] + len(cells[task]) - len(cells[task].lstrip())
                    found = unit(doc.text, a, offsets[task] + len(cells[task].rstrip()), limit)
                    if found is not None:
                        out.append(SummaryItem(doc.doc_id, found.start, found.end,
                                               doc.text[found.start : found.end], name,
                                               shortened=found.shortened))
        cursor += len(line) + 1
    return out
