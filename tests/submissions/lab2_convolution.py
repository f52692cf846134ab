"""Lab 2's fixture submissions beyond the full solution (14 points) and the blank lab."""
from tests.support.submissions import Submission

FLIPPED_NAIVE = '''def conv2d_naive(image, kernel, stride=1, padding=0):
    image = np.pad(np.asarray(image, dtype=float), padding)
    kernel = np.asarray(kernel, dtype=float)[::-1, ::-1]  # textbook convolution flips
    kh, kw = kernel.shape
    out = np.zeros((output_size(image.shape[0], kh, stride), output_size(image.shape[1], kw, stride)))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            for a in range(kh):
                for b in range(kw):
                    out[i, j] += image[i * stride + a, j * stride + b] * kernel[a, b]
    return out
'''

ROW_LOOP_FAST = '''def conv2d_fast(image, kernel, stride=1, padding=0):
    padded = np.pad(np.asarray(image, dtype=float), padding)
    kernel = np.asarray(kernel, dtype=float)
    kh, kw = kernel.shape
    rows = []
    for top in range(0, padded.shape[0] - kh + 1, stride):  # one Python step per output row
        band = np.lib.stride_tricks.sliding_window_view(padded[top:top + kh], kernel.shape)[0, ::stride]
        rows.append(np.einsum("jab,ab->j", band, kernel))
    return np.array(rows)
'''

# Every exercise answered correctly, but differently from the reference solution.
ALTERNATIVES = {
    "output-size": '''def output_size(n, k, stride=1, padding=0):
    return len(range(0, n + 2 * padding - k + 1, stride))
''',
    "conv2d-naive": '''def conv2d_naive(image, kernel, stride=1, padding=0):
    image = np.asarray(image, dtype=float)
    if padding:
        padded = np.zeros((image.shape[0] + 2 * padding, image.shape[1] + 2 * padding))
        padded[padding:-padding, padding:-padding] = image
        image = padded
    kh, kw = np.shape(kernel)
    rows = []
    for top in range(0, image.shape[0] - kh + 1, stride):
        row = []
        for left in range(0, image.shape[1] - kw + 1, stride):
            row.append(float(np.sum(image[top:top + kh, left:left + kw] * kernel)))
        rows.append(row)
    return np.array(rows)
''',
    "conv2d-fast": '''def conv2d_fast(image, kernel, stride=1, padding=0):
    padded = np.pad(np.asarray(image, dtype=np.float32), padding)
    windows = np.lib.stride_tricks.sliding_window_view(padded, np.shape(kernel))[::stride, ::stride]
    return np.tensordot(windows, np.asarray(kernel, dtype=np.float32), axes=2)
''',
    "conv-layer": '''def conv_layer(image, kernels, biases, stride=1, padding=0):
    padded = np.pad(np.asarray(image, dtype=float), ((padding, padding), (padding, padding), (0, 0)))
    kh, kw = kernels.shape[:2]
    windows = np.lib.stride_tricks.sliding_window_view(padded, (kh, kw), axis=(0, 1))[::stride, ::stride]
    return np.einsum("ijcab,abcd->ijd", windows, kernels) + biases


def relu(x):
    return np.where(x > 0, x, 0)
''',
    "filter-photo": '''def filter_photo(grey, kernel):
    pad = len(kernel) // 2
    return np.clip(np.rint(conv2d_fast(grey, kernel, 1, pad)), 0, 255).astype(np.uint8)
''',
    "pooling": '''def _pool(maps, size, stride, reduce):
    maps = np.asarray(maps, dtype=float)
    out_h, out_w = output_size(maps.shape[0], size, stride), output_size(maps.shape[1], size, stride)
    out = np.zeros((out_h, out_w, maps.shape[2]))
    for i in range(out_h):
        for j in range(out_w):
            out[i, j] = reduce(maps[i * stride:i * stride + size, j * stride:j * stride + size], axis=(0, 1))
    return out


def max_pool(maps, size=2, stride=2):
    return _pool(maps, size, stride, np.max)


def average_pool(maps, size=2, stride=2):
    return _pool(maps, size, stride, np.mean)
''',
    "receptive-field": '''def receptive_field(layers):
    field = 1
    for kernel_size, stride in reversed(layers):
        field = (field - 1) * stride + kernel_size
    return field
''',
}

WRAPPING_PHOTO = '''def filter_photo(grey, kernel):
    kernel = np.asarray(kernel)
    return conv2d_fast(grey, kernel, padding=kernel.shape[0] // 2).astype(np.int64).astype(np.uint8)
'''

CHANNELS_FIRST_POOLING = '''def max_pool(maps, size=2, stride=2):
    maps = np.moveaxis(np.asarray(maps), -1, 0)  # to (d, h, w) ... and never back
    windows = np.lib.stride_tricks.sliding_window_view(maps, (size, size), axis=(1, 2))
    return windows[:, ::stride, ::stride].max(axis=(-2, -1))


def average_pool(maps, size=2, stride=2):
    maps = np.moveaxis(np.asarray(maps, dtype=float), -1, 0)
    windows = np.lib.stride_tricks.sliding_window_view(maps, (size, size), axis=(1, 2))
    return windows[:, ::stride, ::stride].mean(axis=(-2, -1))
'''

RECEPTIVE_FIELD_WITHOUT_STRIDES = '''def receptive_field(layers):
    return 1 + sum(kernel_size - 1 for kernel_size, stride in layers)
'''

SUBMISSIONS = [
    # A true (flipped) convolution loses both graded checks of conv2d_naive (2 + 2).
    Submission("flipped_naive", expected=10, edits={"conv2d-naive": FLIPPED_NAIVE}),
    # A loop over output rows is still a Python loop over pixels (2 points lost).
    Submission("row_loop_fast", expected=12, edits={"conv2d-fast": ROW_LOOP_FAST}),
    # Correct, in other ways: any loop order, tensordot in float32, einsum layers, loop pooling.
    Submission("alternatives", expected=14, edits=ALTERNATIVES),
    # uint8 wrap-around on the photo (1) and pooled maps returned channels first (2).
    Submission("partly_wrong", expected=11,
               edits={"filter-photo": WRAPPING_PHOTO, "pooling": CHANNELS_FIRST_POOLING}),
    # A wrong receptive field whose visible check was replaced by `pass`: nbgrader
    # restores the check (with its hidden tests), so the 2 points are lost all the same.
    Submission("replaced_check", expected=12,
               edits={"receptive-field": RECEPTIVE_FIELD_WITHOUT_STRIDES, "receptive-field-check": "pass"}),
]
