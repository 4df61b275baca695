"""LLM rewrite: a real local HTTP server plays the OpenAI-compatible endpoint, answering what
each test queues and recording what it was sent (no network, no model)."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core.errors import VankienError
from present.rewrite import (
    DEFAULT_MODEL,
    NO_MARKERS,
    SYSTEM_PROMPT,
    LlmNotConfiguredError,
    Rewrite,
    rewrite,
)

OUTLINE = ("- Tổ chức học tập, quán triệt Chuyên đề năm 2025 trong tháng 01/2025 [1].\n"
           "- Báo cáo kết quả về Đảng ủy Sở Y tế trước ngày 17/01/2026 [2].")
PROSE = ("Trong tháng 01/2025, các chi bộ tổ chức học tập, quán triệt Chuyên đề năm 2025 [1]. "
         "Kết quả được báo cáo về Đảng ủy Sở Y tế trước ngày 17/01/2026 [2].")
DROPS_2 = ("Trong tháng 01/2025, các chi bộ tổ chức học tập, quán triệt Chuyên đề năm 2025 "
           "và báo cáo kết quả về Đảng ủy Sở Y tế [1].")
INVENTS_3 = PROSE + " Việc này góp phần xây dựng Đảng trong sạch, vững mạnh [3]."
SWAPS_2_FOR_7 = PROSE.replace("[2]", "[7]")
PATH = "/v1/chat/completions"


def _chat(content) -> bytes:
    return json.dumps({"id": "chatcmpl-1", "object": "chat.completion", "model": "qwen2.5:7b",
                       "choices": [{"index": 0, "finish_reason": "stop",
                                    "message": {"role": "assistant", "content": content}}]},
                      ensure_ascii=False).encode("utf-8")


class FakeLlm(ThreadingHTTPServer):
    """Answers POST /v1/chat/completions with queued (status, body) pairs; records requests."""

    def __init__(self):
        self.replies: list[tuple[int, bytes]] = []
        self.requests: list[tuple[str, dict]] = []
        self.release = threading.Event()  # a reply queued with status 0 waits for this
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request, client_address):
        pass  # the timeout test's client hangs up before the answer: not a test failure


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.requests.append((self.path, json.loads(body)))
        if self.path != PATH:
            status, payload = 404, b'{"error": "not found"}'
        else:
            status, payload = self.server.replies.pop(0)
        if status == 0:  # simulate a model slower than the client's timeout
            self.server.release.wait(5)
            status = 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def server():
    # One server for the module: shutting one down waits out serve_forever's poll (0.5 s).
    fake = FakeLlm()
    threading.Thread(target=fake.serve_forever, daemon=True).start()
    yield fake
    fake.release.set()
    fake.shutdown()
    fake.server_close()


@pytest.fixture
def llm(server, monkeypatch):
    # A proxy from the environment would route 127.0.0.1 away from the fake server.
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
                 "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    for name in ("VANKIEN_LLM_URL", "VANKIEN_LLM_MODEL", "VANKIEN_LLM_TIMEOUT_S"):
        monkeypatch.delenv(name, raising=False)
    server.replies.clear()
    server.requests.clear()
    server.release.clear()
    yield server
    server.release.set()  # let a held answer finish (to a client long gone)
    assert server.replies == [], "a queued reply was never asked for"


# (case, reply status, reply body, accepted, text, reason fragment)
ANSWERS = [
    ("faithful", 200, _chat(PROSE), True, PROSE, ""),
    ("drops [2]", 200, _chat(DROPS_2), False, DROPS_2, "bản viết lại bỏ mất nguồn [2]"),
    ("invents [3]", 200, _chat(INVENTS_3), False, INVENTS_3,
     "bản viết lại thêm nguồn không có: [3]"),
    ("swaps [2] for [7]: missing first", 200, _chat(SWAPS_2_FOR_7), False, SWAPS_2_FOR_7,
     "bản viết lại bỏ mất nguồn [2]; bản viết lại thêm nguồn không có: [7]"),
    ("``` fence", 200, _chat(f"```markdown\n{PROSE}\n```\n"), True, PROSE, ""),
    ("bare ``` fence", 200, _chat(f"```\n{PROSE}```"), True, PROSE, ""),
    ("<think> before the answer", 200,
     _chat(f"<think>\nGiữ [1] và [2], không thêm [3].\n</think>\n\n{PROSE}"), True, PROSE, ""),
    ("decomposed Unicode → NFC", 200,
     _chat(PROSE.replace("ủy", "u\u0309y").replace("Đảng", "Đa\u0309ng")), True, PROSE, ""),
    ("keeps a marker twice", 200, _chat(PROSE + " Kết quả gửi trước ngày 17/01/2026 [2]."),
     True, PROSE + " Kết quả gửi trước ngày 17/01/2026 [2].", ""),
    ("empty answer", 200, _chat("  \n"), False, "", "trả về bản viết lại rỗng"),
    ("HTTP 500", 500, b'{"error": "model \xc4\x91ang t\xe1\xba\xa3i"}', False, "",
     "trả lỗi HTTP 500: {\"error\": \"model đang tải\"}"),
    ("HTTP 404 model", 404, b'{"error":"model \\"qwen\\" not found"}', False, "",
     "trả lỗi HTTP 404"),
    ("not JSON", 200, b"<html>502 Bad Gateway</html>", False, "",
     "trả về dữ liệu không phải JSON"),
    ("no choices", 200, b'{"error": {"message": "context length exceeded"}}', False, "",
     "thiếu choices[0].message.content"),
    ("empty choices", 200, b'{"choices": []}', False, "", "thiếu choices[0].message.content"),
    ("null content", 200, _chat(None), False, "", "thiếu choices[0].message.content"),
    ("JSON list", 200, b"[]", False, "", "thiếu choices[0].message.content"),
]


@pytest.mark.parametrize("case,status,body,accepted,text,reason", ANSWERS,
                         ids=[a[0] for a in ANSWERS])
def test_answers(llm, case, status, body, accepted, text, reason):
    llm.replies.append((status, body))
    result = rewrite(OUTLINE, url=llm.base, model="qwen2.5:7b", timeout=5)
    assert isinstance(result, Rewrite)
    assert (result.accepted, result.text, result.model) == (accepted, text, "qwen2.5:7b")
    if accepted:
        assert result.reason == ""
    else:
        assert reason in result.reason
        if not text:  # a server failure names where it went
            assert f"{llm.base}{PATH}" in result.reason


def test_request_sent(llm):
    llm.replies.append((200, _chat(PROSE)))
    rewrite(OUTLINE, url=llm.base, model="qwen2.5:7b", timeout=5)
    [(path, sent)] = llm.requests
    assert path == PATH
    assert sent["model"] == "qwen2.5:7b"
    assert sent["temperature"] == 0.2 and sent["stream"] is False
    assert [m["role"] for m in sent["messages"]] == ["system", "user"]
    assert sent["messages"][0]["content"] == SYSTEM_PROMPT
    assert sent["messages"][1]["content"] == OUTLINE  # UTF-8 intact, nothing added


def test_prompt_asks_for_markers_kept():
    for phrase in ("tiếng Việt", "[n]", "Giữ nguyên", "không thêm dấu nguồn mới",
                   "Không thêm thông tin"):
        assert phrase in SYSTEM_PROMPT


@pytest.mark.parametrize("suffix", ["", "/", "/v1", "/v1/", PATH, PATH + "/"])
def test_url_variants_reach_the_endpoint(llm, suffix):
    llm.replies.append((200, _chat(PROSE)))
    result = rewrite(OUTLINE, url=llm.base + suffix, timeout=5)
    assert result.accepted, result.reason
    assert [path for path, _ in llm.requests] == [PATH]


def test_timeout_is_a_result_not_an_exception(llm):
    llm.replies.append((0, _chat(PROSE)))  # held until released, long after the timeout
    result = rewrite(OUTLINE, url=llm.base, timeout=0.3)
    llm.release.set()
    assert (result.text, result.accepted) == ("", False)
    assert result.reason == f"máy chủ LLM tại {llm.base}{PATH} không trả lời sau 0.3 giây"


def test_server_down(llm):
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = rewrite(OUTLINE, url=f"http://127.0.0.1:{port}", timeout=2)
    assert (result.text, result.accepted) == ("", False)
    assert result.reason.startswith(f"không gọi được máy chủ LLM tại http://127.0.0.1:{port}{PATH}")


@pytest.mark.parametrize("text", [
    "Tổ chức học tập, quán triệt Chuyên đề năm 2025 trong tháng 01/2025.",
    "- Báo cáo kết quả về Đảng ủy Sở Y tế (xem mục 2, [ghi chú]).",
    "",
])
def test_no_markers_is_not_sent(llm, text):
    result = rewrite(text, url=llm.base)
    assert result == Rewrite("", False, NO_MARKERS, DEFAULT_MODEL)
    assert llm.requests == []


def test_settings_from_environment(llm, monkeypatch):
    monkeypatch.setenv("VANKIEN_LLM_URL", llm.base + "/v1")
    monkeypatch.setenv("VANKIEN_LLM_MODEL", "vistral-7b")
    monkeypatch.setenv("VANKIEN_LLM_TIMEOUT_S", "0.3")
    llm.replies.extend([(200, _chat(PROSE)), (0, _chat(PROSE))])
    assert rewrite(OUTLINE) == Rewrite(PROSE, True, "", "vistral-7b")
    assert llm.requests[0][1]["model"] == "vistral-7b"
    assert "không trả lời sau 0.3 giây" in rewrite(OUTLINE).reason


def test_default_model(llm):
    llm.replies.append((200, _chat(PROSE)))
    assert rewrite(OUTLINE, url=llm.base, timeout=5).model == DEFAULT_MODEL
    assert llm.requests[0][1]["model"] == DEFAULT_MODEL


@pytest.mark.parametrize("env,url,message", [
    ({}, None, "đặt VANKIEN_LLM_URL"),
    ({"VANKIEN_LLM_URL": "  "}, None, "đặt VANKIEN_LLM_URL"),
    ({}, "localhost:11434", "phải bắt đầu bằng http:// hoặc https://"),
    ({}, "file:///etc/passwd", "phải bắt đầu bằng http:// hoặc https://"),
    ({"VANKIEN_LLM_URL": "http://localhost:11434", "VANKIEN_LLM_TIMEOUT_S": "hai phút"}, None,
     "VANKIEN_LLM_TIMEOUT_S=hai phút: không phải số giây"),
])
def test_not_configured(monkeypatch, env, url, message):
    for name in ("VANKIEN_LLM_URL", "VANKIEN_LLM_MODEL", "VANKIEN_LLM_TIMEOUT_S"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(LlmNotConfiguredError, match=message) as raised:
        rewrite(OUTLINE, url=url)
    assert isinstance(raised.value, VankienError)
