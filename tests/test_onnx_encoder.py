"""The int8 ONNX encoder (models/onnx_encoder.py) against the torch fp32 one, its export
(models/onnx_export.py) and the factory's fallback (models/encoder.load_encoder).

Loads the real model and its export (``make setup`` builds both; the export is made here
when missing). The export recipe itself is run on a tiny random BERT, in seconds.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from core.errors import VankienError
from models.encoder import Encoder, ModelMissingError, load_encoder
from models.onnx_encoder import OnnxEncoder
from models.onnx_export import (
    MANIFEST,
    ONNX_DIR,
    export_onnx,
    export_problem,
    is_current,
    onnx_file,
)
from tests.quality import MODEL

# Cosine of int8 to fp32 vectors, measured on CASES one at a time: min 0.9949 (the last
# query), mean 0.9965 (bench/encoder.py, 300 passages in batches of 32: mean 0.9965, min
# 0.982 for a table of numbers); pinned a little below, so an export or onnxruntime change
# that costs quality fails here.
MIN_COSINE = 0.992
MEAN_COSINE = 0.995

CASES = [  # (kind, text): real wording of the corpus, and queries as users type them
    ("passage", "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát "
                "triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia."),
    ("passage", "Sở Công Thương đề nghị Ủy ban nhân dân tỉnh Lào Cai xem xét, chấp thuận "
                "phương án nổ mìn phục vụ thi công công trình thủy điện Ngòi Nhù 1A."),
    ("passage", "Căn cứ Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ ngày 29 "
                "tháng 6 năm 2024; Thông tư số 23/2024/TT-BCT của Bộ trưởng Bộ Công Thương "
                "quy định về quản lý, sử dụng vật liệu nổ công nghiệp, tiền chất thuốc nổ."),
    ("passage", "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã tổ chức hội nghị hiệp "
                "thương lần thứ hai, lập danh sách sơ bộ những người ứng cử đại biểu Hội đồng "
                "nhân dân xã nhiệm kỳ 2026-2031 và gửi lấy ý kiến cử tri nơi cư trú."),
    ("passage", unicodedata.normalize("NFD", "Kế hoạch kiểm tra, giám sát công tác bầu cử "
                                             "đại biểu Quốc hội khóa XVI")),
    ("passage", "Hóa chất nguy hiểm phải được lưu giữ trong kho đạt yêu cầu về phòng cháy, "
                "chữa cháy; hoá đơn, chứng từ kèm theo"),  # old and new tone placement
    ("query", "thủ tục cấp giấy phép khai thác khoáng sản"),
    ("query", "nghi quyet 57 ve chuyen doi so"),  # typed without diacritics
    ("query", "Hội nghị hiệp thương lần thứ hai tổ chức khi nào?"),
    ("query", "kho vật liệu nổ công nghiệp"),
]


@pytest.fixture(scope="module")
def int8() -> OnnxEncoder:
    if not (MODEL / "modules.json").exists():
        pytest.fail(f"{MODEL}: the default model is not built; run `make setup`")
    export_onnx(MODEL)  # idempotent: seconds when current, about a minute the first time
    return OnnxEncoder(MODEL)


@pytest.fixture(scope="module")
def fp32() -> Encoder:
    return Encoder(MODEL)


def _encode(encoder, kind: str, texts: list[str]) -> np.ndarray:
    return encoder.passages(texts) if kind == "passage" else encoder.queries(texts)


def test_int8_vectors_stay_close_to_fp32(int8, fp32):
    cosines = []
    for kind, text in CASES:  # one at a time: a query is a batch of one in the app too
        cosine = float(_encode(int8, kind, [text])[0] @ _encode(fp32, kind, [text])[0])
        assert cosine >= MIN_COSINE, (kind, text, cosine)
        cosines.append(cosine)
    assert np.mean(cosines) >= MEAN_COSINE, cosines


@pytest.mark.parametrize("kind", ["passage", "query"])
def test_vectors_are_normalised_float32_of_the_model_dimension(int8, kind):
    texts = [text for _, text in CASES]
    vectors = _encode(int8, kind, texts)
    assert vectors.shape == (len(texts), 384) == (len(texts), int8.dimension)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_order_is_kept_when_lengths_are_mixed(int8):
    # sorted by length inside the call, the vectors must come back in input order
    texts = [CASES[2][1], "Lào Cai", CASES[3][1] * 6, "kho", CASES[0][1], CASES[6][1]]
    together = int8.passages(texts)
    alone = np.vstack([int8.passages([text]) for text in texts])
    similarity = together @ alone.T
    assert list(similarity.argmax(axis=1)) == list(range(len(texts)))
    # int8 activations are scaled per batch, so a batch's padding moves vectors a little
    assert similarity.diagonal().min() >= 0.99


def test_a_long_text_is_cut_at_the_model_length(int8):
    ids = int8.tokenizer.encode("passage: " + CASES[2][1] * 40).ids
    assert len(ids) == 512 and ids[-1] == 2  # the end token kept, as sentence-transformers


@pytest.mark.parametrize("kind", ["passage", "query"])
def test_no_text_gives_no_vector(int8, kind):
    vectors = _encode(int8, kind, [])
    assert vectors.shape == (0, int8.dimension) and vectors.dtype == np.float32


def test_model_id_names_the_variant_apart_from_torch(int8, fp32):
    assert int8.model_id != fp32.model_id
    assert int8.model_id == f"{fp32.model_id}:onnx-int8"


def _linked_copy(tmp_path: Path, with_onnx: bool) -> Path:
    """The model folder, its files symlinked (470 MB not copied), the export optional."""
    folder = tmp_path / MODEL.name
    for source in MODEL.rglob("*"):
        if source.is_dir() or (source.relative_to(MODEL).parts[0] == ONNX_DIR
                               and not with_onnx) or source.name.startswith("."):
            continue
        link = folder / source.relative_to(MODEL)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(source)
    return folder


def test_factory_gives_int8_when_asked_and_exported(int8, monkeypatch):
    monkeypatch.setenv("VANKIEN_ENCODER_VARIANT", "int8")
    encoder = load_encoder(MODEL)
    assert isinstance(encoder, OnnxEncoder) and encoder.notice is None


def test_factory_falls_back_to_torch_with_a_notice_when_the_export_is_missing(
        int8, tmp_path, monkeypatch):
    folder = _linked_copy(tmp_path, with_onnx=False)
    with pytest.raises(ModelMissingError, match="models.onnx_export"):
        OnnxEncoder(folder)
    monkeypatch.setenv("VANKIEN_ENCODER_VARIANT", "int8")
    encoder = load_encoder(folder)
    assert isinstance(encoder, Encoder)
    assert str(onnx_file(folder)) in encoder.notice
    assert "make setup" in encoder.notice and "torch" in encoder.notice
    monkeypatch.setenv("VANKIEN_ENCODER_VARIANT", "fp32")
    assert load_encoder(folder).notice is None


def test_an_unknown_variant_is_refused(monkeypatch):
    monkeypatch.setenv("VANKIEN_ENCODER_VARIANT", "int4")
    with pytest.raises(VankienError, match="int8 hoặc fp32"):
        load_encoder(MODEL)


@pytest.mark.parametrize(("change", "reason"), [
    ({"exporter_version": 0}, "đã cũ"),
    ({"weights": {"head_sha256": "0" * 64}}, "đã cũ"),  # other weights, same size
    ({"weights": {"bytes": 1}}, "đã cũ"),
    ({"onnx_bytes": 5}, "không trọn vẹn"),
])
def test_a_stale_export_is_refused(int8, tmp_path, change, reason):
    folder = _linked_copy(tmp_path, with_onnx=True)
    path = folder / ONNX_DIR / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for key, value in change.items():
        manifest[key] = {**manifest[key], **value} if isinstance(value, dict) else value
    path.unlink()  # a symlink to the real manifest: replace it, never write through it
    path.write_text(json.dumps(manifest), encoding="utf-8")
    assert reason in export_problem(folder)
    assert not is_current(folder)
    with pytest.raises(ModelMissingError, match=reason):
        OnnxEncoder(folder)


def _tiny_bert(folder: Path, seed: int) -> None:
    import torch
    from transformers import BertConfig, BertModel

    torch.manual_seed(seed)
    config = BertConfig(vocab_size=64, hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64, pad_token_id=1)
    BertModel(config).save_pretrained(folder)


def test_export_is_done_once_and_redone_for_other_weights(tmp_path):
    import onnxruntime

    folder = tmp_path / "tiny"
    _tiny_bert(folder, seed=0)
    target = export_onnx(folder)
    assert is_current(folder) and export_problem(folder) is None
    written = target.stat().st_mtime_ns
    assert export_onnx(folder) == target and target.stat().st_mtime_ns == written
    session = onnxruntime.InferenceSession(str(target), providers=["CPUExecutionProvider"])
    ids = np.array([[0, 5, 6, 7, 2], [0, 9, 2, 1, 1]], dtype=np.int64)
    feeds = {"input_ids": ids, "attention_mask": (ids != 1).astype(np.int64),
             "token_type_ids": np.zeros_like(ids)}
    assert session.run(None, feeds)[0].shape == (2, 5, 32)  # batch and length are dynamic
    _tiny_bert(folder, seed=1)  # fine-tuned weights: same names, new values
    assert not is_current(folder)
    export_onnx(folder)
    assert is_current(folder) and target.stat().st_mtime_ns != written
    assert not list(target.parent.glob(".export-*"))  # no staging folder left behind
