"""Lab 2's fixture submissions beyond the full solution (14 points) and the blank lab."""
from tests.support.answers import right, wrong
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

# Students' answers, one exercise at a time (tests/support/answers.py), written from the
# exercise text alone.  Lab 2's later exercises build on earlier ones where the text says
# so (conv_layer on conv2d_fast): a conv2d_fast that is wrong there costs those points too.
NAIVE = "def conv2d_naive(image, kernel, stride=1, padding=0):\n"
FAST = "def conv2d_fast(image, kernel, stride=1, padding=0):\n"
LAYER = "def conv_layer(image, kernels, biases, stride=1, padding=0):\n"
RELU = '''

def relu(x):
    return np.maximum(x, 0)
'''
LAYER_BY_CHANNEL = LAYER + '''    image = np.asarray(image, dtype=float)
    maps = [sum(conv2d_fast(image[:, :, c], kernels[:, :, c, f], stride, padding) for c in range(image.shape[2]))
            + biases[f] for f in range(kernels.shape[3])]
    return np.stack(maps, axis=-1)
'''
PHOTO = "def filter_photo(grey, kernel):\n"
POOL = '''def max_pool(maps, size=2, stride=2):
    return _pool(maps, size, stride, np.max)


def average_pool(maps, size=2, stride=2):
    return _pool(maps, size, stride, np.mean)
'''
FIELD = "def receptive_field(layers):\n"

