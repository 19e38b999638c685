"""Summary statistics over a list of numbers, without dependencies."""

import math
import sys
from collections import Counter


def mean(values):
    if not values:
        raise ValueError("mean of an empty list")
    return sum(values) / len(values)


def median(values):
    if not values:
        raise ValueError("median of an empty list")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2 == 1:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def stdev(values):
    """Sample standard deviation (n - 1 in the denominator)."""
    if len(values) < 2:
        return 0.0
    m = mean(values)
    return math.sqrt(sum((x - m) ** 2 for x in values) / (len(values) - 1))


def mode(values):
    counts = Counter(values)
    best = max(counts.values())
    return min(v for v, c in counts.items() if c == best)


def summary(values):
    return {
        "count": len(values),
        "mean": mean(values),
        "median": median(values),
        "stdev": stdev(values),
        "mode": mode(values),
    }


def main(argv):
    values = [float(a) for a in argv[1:]]
    if not values:
        print("usage: stats.py NUMBER...", file=sys.stderr)
        return 2
    for name, value in summary(values).items():
        print(f"{name:>6}: {value:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
