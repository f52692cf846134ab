"""Lab 2's speed targets: the reference vectorised convolution against loops and SciPy.

    python benchmarks/bench_convolution.py [--repeats N] [--size PIXELS]

Times, on a SIZE x SIZE float image with a 3 x 3 kernel (stride 1, no padding), the
median of N runs of
- ``conv2d_naive``: the lab's reference loops (rows, columns, kernel rows, kernel columns),
- ``conv2d_fast``: the lab's reference solution (shift and add: one slice of the padded
  image per kernel entry),
- all sliding windows at once (``sliding_window_view`` + ``einsum``), the other route the
  lab suggests,
- ``scipy.signal.correlate2d``,
and prints the ratios.  The reference solutions are taken from the answer cells of
``solutions/lab2_convolution/lab2_convolution.ipynb``, so this measures what the lab
ships.  Targets: ``conv2d_fast`` at least 100x faster than the loops and no slower than
SciPy; the exit status is 1 when a target is missed.
"""
import sys
from pathlib import Path

import numpy as np

from common import Row, median_seconds, parse_args, report, require, run_cells

require("convolution implementations", "scipy")
import scipy.signal  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "solutions" / "lab2_convolution" / "lab2_convolution.ipynb"
ANSWER_CELLS = ("output-size", "conv2d-naive", "conv2d-fast")
MIN_SPEEDUP_OVER_LOOPS = 100


def windows_einsum(image, kernel, stride=1, padding=0):
    padded = np.pad(np.asarray(image, dtype=np.float64), padding)
    windows = np.lib.stride_tricks.sliding_window_view(padded, kernel.shape)[::stride, ::stride]
    return np.einsum("ijkl,kl->ij", windows, kernel)


def main():
    def options(parser):
        parser.add_argument("--repeats", type=int, default=200, help="runs of each fast version (default 200)")
        parser.add_argument("--naive-repeats", type=int, default=5, help="runs of the loops (default 5)")
        parser.add_argument("--size", type=int, default=256, help="image side in pixels (default 256)")

    args = parse_args(__doc__.split("\n\n")[0], options)
    if args.quick:
        args.repeats, args.naive_repeats = min(args.repeats, 30), min(args.naive_repeats, 2)
    if args.repeats < 1 or args.naive_repeats < 1 or args.size < 3:
        raise SystemExit("repeats must be at least 1 and size at least 3")

    lab = run_cells(NOTEBOOK, ANSWER_CELLS, {"np": np})
    rng = np.random.default_rng(0)
    image, kernel = rng.normal(size=(args.size, args.size)), rng.normal(size=(3, 3))
    expected = scipy.signal.correlate2d(image, kernel, mode="valid")
    versions = {
        "conv2d_naive (4 loops)": (lab["conv2d_naive"], args.naive_repeats),
        "conv2d_fast (shift and add)": (lab["conv2d_fast"], args.repeats),
        "sliding windows + einsum": (windows_einsum, args.repeats),
        "scipy.signal.correlate2d": (lambda x, k: scipy.signal.correlate2d(x, k, mode="valid"), args.repeats),
    }
    for name, (function, _) in versions.items():
        if not np.allclose(function(image, kernel), expected):
            raise SystemExit(f"{name} does not match scipy.signal.correlate2d")

    timings = {name: 1000 * median_seconds(lambda: function(image, kernel), repeats)
               for name, (function, repeats) in versions.items()}
    naive = timings["conv2d_naive (4 loops)"]
    scipy_ms = timings["scipy.signal.correlate2d"]
    print(f"{args.size} x {args.size} float64 image, 3 x 3 kernel, stride 1, no padding; median of runs")
    print(f"{'version':36s} {'ms':>9s} {'vs loops':>9s} {'vs scipy':>9s}")
    for name, ms in timings.items():
        print(f"{name:36s} {ms:9.3f} {naive / ms:8.0f}x {scipy_ms / ms:8.2f}x")

    fast = timings["conv2d_fast (shift and add)"]
    speedup_ok = naive / fast >= MIN_SPEEDUP_OVER_LOOPS
    scipy_ok = fast <= scipy_ms
    print(f"target: conv2d_fast >= {MIN_SPEEDUP_OVER_LOOPS}x faster than the loops: "
          f"{naive / fast:.0f}x {'met' if speedup_ok else 'MISSED'}")
    print(f"target: conv2d_fast no slower than scipy: {fast:.3f} ms vs {scipy_ms:.3f} ms "
          f"{'met' if scipy_ok else 'MISSED'}")
    report([Row(f"convolution {args.size}x{args.size}, 3x3: loops / conv2d_fast",
                f"{naive:.0f} ms / {fast:.2f} ms = {naive / fast:.0f}x", f"≥ {MIN_SPEEDUP_OVER_LOOPS}x", speedup_ok),
            Row("convolution: conv2d_fast vs scipy.signal.correlate2d",
                f"{fast:.2f} ms vs {scipy_ms:.2f} ms", "no slower than scipy", scipy_ok),
            Row("convolution: sliding windows + einsum",
                f"{timings['sliding windows + einsum']:.2f} ms")], args)
    return 0 if speedup_ok and scipy_ok else 1


if __name__ == "__main__":
    sys.exit(main())
