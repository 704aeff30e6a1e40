#!/usr/bin/env python3
"""Writes a deterministic text-like corpus for compressor benchmarks.

Usage: text-corpus.py OUT MEGABYTES [SEED]

Words are drawn from a generated vocabulary with a Zipf-like distribution and
grouped into sentences and paragraphs, so the output compresses roughly
like prose (brotli -q 5: 20 MB to 7.1 MB), not like random bytes or a repeated
block.
"""
import random
import sys


def vocabulary(rng, size):
    letters = "etaoinshrdlcumwfgypbvkjxqz"
    weights = [26 - i for i in range(len(letters))]
    words = set()
    while len(words) < size:
        n = min(1 + int(rng.expovariate(0.3)), 14)
        words.add("".join(rng.choices(letters, weights, k=n)))
    words = sorted(words)
    rng.shuffle(words)  # frequency rank unrelated to spelling
    return words


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.strip().splitlines()[2])
    try:
        megabytes = float(sys.argv[2])
        seed = int(sys.argv[3]) if len(sys.argv) == 4 else 16
    except ValueError:
        sys.exit("text-corpus.py: MEGABYTES must be a number and SEED an integer")
    out = sys.argv[1]
    rng = random.Random(seed)
    words = vocabulary(rng, 20000)
    cum = []
    total = 0.0
    for rank in range(len(words)):
        total += 1.0 / (rank + 1)
        cum.append(total)
    limit = int(megabytes * 1_000_000)
    written = 0
    with open(out, "w") as f:
        while written < limit:
            para = []
            for _ in range(rng.randint(2, 8)):
                sentence = rng.choices(words, cum_weights=cum, k=rng.randint(4, 24))
                para.append(sentence[0].capitalize() + " " + " ".join(sentence[1:]) + ".")
            text = " ".join(para) + "\n\n"
            f.write(text)
            written += len(text)


if __name__ == "__main__":
    main()
