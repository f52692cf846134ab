"""Generated X's and O's on small grids of -1 (background) and +1 (ink), after the lecture's
9x9 examples, deterministic given a seed.

Each shape is drawn as line segments in continuous coordinates, transformed, then
rasterised.  Untransformed, the X and the O are exactly the lecture's grids
(``dl4cv.data.lecture_matrix("x_straight")`` and ``("o")``).  The variants:

- ``shifted``: moved by whole pixels, up to the edge of the grid;
- ``shrunk``: scaled down, and placed anywhere it fits;
- ``rotated``: turned about the centre by a small angle;
- ``deformed``: every corner and stroke midpoint nudged, so strokes bend;
- ``mixed``: all of the above at once, a little less of each.

A 9x9 grid leaves little room: the shifted, shrunk and rotated variants come in only a
few dozen distinct grids, so two generated sets share many.  To test on grids a model has
never seen, drop from the training set every grid that is also in the test set.
"""
import numpy as np

X, O = 1, 0
LABEL_NAMES = {X: "X", O: "O"}
KINDS = ("shifted", "shrunk", "rotated", "deformed", "mixed")
GRID_SIZE = 9
INK, BACKGROUND = 1, -1

_CENTRE = 4.0  # the lecture's 9x9 grids are drawn about pixel (4, 4)
# Polylines in (row, column) pixel coordinates of the lecture's 9x9 grids.
_X_STROKES = (((1, 1), (4, 4), (7, 7)), ((1, 7), (4, 4), (7, 1)))
_O_STROKES = (((1, 3), (1, 5), (3, 7), (5, 7), (7, 5), (7, 3), (5, 1), (3, 1), (1, 3)),)
# How much each variant changes a shape: (scale range, range of the angle's size in
# degrees, turned either way, largest nudge in pixels).  Shifts are any that keep the ink
# on the grid.
_VARIANTS = {
    "shifted": ((1.0, 1.0), (0.0, 0.0), 0.0),
    "shrunk": ((0.55, 0.8), (0.0, 0.0), 0.0),
    "rotated": ((1.0, 1.0), (6.0, 15.0), 0.0),
    "deformed": ((1.0, 1.0), (0.0, 0.0), 0.6),
    "mixed": ((0.7, 1.0), (0.0, 10.0), 0.4),
}


def draw(label, *, scale=1.0, angle=0.0, shift=(0, 0), nudges=None, size=GRID_SIZE):
    """Rasterise one X (``label=1``) or O (``label=0``) as a ``size`` x ``size`` int8 grid
    of -1/+1.

    The shape is scaled by ``scale`` and turned by ``angle`` degrees (clockwise on
    screen, where rows grow downwards) about the grid's centre, then moved by ``shift`` =
    (rows, columns).  ``nudges``, if given, are (row, column) offsets added to the points
    of the shape's polylines before that, one per point: shape ``(point_count(label), 2)``.
    Ink that falls off the grid is dropped.
    """
    if label not in LABEL_NAMES:
        raise ValueError(f"label must be {X} (X) or {O} (O), got {label!r}")
    if not np.isfinite(scale) or scale <= 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    if int(size) != size or size < 3:
        raise ValueError(f"size must be an integer of at least 3, got {size!r}")
    size = int(size)
    strokes = _X_STROKES if label == X else _O_STROKES
    points = np.array([p for stroke in strokes for p in stroke], dtype=np.float64)
    if nudges is not None:
        nudges = np.asarray(nudges, dtype=np.float64)
        if nudges.shape != points.shape:
            raise ValueError(f"nudges must have shape {points.shape} for this shape, got {nudges.shape}")
        points = points + nudges
    centre = (size - 1) / 2
    radians = np.deg2rad(angle)
    turn = np.array([[np.cos(radians), np.sin(radians)], [-np.sin(radians), np.cos(radians)]])
    points = (points - _CENTRE) * scale @ turn.T + centre + np.asarray(shift, dtype=np.float64)
    grid = np.full((size, size), BACKGROUND, np.int8)
    start = 0
    for stroke in strokes:
        polyline = points[start:start + len(stroke)]
        start += len(stroke)
        for a, b in zip(polyline[:-1], polyline[1:]):
            # One sample per pixel along the longer axis: a thin, 8-connected line.
            steps = max(int(np.ceil(np.abs(b - a).max() - 1e-9)), 1) + 1
            samples = a + np.linspace(0.0, 1.0, steps)[:, None] * (b - a)
            pixels = np.floor(samples + 0.5).astype(int)
            inside = np.all((pixels >= 0) & (pixels < size), axis=1)
            grid[pixels[inside, 0], pixels[inside, 1]] = INK
    return grid


def point_count(label):
    """How many (row, column) points the polylines of an X (1) or an O (0) have: the
    length of ``draw``'s ``nudges``."""
    if label not in LABEL_NAMES:
        raise ValueError(f"label must be {X} (X) or {O} (O), got {label!r}")
    return sum(len(stroke) for stroke in (_X_STROKES if label == X else _O_STROKES))


def _random_shape(label, kind, rng, size):
    (low_scale, high_scale), (low_angle, high_angle), deformation = _VARIANTS[kind]
    scale = rng.uniform(low_scale, high_scale)
    angle = rng.uniform(low_angle, high_angle) * rng.choice((-1, 1))
    nudges = rng.uniform(-deformation, deformation, size=(point_count(label), 2))
    if label == O:
        nudges[-1] = nudges[0]  # the ring stays closed
    centred = draw(label, scale=scale, angle=angle, nudges=nudges, size=size)
    if kind not in ("shifted", "shrunk", "mixed"):
        return centred
    rows, columns = np.nonzero(centred == INK)

    def random_shift():  # any shift that keeps all the ink on the grid
        return (int(rng.integers(-rows.min(), size - rows.max())),
                int(rng.integers(-columns.min(), size - columns.max())))

    shift = random_shift()
    while kind == "shifted" and shift == (0, 0):  # a shifted shape has moved
        shift = random_shift()
    return np.roll(centred, shift, axis=(0, 1))


def xo_dataset(count, *, seed=0, kinds=KINDS, size=GRID_SIZE):
    """Return ``(images, labels, kinds)`` for ``count`` generated shapes.

    ``images``: int8 ``(count, size, size)`` grids of -1/+1; ``labels``: int64, 1 for X
    and 0 for O, alternating so the classes are balanced; ``kinds``: the variant of each
    image (a str array), cycling through ``kinds`` so every variant is equally common.
    The order is shuffled; the same ``seed`` gives the same set.
    """
    if int(count) != count or count < 1:
        raise ValueError(f"count must be a positive integer, got {count!r}")
    if int(size) != size or size < GRID_SIZE:
        raise ValueError(f"size must be an integer of at least {GRID_SIZE}, so that a full-size "
                         f"shape fits, got {size!r}")
    kinds = tuple([kinds] if isinstance(kinds, str) else kinds)
    unknown = [kind for kind in kinds if kind not in _VARIANTS]
    if not kinds or unknown:
        raise ValueError(f"kinds must be a non-empty selection of {KINDS}, got {kinds!r}")
    count = int(count)
    rng = np.random.default_rng(seed)
    labels = np.arange(count) % 2
    kind_of = np.array([kinds[(i // 2) % len(kinds)] for i in range(count)])
    images = np.stack([_random_shape(int(label), kind, rng, size) for label, kind in zip(labels, kind_of)])
    order = rng.permutation(count)
    return images[order], labels[order].astype(np.int64), kind_of[order]
