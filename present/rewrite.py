"""Optional rewrite of an extractive summary or outline into fluent Vietnamese prose by an LLM.

The extractive text is the product; the rewrite is a convenience shown beside it, so it is only
*accepted* when it keeps the source markers (``[1]``, ``[2]``…) the text had: a marker dropped
means a claim lost its source, a marker added means the model cited a source it never saw.

The server is any OpenAI-compatible chat endpoint (Ollama, llama.cpp server, vLLM), named by
``VANKIEN_LLM_URL``; the model by ``VANKIEN_LLM_MODEL`` and the time allowed by
``VANKIEN_LLM_TIMEOUT_S``. Only the standard library speaks to it: a rewrite is optional and
must not add a dependency. A server that is down or answers nonsense is a result
(``accepted=False`` with a reason), not an exception: the caller still has the extractive text.

>>> rewrite("- Tổ chức học tập Chuyên đề năm 2025 [1].")  # doctest: +SKIP
Rewrite(text='Các cơ quan tổ chức học tập Chuyên đề năm 2025 [1].', accepted=True, reason='',
        model='default')
"""

from __future__ import annotations

import http.client
import json
import os
import re
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from core import settings
from core.errors import VankienError

# The settings llm_url, llm_model and llm_timeout_s (ingest/settings.py), by the names users set.
URL_ENV = "VANKIEN_LLM_URL"
MODEL_ENV = "VANKIEN_LLM_MODEL"
TIMEOUT_ENV = "VANKIEN_LLM_TIMEOUT_S"
DEFAULT_MODEL = "default"  # the OpenAI API requires a model; llama.cpp server ignores it
DEFAULT_TIMEOUT_S = 120.0  # a local 7-8B model on CPU takes a minute on a page of outline
TEMPERATURE = 0.2  # low: paraphrase, not invent

MARKER = re.compile(r"\[(\d+)\]")
_FENCE_OPEN = re.compile(r"\A\s*```[^\n]*\n")
_FENCE_CLOSE = re.compile(r"\n?```\s*\Z")
# Reasoning models (Qwen3, DeepSeek-R1 on Ollama) may put their thinking before the answer;
# it is not the rewrite, and the markers it quotes must not count as kept.
_THINK = re.compile(r"\A\s*<think>.*?</think>\s*", re.DOTALL)
_BODY_EXCERPT = 200  # characters of an error body quoted in a reason

SYSTEM_PROMPT = (
    "Bạn là biên tập viên tiếng Việt. Hãy viết lại văn bản người dùng gửi thành văn xuôi "
    "tiếng Việt trôi chảy, mạch lạc.\n"
    "Quy tắc bắt buộc:\n"
    "1. Giữ nguyên từng dấu nguồn dạng [n] (ví dụ [1], [2]) đúng như trong văn bản gốc, "
    "đặt ngay sau câu mà nó làm nguồn.\n"
    "2. Không bỏ dấu nguồn nào, không thêm dấu nguồn mới, không đổi số trong dấu nguồn.\n"
    "3. Không thêm thông tin, số liệu, ngày tháng hay nhận định nào không có trong văn bản gốc.\n"
    "4. Chỉ trả về văn bản đã viết lại, không giải thích, không dùng markdown."
)
NO_MARKERS = "văn bản không có dấu nguồn nào để kiểm"


class LlmNotConfiguredError(VankienError):
    """No LLM server is configured, or its URL or timeout is not usable."""


@dataclass(frozen=True)
class Rewrite:
    text: str  # the model's rewrite ("" when none was obtained)
    accepted: bool  # True only if the rewrite keeps exactly the input's markers
    reason: str  # Vietnamese, for the user: why it was rejected ("" when accepted)
    model: str


def _endpoint(url: str) -> str:
    """``http://host:11434``, ``…/v1`` or ``…/v1/chat/completions`` → the chat endpoint."""
    parts = urllib.parse.urlsplit(url.strip())
    # urlopen also reads file:// and ftp:// URLs: a setting must not turn into a file read.
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LlmNotConfiguredError(
            f"{url}: địa chỉ máy chủ LLM phải bắt đầu bằng http:// hoặc https:// "
            f"(ví dụ http://localhost:11434)")
    path = parts.path.rstrip("/")
    if not path.endswith("/chat/completions"):
        path += "/chat/completions" if path.endswith("/v1") else "/v1/chat/completions"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def _timeout(timeout: float | None) -> float:
    if timeout is not None:
        return timeout
    try:
        return float(settings.get("llm_timeout_s"))
    except ValueError:
        raw = os.environ.get(TIMEOUT_ENV, "")
        raise LlmNotConfiguredError(
            f"{TIMEOUT_ENV}={raw}: không phải số giây (ví dụ {TIMEOUT_ENV}=120)") from None


