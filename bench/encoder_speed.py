"""The pretrained encoder's cost, run by hand (never in CI): load time, fp32 weight memory, words per second.

    OMP_NUM_THREADS=1 .venv/bin/python bench/encoder_speed.py --sentences 2000 --threads 1

Needs the model group (uv sync --group model) and ../shared/data/10kgnad/test.csv (German news). Takes the
first --sentences sentences (textlake's segmenter) of 10kGNAD's articles, sorts them by token count so that
a batch pads little, runs the numpy fp32 forward pass (token states, as a token-classification head would
read them) in batches of --batch, and prints one JSON line. Words are whitespace-separated; the CPU
seconds beside the wall seconds tell how much of the time the machine's other work took.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import time
from pathlib import Path

from threadpoolctl import threadpool_limits

from textlake.nlp.segment import segment_sentences
from textlake.training.e5_encoder import E5Encoder
from textlake.training.e5_weights import read_e5_file

NEWS = Path(__file__).resolve().parents[2] / "shared" / "data" / "10kgnad" / "test.csv"


def news_sentences(limit: int) -> list[str]:
    sentences: list[str] = []
    with NEWS.open(encoding="utf-8", newline="") as f:
        for _label, text in csv.reader(f, delimiter=";", quotechar="'"):
            sentences += [text[s.start : s.end] for s in segment_sentences(text)]
            if len(sentences) >= limit:
                return sentences[:limit]
    return sentences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads")
    args = parser.parse_args()

    wall, cpu = time.perf_counter(), time.process_time()
    weights = read_e5_file()
    read_s = time.perf_counter() - wall
    encoder = E5Encoder(weights)
    load_s, load_cpu_s = time.perf_counter() - wall, time.process_time() - cpu

    sentences = news_sentences(args.sentences)
    lengths = [sum(e.attention_mask) for e in encoder.tokenizer.encode_batch(sentences)]
    sentences = [s for _, s in sorted(zip(lengths, sentences, strict=True))]
    words = sum(len(s.split()) for s in sentences)
    tokens = 0
    with threadpool_limits(args.threads, user_api="blas"):
        encoder.token_states(*encoder.encode_batch(sentences[:8]))  # warm-up
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(0, len(sentences), args.batch):
            ids, mask = encoder.encode_batch(sentences[i : i + args.batch])
            encoder.token_states(ids, mask)
            tokens += int(mask.sum())
        run_s, run_cpu_s = time.perf_counter() - wall, time.process_time() - cpu

    print(
        json.dumps(
            {
                "sentences": len(sentences),
                "words": words,
                "tokens": tokens,
                "batch": args.batch,
                "blas_threads": args.threads,
                "words_per_s": round(words / run_s),
                "words_per_cpu_s": round(words / run_cpu_s),
                "run_s": round(run_s, 1),
                "run_cpu_s": round(run_cpu_s, 1),
                "read_file_s": round(read_s, 1),  # the rest of load_s is building the tokenizer
                "load_s": round(load_s, 1),
                "load_cpu_s": round(load_cpu_s, 1),
                "fp32_weights_mb": round(weights.nbytes() / 2**20),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        )
    )


if __name__ == "__main__":
    main()