ANSWERS = [
    # Exercise 1: output_size
    right("output-size-count-range", {"output-size": ALTERNATIVES["output-size"]}),
    right("output-size-ceil", {"output-size": '''import math

def output_size(n, k, stride=1, padding=0):
    return math.ceil((n + 2 * padding - k + 1) / stride)
'''}),
    right("output-size-numpy-int", {"output-size": '''def output_size(n, k, stride=1, padding=0):
    return np.floor_divide(n + 2 * padding - k, stride) + 1
'''}),
    right("output-size-int-of-floor", {"output-size": '''def output_size(n, k, stride=1, padding=0):
    return int(np.floor((n - k + 2 * padding) / stride)) + 1
'''}),
    wrong("output-size-one-side-padding", {"output-size": '''def output_size(n, k, stride=1, padding=0):
    return (n + padding - k) // stride + 1
'''}, lost={"output-size-check": 1}, says="both sides"),
    wrong("output-size-float-floor", {"output-size": '''def output_size(n, k, stride=1, padding=0):
    return np.floor((n + 2 * padding - k) / stride) + 1
'''}, lost={"output-size-check": 1}, says="int"),
    wrong("output-size-true-division", {"output-size": '''def output_size(n, k, stride=1, padding=0):
    return (n + 2 * padding - k) / stride + 1
'''}, lost={"output-size-check": 1}, says="integer division"),
    wrong("output-size-plus-one-inside", {"output-size": '''def output_size(n, k, stride=1, padding=0):
    return (n + 2 * padding - k + 1) // stride
'''}, lost={"output-size-check": 1}, says="window position"),
    # Exercise 2: conv2d_naive (two graded cells)
    right("conv2d-naive-window-sum", {"conv2d-naive": ALTERNATIVES["conv2d-naive"]}),
    right("conv2d-naive-kernel-outer", {"conv2d-naive": NAIVE + '''    padded = np.pad(np.asarray(image, dtype=np.float64), padding)
    kh, kw = np.shape(kernel)
    out_h = (padded.shape[0] - kh) // stride + 1
    out_w = (padded.shape[1] - kw) // stride + 1
    out = np.zeros((out_h, out_w))
    for a in range(kh):
        for b in range(kw):
            for i in range(out_h):
                for j in range(out_w):
                    out[i, j] += kernel[a][b] * padded[i * stride + a, j * stride + b]
    return out
'''}),
    right("conv2d-naive-float32-lists", {"conv2d-naive": NAIVE + '''    image = np.pad(np.array(image, dtype=np.float32), padding)
    kernel = np.array(kernel, dtype=np.float32)
    rows = []
    for i in range(0, image.shape[0] - kernel.shape[0] + 1, stride):
        row = []
        for j in range(0, image.shape[1] - kernel.shape[1] + 1, stride):
            total = np.float32(0)
            for a in range(kernel.shape[0]):
                for b in range(kernel.shape[1]):
                    total += image[i + a, j + b] * kernel[a, b]
            row.append(total)
        rows.append(row)
    return np.array(rows, dtype=np.float32)
'''}),
    wrong("conv2d-naive-flipped", {"conv2d-naive": FLIPPED_NAIVE},
          lost={"conv2d-naive-check": 2, "conv2d-stride-padding-check": 2}, says="flipped"),
    wrong("conv2d-naive-strided-input", {"conv2d-naive": NAIVE + '''    image = np.pad(np.asarray(image, dtype=float), padding)[::stride, ::stride]
    kh, kw = np.shape(kernel)
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel)
    return out
'''}, lost={"conv2d-stride-padding-check": 2}, says="stride"),
    wrong("conv2d-naive-sums-in-uint8", {"conv2d-naive": NAIVE + '''    image = np.pad(np.asarray(image), padding)
    kh, kw = np.shape(kernel)
    out = np.zeros(((image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            total = 0
            for a in range(kh):
                for b in range(kw):
                    total = total + image[i * stride + a, j * stride + b] * kernel[a, b]
            out[i, j] = total
    return out
'''}, lost={"conv2d-naive-check": 2}, says="floats"),
    wrong("conv2d-naive-pads-one-side", {"conv2d-naive": NAIVE + '''    image = np.pad(np.asarray(image, dtype=float), ((padding, 0), (padding, 0)))
    kh, kw = np.shape(kernel)
    out = np.zeros(((image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i * stride:i * stride + kh, j * stride:j * stride + kw] * kernel)
    return out
'''}, lost={"conv2d-stride-padding-check": 2}, says="padding"),
    wrong("conv2d-naive-int-output", {"conv2d-naive": NAIVE + '''    image = np.pad(np.asarray(image), padding)
    kh, kw = np.shape(kernel)
    out = np.zeros(((image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1), dtype=int)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i * stride:i * stride + kh, j * stride:j * stride + kw] * kernel)
    return out
'''}, lost={"conv2d-naive-check": 2, "conv2d-stride-padding-check": 2}, says="dtype"),
    # Exercise 3: conv2d_fast
    right("conv2d-fast-tensordot-float32", {"conv2d-fast": ALTERNATIVES["conv2d-fast"]}),
    right("conv2d-fast-einsum", {"conv2d-fast": FAST + '''    padded = np.pad(np.asarray(image, dtype=float), padding)
    windows = np.lib.stride_tricks.sliding_window_view(padded, np.shape(kernel))
    return np.einsum("ijab,ab->ij", windows[::stride, ::stride], np.asarray(kernel, dtype=float))
'''}),
    right("conv2d-fast-scipy", {"conv2d-fast": FAST + '''    padded = np.pad(np.asarray(image, dtype=float), padding)
    return scipy.signal.correlate2d(padded, np.asarray(kernel, dtype=float), mode="valid")[::stride, ::stride]
'''}),
    right("conv2d-fast-shifted-images", {"conv2d-fast": FAST + '''    padded = np.pad(np.asarray(image, dtype=float), padding)
    kh, kw = np.shape(kernel)
    full = np.zeros((padded.shape[0] - kh + 1, padded.shape[1] - kw + 1))
    for a in range(kh):
        for b in range(kw):
            full = full + kernel[a][b] * padded[a:a + full.shape[0], b:b + full.shape[1]]
    return full[::stride, ::stride]
'''}),
    wrong("conv2d-fast-row-loop", {"conv2d-fast": ROW_LOOP_FAST}, lost={"conv2d-fast-check": 2}, says="loop"),
    wrong("conv2d-fast-scipy-convolve", {"conv2d-fast": FAST + '''    padded = np.pad(np.asarray(image, dtype=float), padding)
    return scipy.signal.convolve2d(padded, kernel, mode="valid")[::stride, ::stride]
'''}, lost={"conv2d-fast-check": 2, "conv-layer-check": 2, "filter-photo-check": 1}, says="flipped"),
    wrong("conv2d-fast-sums-in-input-dtype", {"conv2d-fast": FAST + '''    padded = np.pad(np.asarray(image), padding)
    kernel = np.asarray(kernel)
    windows = np.lib.stride_tricks.sliding_window_view(padded, kernel.shape)[::stride, ::stride]
    out = np.zeros(windows.shape[:2], dtype=np.result_type(padded, kernel))
    for a in range(kernel.shape[0]):
        for b in range(kernel.shape[1]):
            out += windows[:, :, a, b] * kernel[a, b]
    return out.astype(float)
'''}, lost={"conv2d-fast-check": 2}, says="floats"),
    wrong("conv2d-fast-ignores-padding", {"conv2d-fast": FAST + '''    windows = np.lib.stride_tricks.sliding_window_view(np.asarray(image, dtype=float), np.shape(kernel))
    return np.einsum("ijab,ab->ij", windows[::stride, ::stride], kernel)
'''}, lost={"conv2d-fast-check": 2, "conv-layer-check": 2, "filter-photo-check": 1}, says="shape"),
    # Exercise 4: conv_layer and relu
    right("conv-layer-einsum-where", {"conv-layer": ALTERNATIVES["conv-layer"]}),
    right("conv-layer-loops-clip", {"conv-layer": LAYER + '''    image = np.asarray(image, dtype=float)
    h, w, c = image.shape
    d = kernels.shape[3]
    out = None
    for f in range(d):
        total = 0
        for channel in range(c):
            total = total + conv2d_fast(image[:, :, channel], kernels[:, :, channel, f], stride, padding)
        if out is None:
            out = np.zeros(total.shape + (d,))
        out[:, :, f] = total + biases[f]
    return out


def relu(x):
    return np.clip(x, 0, None)
'''}),
    right("conv-layer-keras-ops", {"conv-layer": LAYER + '''    padded = np.pad(np.asarray(image, dtype="float32"), ((padding, padding), (padding, padding), (0, 0)))
    maps = keras.ops.conv(padded[None], np.asarray(kernels, dtype="float32"), strides=stride, padding="valid")
    return keras.ops.convert_to_numpy(maps)[0] + biases


def relu(x):
    x = np.asarray(x, dtype=float)
    return x * (x > 0)
'''}),
    wrong("conv-layer-no-bias", {"conv-layer": LAYER_BY_CHANNEL.replace("\n            + biases[f]", "") + RELU},
          lost={"conv-layer-check": 2}, says="biases"),
    wrong("conv-layer-first-channel-only", {"conv-layer": LAYER + '''    image = np.asarray(image, dtype=float)
    maps = [conv2d_fast(image[:, :, 0], kernels[:, :, 0, f], stride, padding) + biases[f]
            for f in range(kernels.shape[3])]
    return np.stack(maps, axis=-1)
''' + RELU}, lost={"conv-layer-check": 2}, says="ALL input channels"),
    wrong("conv-layer-relu-in-place", {"conv-layer": LAYER_BY_CHANNEL + '''

def relu(x):
    x[x < 0] = 0
    return x
'''}, lost={"conv-layer-check": 2}, says="changed"),
    wrong("conv-layer-relu-abs", {"conv-layer": LAYER_BY_CHANNEL + "\n\ndef relu(x):\n    return np.abs(x)\n"},
          lost={"conv-layer-check": 2}, says="absolute value"),
    wrong("conv-layer-filters-first", {"conv-layer": LAYER_BY_CHANNEL.replace("axis=-1", "axis=0") + RELU},
          lost={"conv-layer-check": 2}, says="channels"),
    # Exercise 5: filter_photo
    right("filter-photo-alternative", {"filter-photo": ALTERNATIVES["filter-photo"]}),
    right("filter-photo-scipy-same", {"filter-photo": PHOTO + '''    result = scipy.signal.correlate2d(np.asarray(grey, dtype=float), kernel, mode="same")
    return np.clip(result, 0, 255).astype("uint8")
'''}),
    right("filter-photo-naive-round", {"filter-photo": PHOTO + '''    k = np.shape(kernel)[0]
    result = conv2d_naive(grey, kernel, padding=k // 2)
    return np.round(np.clip(result, 0, 255)).astype(np.uint8)
'''}),
    right("filter-photo-minimum-maximum", {"filter-photo": PHOTO + '''    result = conv2d_fast(grey, kernel, 1, (len(kernel) - 1) // 2)
    return np.minimum(np.maximum(result, 0), 255).astype(np.uint8)
'''}),
    wrong("filter-photo-wraps", {"filter-photo": WRAPPING_PHOTO}, lost={"filter-photo-check": 1}, says="clip"),
    wrong("filter-photo-padding-1", {"filter-photo": PHOTO + '''    return np.clip(conv2d_fast(grey, kernel, padding=1), 0, 255).astype(np.uint8)
'''}, lost={"filter-photo-check": 1}, says="k // 2"),
    wrong("filter-photo-flipped", {"filter-photo": PHOTO + '''    result = scipy.signal.convolve2d(np.asarray(grey, dtype=float), kernel, mode="same")
    return np.clip(result, 0, 255).astype(np.uint8)
'''}, lost={"filter-photo-check": 1}, says="flip"),
    wrong("filter-photo-float-result", {"filter-photo": PHOTO + '''    return np.clip(conv2d_fast(grey, kernel, padding=len(kernel) // 2), 0, 255)
'''}, lost={"filter-photo-check": 1}, says="dtype"),
    wrong("filter-photo-no-padding", {"filter-photo": PHOTO + '''    return np.clip(conv2d_fast(grey, kernel), 0, 255).astype(np.uint8)
'''}, lost={"filter-photo-check": 1}, says="shape"),
    # Exercise 6: max_pool and average_pool
    right("pooling-loops", {"pooling": ALTERNATIVES["pooling"]}),
    right("pooling-keras-ops", {"pooling": '''def max_pool(maps, size=2, stride=2):
    batch = np.asarray(maps, dtype="float32")[None]
    return keras.ops.convert_to_numpy(keras.ops.max_pool(batch, size, stride, padding="valid"))[0]


def average_pool(maps, size=2, stride=2):
    batch = np.asarray(maps, dtype="float32")[None]
    return keras.ops.convert_to_numpy(keras.ops.average_pool(batch, size, stride, padding="valid"))[0]
'''}),
    right("pooling-per-channel", {"pooling": '''def _pool(maps, size, stride, reduce):
    maps = np.asarray(maps)
    channels = []
    for c in range(maps.shape[2]):
        rows = []
        for top in range(0, maps.shape[0] - size + 1, stride):
            rows.append([reduce(maps[top:top + size, left:left + size, c])
                         for left in range(0, maps.shape[1] - size + 1, stride)])
        channels.append(rows)
    return np.stack(channels, axis=-1).astype(float)


''' + POOL}),
    wrong("pooling-channels-first", {"pooling": CHANNELS_FIRST_POOLING}, lost={"pooling-check": 2}, says="channels-first"),
    wrong("pooling-integer-means", {"pooling": '''def _pool(maps, size, stride, reduce):
    maps = np.asarray(maps)
    windows = np.lib.stride_tricks.sliding_window_view(maps, (size, size), axis=(0, 1))[::stride, ::stride]
    return reduce(windows)


def max_pool(maps, size=2, stride=2):
    return _pool(maps, size, stride, lambda w: w.max(axis=(-2, -1)))


def average_pool(maps, size=2, stride=2):
    return _pool(maps, size, stride, lambda w: w.sum(axis=(-2, -1)) // (size * size))
'''}, lost={"pooling-check": 2}, says="integer division"),
    wrong("pooling-keeps-edge-windows", {"pooling": '''def _pool(maps, size, stride, reduce):
    maps = np.asarray(maps, dtype=float)
    return np.array([[reduce(maps[r:r + size, c:c + size], axis=(0, 1)) for c in range(0, maps.shape[1], stride)]
                     for r in range(0, maps.shape[0], stride)])


''' + POOL}, lost={"pooling-check": 2}, says="dropped"),
    wrong("pooling-size-stride-swapped", {"pooling": '''def _pool(maps, size, stride, reduce):
    maps = np.asarray(maps, dtype=float)
    windows = np.lib.stride_tricks.sliding_window_view(maps, (stride, stride), axis=(0, 1))[::size, ::size]
    return reduce(windows, axis=(-2, -1))


''' + POOL}, lost={"pooling-check": 2}, says="mixed up"),
    # Exercise 7: receptive_field
    right("receptive-field-backwards", {"receptive-field": ALTERNATIVES["receptive-field"]}),
    right("receptive-field-sum-of-products", {"receptive-field": FIELD + '''    strides = [stride for _, stride in layers]
    return 1 + sum((k - 1) * np.prod(strides[:i]) for i, (k, _) in enumerate(layers))
'''}),
    right("receptive-field-positions", {"receptive-field": FIELD + '''    low, high = 0, 0
    for kernel_size, stride in reversed(layers):
        low, high = low * stride, high * stride + kernel_size - 1
    return high - low + 1
'''}),
    right("receptive-field-recursive", {"receptive-field": FIELD + '''    if not layers:
        return 1
    (k, s), rest = layers[-1], layers[:-1]
    jump = int(np.prod([stride for _, stride in rest])) if rest else 1
    return receptive_field(rest) + (k - 1) * jump
'''}),
    wrong("receptive-field-multiplies", {"receptive-field": FIELD + '''    field = 1
    for kernel_size, stride in layers:
        field *= kernel_size
    return field
'''}, lost={"receptive-field-check": 2}, says="do not multiply"),
    wrong("receptive-field-adds-k", {"receptive-field": FIELD + "    return sum(k for k, s in layers)\n"},
          lost={"receptive-field-check": 2}, says="k - 1"),
    wrong("receptive-field-own-stride-first", {"receptive-field": FIELD + '''    field, jump = 1, 1
    for kernel_size, stride in layers:
        jump *= stride
        field += (kernel_size - 1) * jump
    return field
'''}, lost={"receptive-field-check": 2}, says="own stride"),
    wrong("receptive-field-no-strides", {"receptive-field": RECEPTIVE_FIELD_WITHOUT_STRIDES},
          lost={"receptive-field-check": 2}, says="pooling was ignored"),
]