def _strip_wrapping(content: str) -> str:
    """The answer without a leading <think> block and without a ``` fence around it."""
    content = _THINK.sub("", content)
    content = _FENCE_OPEN.sub("", content)
    content = _FENCE_CLOSE.sub("", content)
    return unicodedata.normalize("NFC", content.strip())


def _markers(text: str) -> set[str]:
    return set(MARKER.findall(text))


def _listed(numbers: set[str]) -> str:
    return ", ".join(f"[{n}]" for n in sorted(numbers, key=int))


def _check(source: str, rewritten: str) -> str:
    """Why the rewrite's markers differ from the source's ("" when they are the same set)."""
    before, after = _markers(source), _markers(rewritten)
    problems = []
    if before - after:
        problems.append(f"bản viết lại bỏ mất nguồn {_listed(before - after)}")
    if after - before:
        problems.append(f"bản viết lại thêm nguồn không có: {_listed(after - before)}")
    return "; ".join(problems)


def _ask(endpoint: str, model: str, text: str, timeout: float) -> tuple[str, str]:
    """(content, "") from the server, or ("", a Vietnamese reason naming the URL)."""
    body = json.dumps({
        "model": model,
        "messages": [{"role": "system", "content": SYSTEM_PROMPT},
                     {"role": "user", "content": text}],
        "temperature": TEMPERATURE,
        "stream": False,
    }, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        endpoint, data=body, method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json"})
    where = f"máy chủ LLM tại {endpoint}"
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as error:  # before URLError: it is one
        detail = error.read(_BODY_EXCERPT * 4).decode("utf-8", "replace").strip()
        detail = " ".join(detail.split())[:_BODY_EXCERPT]
        return "", f"{where} trả lỗi HTTP {error.code}" + (f": {detail}" if detail else "")
    except (TimeoutError, urllib.error.URLError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            return "", f"{where} không trả lời sau {timeout:g} giây"
        return "", f"không gọi được {where}: {reason}"
    except (OSError, http.client.HTTPException) as error:  # reset, closed mid-answer…
        return "", f"không gọi được {where}: {error!r}"
    try:
        content = json.loads(raw)["choices"][0]["message"]["content"]
    except ValueError:
        return "", f"{where} trả về dữ liệu không phải JSON"
    except (KeyError, IndexError, TypeError):
        return "", f"{where} trả về JSON thiếu choices[0].message.content"
    if not isinstance(content, str):
        return "", f"{where} trả về JSON thiếu choices[0].message.content"
    return content, ""


def rewrite(text: str, *, url: str | None = None, model: str | None = None,
            timeout: float | None = None) -> Rewrite:
    """Ask the LLM to rewrite ``text`` as prose; accept it only if it keeps the same markers.

    ``url``, ``model`` and ``timeout`` default to ``VANKIEN_LLM_URL``, ``VANKIEN_LLM_MODEL``
    ("default") and ``VANKIEN_LLM_TIMEOUT_S`` (120). Raises :class:`LlmNotConfiguredError`
    when there is no URL or it is not http(s); every failure of the server itself comes back
    as ``Rewrite(text="", accepted=False, reason=…)``.

    >>> rewrite("- Báo cáo kết quả trước ngày 17/01/2026 [2].").accepted  # doctest: +SKIP
    True
    """
    url = url if url is not None else str(settings.get("llm_url"))
    if not url.strip():
        raise LlmNotConfiguredError(
            f"chưa cấu hình máy chủ LLM: đặt {URL_ENV} (ví dụ {URL_ENV}=http://localhost:11434)")
    endpoint = _endpoint(url)
    model = model or str(settings.get("llm_model")).strip() or DEFAULT_MODEL
    seconds = _timeout(timeout)
    if not _markers(text):
        return Rewrite("", False, NO_MARKERS, model)
    content, failure = _ask(endpoint, model, text, seconds)
    if failure:
        return Rewrite("", False, failure, model)
    rewritten = _strip_wrapping(content)
    if not rewritten:
        return Rewrite("", False, f"máy chủ LLM tại {endpoint} trả về bản viết lại rỗng", model)
    reason = _check(text, rewritten)
    return Rewrite(rewritten, not reason, reason, model)
