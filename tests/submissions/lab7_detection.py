"""Lab 7's fixture submissions beyond the full solution and the blank lab (15 points)."""
from tests.support.submissions import Submission

LAB7_UNCLAMPED_IOU = '''def pairwise_iou(boxes_a, boxes_b):
    a = np.asarray(boxes_a, dtype=float).reshape(-1, 4)
    b = np.asarray(boxes_b, dtype=float).reshape(-1, 4)
    height = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])
    width = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])
    intersection = height * width
    union = ((a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1]))[:, None] + ((b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1]))[None] \\
        - intersection
    return np.divide(intersection, union, out=np.zeros_like(intersection), where=union != 0)
'''
LAB7_NMS_ACROSS_CLASSES = '''def nms(boxes, scores, classes, iou_threshold):
    boxes, scores = np.asarray(boxes, dtype=float).reshape(-1, 4), np.asarray(scores, dtype=float)
    order = np.argsort(-scores, kind="stable")
    keep = []
    while len(order):
        best, order = order[0], order[1:]
        keep.append(int(best))
        order = order[pairwise_iou(boxes[best:best + 1], boxes[order])[0] <= iou_threshold]
    return np.array(keep, dtype=int)
'''
LAB7_AP_WITHOUT_ENVELOPE = '''RECALL_POINTS = np.linspace(0, 1, 101)


def average_precision(scores, matched, num_truths):
    if num_truths == 0:
        return float("nan")
    if len(scores) == 0:
        return 0.0
    order = np.argsort(-np.asarray(scores, dtype=float), kind="stable")
    hits = np.cumsum(np.asarray(matched, dtype=bool)[order])
    recall, precision = hits / num_truths, hits / np.arange(1, len(order) + 1)
    first = np.searchsorted(recall, RECALL_POINTS, side="left")
    return float(np.mean(np.where(first < len(precision), precision[np.minimum(first, len(precision) - 1)], 0.0)))
'''
LAB7_DECODE_SWAPPED = '''def decode_grid(grid, cell_size, score_threshold):
    grid = np.asarray(grid, dtype=float)
    rows, columns = grid.shape[:2]
    scores = grid[..., 0] * grid[..., 1:11].max(axis=-1)
    row, column = np.nonzero(scores >= score_threshold)
    cell = grid[row, column]
    centre = np.stack([(column + cell[:, 11]) * cell_size, (row + cell[:, 12]) * cell_size,
                       cell[:, 13] * rows * cell_size, cell[:, 14] * columns * cell_size], axis=-1)
    return centre_to_corners(centre).reshape(-1, 4), scores[row, column], grid[row, column, 1:11].argmax(axis=-1)
'''

SUBMISSIONS = [
    # NMS that suppresses across classes loses its 2 points (the mAP check compares the R-CNN's
    # detections, which that NMS thins out, with pycocotools on the same detections: still equal).
    # Decoding with rows and columns swapped loses its 2.
    Submission("partly_wrong", expected=11,
               edits={"nms": LAB7_NMS_ACROSS_CLASSES, "decode-grid": LAB7_DECODE_SWAPPED}),
    # IoU without clamping: its own 2 points, and those of the three exercises that call it, whose
    # checks test it first: proposal recall (1), NMS (2) and mAP (2).
    Submission("unclamped_iou", expected=8, edits={"pairwise-iou": LAB7_UNCLAMPED_IOU}),
    # AP without the envelope whose visible check was replaced by `pass`: nbgrader restores the
    # check (with its hidden tests), so its 2 points are lost all the same; mAP calls it: 2 more.
    Submission("replaced_check", expected=11,
               edits={"average-precision": LAB7_AP_WITHOUT_ENVELOPE, "average-precision-check": "pass"}),
]


# Students' answers, one exercise at a time (tests/support/answers.py): right ones written
# independently of the solution, and the mistakes the text warns about, each with the
# points it loses (in its own check and in the later checks that call it) and words its
# message must show.
from tests.support.answers import right, wrong  # noqa: E402

BOX_FORMATS_CONCATENATE = '''def corners_to_centre(boxes):
    b = np.asarray(boxes, dtype=float)
    start, end = b[..., :2], b[..., 2:]
    return np.concatenate([(start + end) / 2, end - start], axis=-1)


def centre_to_corners(boxes):
    b = np.asarray(boxes, dtype=float)
    return np.concatenate([b[..., :2] - b[..., 2:] / 2, b[..., :2] + b[..., 2:] / 2], axis=-1)
'''
BOX_FORMATS_MATRIX = '''TO_CENTRE = np.array([[0.5, 0, 0.5, 0], [0, 0.5, 0, 0.5], [-1, 0, 1, 0], [0, -1, 0, 1]])


def corners_to_centre(boxes):
    return np.asarray(boxes, dtype=float) @ TO_CENTRE.T


def centre_to_corners(boxes):
    return np.asarray(boxes, dtype=float) @ np.linalg.inv(TO_CENTRE).T
'''
BOX_FORMATS_MOVEAXIS = '''def corners_to_centre(boxes):
    top, left, bottom, right = np.moveaxis(np.asarray(boxes, dtype=np.float32), -1, 0)
    return np.stack([(top + bottom) / 2, (left + right) / 2, bottom - top, right - left], -1)


def centre_to_corners(boxes):
    y, x, h, w = np.moveaxis(np.asarray(boxes, dtype=np.float32), -1, 0)
    return np.stack([y - h / 2, x - w / 2, y + h / 2, x + w / 2], -1)
'''
BOX_FORMATS_PLUS_ONE = BOX_FORMATS_CONCATENATE.replace("end - start]", "end - start + 1]").replace(
    "b[..., 2:] / 2, b[..., :2] + b[..., 2:] / 2]", "(b[..., 2:] - 1) / 2, b[..., :2] + (b[..., 2:] - 1) / 2]")
BOX_FORMATS_COLUMNS_FIRST = '''def corners_to_centre(boxes):
    top, left, bottom, right = np.moveaxis(np.asarray(boxes, dtype=float), -1, 0)
    return np.stack([(left + right) / 2, (top + bottom) / 2, right - left, bottom - top], -1)


def centre_to_corners(boxes):
    x, y, w, h = np.moveaxis(np.asarray(boxes, dtype=float), -1, 0)
    return np.stack([y - h / 2, x - w / 2, y + h / 2, x + w / 2], -1)
'''
BOX_FORMATS_FULL_SIZE = BOX_FORMATS_CONCATENATE.replace(
    "b[..., :2] - b[..., 2:] / 2, b[..., :2] + b[..., 2:] / 2", "b[..., :2] - b[..., 2:], b[..., :2] + b[..., 2:]")
BOX_FORMATS_ONLY_2D = '''def corners_to_centre(boxes):
    b = np.asarray(boxes, dtype=float)
    return np.stack([(b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2, b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]], axis=1)


def centre_to_corners(boxes):
    b = np.asarray(boxes, dtype=float)
    return np.stack([b[:, 0] - b[:, 2] / 2, b[:, 1] - b[:, 3] / 2, b[:, 0] + b[:, 2] / 2, b[:, 1] + b[:, 3] / 2], axis=1)
'''

IOU_OUTER = '''def pairwise_iou(boxes_a, boxes_b):
    a = np.asarray(boxes_a, dtype=float).reshape(-1, 4)
    b = np.asarray(boxes_b, dtype=float).reshape(-1, 4)
    height = np.clip(np.minimum.outer(a[:, 2], b[:, 2]) - np.maximum.outer(a[:, 0], b[:, 0]), 0, None)
    width = np.clip(np.minimum.outer(a[:, 3], b[:, 3]) - np.maximum.outer(a[:, 1], b[:, 1]), 0, None)
    intersection = height * width
    area = lambda x: (x[:, 2] - x[:, 0]) * (x[:, 3] - x[:, 1])
    union = np.add.outer(area(a), area(b)) - intersection
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(union > 0, intersection / union, 0.0)
'''
IOU_CORNER_PAIRS = '''def pairwise_iou(boxes_a, boxes_b):
    a = np.asarray(boxes_a, dtype=np.float32).reshape(-1, 4)
    b = np.asarray(boxes_b, dtype=np.float32).reshape(-1, 4)
    low = np.maximum(a[:, None, :2], b[None, :, :2])
    high = np.minimum(a[:, None, 2:], b[None, :, 2:])
    intersection = np.prod(np.maximum(high - low, 0), axis=-1)
    areas_a = np.prod(a[:, 2:] - a[:, :2], axis=-1)
    areas_b = np.prod(b[:, 2:] - b[:, :2], axis=-1)
    union = areas_a[:, None] + areas_b[None, :] - intersection
    return intersection / np.maximum(union, 1e-9)
'''
IOU_SPLIT = '''def pairwise_iou(boxes_a, boxes_b):
    t1, l1, b1, r1 = np.split(np.asarray(boxes_a, dtype=float).reshape(-1, 4), 4, axis=1)  # (N, 1) each
    t2, l2, b2, r2 = np.split(np.asarray(boxes_b, dtype=float).reshape(-1, 4).T, 4, axis=0)  # (1, M) each
    overlap = np.fmax(np.fmin(b1, b2) - np.fmax(t1, t2), 0) * np.fmax(np.fmin(r1, r2) - np.fmax(l1, l2), 0)
    union = (b1 - t1) * (r1 - l1) + (b2 - t2) * (r2 - l2) - overlap
    iou = np.zeros(overlap.shape)
    np.divide(overlap, union, out=iou, where=union != 0)
    return iou
'''
IOU_UNCLAMPED = LAB7_UNCLAMPED_IOU
IOU_PLUS_ONE = IOU_OUTER.replace("b[:, 2]) - np.maximum.outer(a[:, 0], b[:, 0])",
                                 "b[:, 2]) - np.maximum.outer(a[:, 0], b[:, 0]) + 1").replace(
    "b[:, 3]) - np.maximum.outer(a[:, 1], b[:, 1])", "b[:, 3]) - np.maximum.outer(a[:, 1], b[:, 1]) + 1").replace(
    "(x[:, 2] - x[:, 0]) * (x[:, 3] - x[:, 1])", "(x[:, 2] - x[:, 0] + 1) * (x[:, 3] - x[:, 1] + 1)")
IOU_LOOPS = '''def pairwise_iou(boxes_a, boxes_b):
    a = np.asarray(boxes_a, dtype=float).reshape(-1, 4)
    b = np.asarray(boxes_b, dtype=float).reshape(-1, 4)
    result = np.zeros((len(a), len(b)))
    for i in range(len(a)):
        for j in range(len(b)):
            h = max(0.0, min(a[i, 2], b[j, 2]) - max(a[i, 0], b[j, 0]))
            w = max(0.0, min(a[i, 3], b[j, 3]) - max(a[i, 1], b[j, 1]))
            union = (a[i, 2] - a[i, 0]) * (a[i, 3] - a[i, 1]) + (b[j, 2] - b[j, 0]) * (b[j, 3] - b[j, 1]) - h * w
            result[i, j] = h * w / union if union > 0 else 0.0
    return result
'''
IOU_TRANSPOSED = IOU_OUTER.replace("return np.where(union > 0, intersection / union, 0.0)",
                                   "return np.where(union > 0, intersection / union, 0.0).T")

RECALL_HITS_LIST = '''def proposal_recall(proposals, truths, iou_threshold=0.5):
    hits = []
    for scene_proposals, scene_truths in zip(proposals, truths):
        scene_truths = np.asarray(scene_truths).reshape(-1, 4)
        if len(scene_proposals) == 0:
            hits += [False] * len(scene_truths)
        else:
            hits += list((pairwise_iou(scene_truths, scene_proposals) >= iou_threshold).any(axis=1))
    return float(np.mean(hits)) if hits else 0.0
'''
RECALL_COUNTS = '''def proposal_recall(proposals, truths, iou_threshold=0.5):
    total = sum(len(t) for t in truths)
    if total == 0:
        return 0.0
    found = sum(int(np.sum(np.max(pairwise_iou(p, t), axis=0, initial=0.0) >= iou_threshold))
                for p, t in zip(proposals, truths))
    return found / total
'''
RECALL_EVERY_BOX = '''def proposal_recall(proposals, truths, iou_threshold=0.5):
    found, total = 0, 0
    for props, trues in zip(proposals, truths):
        for true_box in trues:
            total += 1
            if any(pairwise_iou([true_box], [p])[0, 0] >= iou_threshold for p in props):
                found += 1
    return found / total if total > 0 else 0.0
'''
RECALL_STRICT = RECALL_HITS_LIST.replace(">= iou_threshold", "> iou_threshold")
RECALL_PER_SCENE = '''def proposal_recall(proposals, truths, iou_threshold=0.5):
    shares = []
    for p, t in zip(proposals, truths):
        if len(t) == 0:
            continue
        best = pairwise_iou(t, p).max(axis=1) if len(p) else np.zeros(len(t))
        shares.append(np.mean(best >= iou_threshold))
    return float(np.mean(shares)) if shares else 0.0
'''
RECALL_COUNTS_PROPOSALS = '''def proposal_recall(proposals, truths, iou_threshold=0.5):
    good = sum(int(np.sum(pairwise_iou(p, t).max(axis=1, initial=0.0) >= iou_threshold))
               for p, t in zip(proposals, truths))
    total = sum(len(p) for p in proposals)
    return good / total if total else 0.0
'''
RECALL_FIXED_THRESHOLD = RECALL_HITS_LIST.replace(">= iou_threshold", ">= 0.5")

NMS_WHILE = '''def nms(boxes, scores, classes, iou_threshold):
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    scores, classes = np.asarray(scores, dtype=float), np.asarray(classes)
    order = np.argsort(scores)[::-1]
    keep = []
    while order.size:
        best, rest = order[0], order[1:]
        keep.append(int(best))
        overlaps = pairwise_iou(boxes[best][None], boxes[rest])[0]
        order = rest[(overlaps <= iou_threshold) | (classes[rest] != classes[best])]
    return np.array(keep, dtype=int)
'''
NMS_PER_CLASS = '''def nms(boxes, scores, classes, iou_threshold):
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    scores, classes = np.asarray(scores, dtype=float), np.asarray(classes)
    kept = []
    for label in np.unique(classes):
        members = list(np.flatnonzero(classes == label)[np.argsort(-scores[classes == label])])
        while members:
            best = members.pop(0)
            kept.append(best)
            members = [m for m in members if pairwise_iou(boxes[[best]], boxes[[m]])[0, 0] <= iou_threshold]
    return np.array(sorted(kept, key=lambda i: -scores[i]), dtype=np.int64)
'''
NMS_OFFSET = '''def nms(boxes, scores, classes, iou_threshold):
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    if len(boxes) == 0:
        return np.zeros(0, dtype=int)
    # Move each class far from the others: then one class-agnostic NMS is per-class.
    shift = (boxes.max() - boxes.min() + 1) * np.asarray(classes, dtype=float)[:, None]
    moved = boxes + shift
    overlaps = pairwise_iou(moved, moved)
    alive = np.ones(len(boxes), dtype=bool)
    keep = []
    for i in np.argsort(-np.asarray(scores), kind="mergesort"):
        if alive[i]:
            keep.append(i)
            alive &= overlaps[i] <= iou_threshold
    return np.asarray(keep)
'''
NMS_UNSORTED = '''def nms(boxes, scores, classes, iou_threshold):
    boxes, classes = np.asarray(boxes, dtype=float).reshape(-1, 4), np.asarray(classes)
    keep = []
    for i in range(len(boxes)):
        if all(classes[k] != classes[i] or pairwise_iou(boxes[[k]], boxes[[i]])[0, 0] <= iou_threshold for k in keep):
            keep.append(i)
    return np.array(keep, dtype=int)
'''
NMS_ACROSS_CLASSES = LAB7_NMS_ACROSS_CLASSES
NMS_AT_OR_ABOVE = NMS_WHILE.replace("(overlaps <= iou_threshold)", "(overlaps < iou_threshold)")

AP_LOOPS = '''RECALL_POINTS = np.linspace(0, 1, 101)


def average_precision(scores, matched, num_truths):
    if num_truths == 0:
        return float("nan")
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    hits, precision, recall = 0, [], []
    for rank, i in enumerate(order, start=1):
        hits += bool(matched[i])
        precision.append(hits / rank)
        recall.append(hits / num_truths)
    for k in range(len(precision) - 2, -1, -1):
        precision[k] = max(precision[k], precision[k + 1])
    total = 0.0
    for r in RECALL_POINTS:
        for p, rc in zip(precision, recall):
            if rc >= r:
                total += p
                break
    return total / len(RECALL_POINTS)
'''
AP_ARGMAX = '''RECALL_POINTS = np.linspace(0, 1, 101)


def average_precision(scores, matched, num_truths):
    if not num_truths:
        return np.nan
    scores = np.asarray(scores, dtype=float)
    if scores.size == 0:
        return 0.0
    order = np.argsort(-scores, kind="stable")
    tp = np.cumsum(np.asarray(matched)[order].astype(float))
    recall = tp / num_truths
    precision = tp / (np.arange(len(tp)) + 1)
    envelope = np.flip(np.maximum.accumulate(np.flip(precision)))
    values = [envelope[np.argmax(recall >= r)] if recall[-1] >= r else 0.0 for r in RECALL_POINTS]
    return float(np.mean(values))
'''
AP_FLOAT_COUNTS = '''RECALL_POINTS = np.linspace(0, 1, 101)


def average_precision(scores, matched, num_truths):
    if num_truths == 0:
        return float("nan")
    ranked = np.asarray(matched, dtype=float)[np.argsort(-np.asarray(scores, dtype=float), kind="stable")]
    true_positives = np.cumsum(ranked)
    false_positives = np.cumsum(1 - ranked)
    recall = true_positives / num_truths
    precision = true_positives / np.maximum(true_positives + false_positives, np.finfo(float).eps)
    for i in range(len(precision) - 1, 0, -1):
        precision[i - 1] = max(precision[i - 1], precision[i])
    at = np.searchsorted(recall, RECALL_POINTS, side="left")
    padded = np.append(precision, 0.0)
    return float(padded[at].mean())
'''
AP_NO_ENVELOPE = LAB7_AP_WITHOUT_ENVELOPE
AP_UNSORTED = AP_ARGMAX.replace('order = np.argsort(-scores, kind="stable")', "order = np.arange(len(scores))")
AP_AREA = '''def average_precision(scores, matched, num_truths):
    if num_truths == 0:
        return float("nan")
    if len(scores) == 0:
        return 0.0
    order = np.argsort(-np.asarray(scores, dtype=float), kind="stable")
    tp = np.cumsum(np.asarray(matched, dtype=bool)[order])
    recall = np.concatenate([[0.0], tp / num_truths])
    precision = np.concatenate([[1.0], tp / np.arange(1, len(tp) + 1)])
    envelope = np.maximum.accumulate(precision[::-1])[::-1]
    return float(np.sum(np.diff(recall) * envelope[1:]))
'''

MAP_DICTS = '''def mean_average_precision(detections, truths, iou_threshold=0.5, num_classes=10):
    found = {c: [] for c in range(num_classes)}
    counts = {c: 0 for c in range(num_classes)}
    for (boxes, scores, classes), (true_boxes, true_classes) in zip(detections, truths):
        boxes, scores, classes = np.asarray(boxes).reshape(-1, 4), np.asarray(scores), np.asarray(classes)
        true_boxes, true_classes = np.asarray(true_boxes).reshape(-1, 4), np.asarray(true_classes)
        for c in range(num_classes):
            counts[c] += int(np.sum(true_classes == c))
        used = set()
        for i in np.argsort(-scores, kind="stable"):
            best, best_iou = None, iou_threshold
            for j in np.flatnonzero(true_classes == classes[i]):
                if j in used:
                    continue
                iou = pairwise_iou(boxes[[i]], true_boxes[[j]])[0, 0]
                if iou >= best_iou:
                    best, best_iou = j, iou
            if best is not None:
                used.add(best)
            found[int(classes[i])].append((scores[i], best is not None))
    per_class = np.array([average_precision([s for s, _ in found[c]], [m for _, m in found[c]], counts[c])
                          if counts[c] else np.nan for c in range(num_classes)])
    return float(np.nanmean(per_class)), per_class
'''
MAP_PER_CLASS_FIRST = '''def _matches(boxes, scores, targets, threshold):
    """Match one scene's detections of one class to its true boxes of that class."""
    taken = np.zeros(len(targets), dtype=bool)
    flags = np.zeros(len(boxes), dtype=bool)
    if len(targets) == 0:
        return flags
    overlaps = pairwise_iou(boxes, targets)
    for i in np.argsort(-scores, kind="stable"):
        free = np.where(taken, -np.inf, overlaps[i])
        j = int(np.argmax(free))
        if free[j] >= threshold:
            taken[j] = flags[i] = True
    return flags


def mean_average_precision(detections, truths, iou_threshold=0.5, num_classes=10):
    aps = []
    for c in range(num_classes):
        all_scores, all_flags, n = [], [], 0
        for (boxes, scores, classes), (true_boxes, true_classes) in zip(detections, truths):
            mine = np.asarray(classes) == c
            targets = np.asarray(true_boxes).reshape(-1, 4)[np.asarray(true_classes) == c]
            n += len(targets)
            scene_scores = np.asarray(scores, dtype=float)[mine]
            all_scores.extend(scene_scores)
            all_flags.extend(_matches(np.asarray(boxes).reshape(-1, 4)[mine], scene_scores, targets, iou_threshold))
        aps.append(average_precision(all_scores, all_flags, n) if n else np.nan)
    aps = np.array(aps, dtype=float)
    return np.nanmean(aps), aps
'''
MAP_GREEDY_MATRIX = '''def mean_average_precision(detections, truths, iou_threshold=0.5, num_classes=10):
    per_class = np.full(num_classes, np.nan)
    for c in range(num_classes):
        records, n = [], 0
        for s, ((boxes, scores, classes), (tb, tc)) in enumerate(zip(detections, truths)):
            keep = np.asarray(classes) == c
            gt = np.asarray(tb, dtype=float).reshape(-1, 4)[np.asarray(tc) == c]
            n += len(gt)
            b, sc = np.asarray(boxes, dtype=float).reshape(-1, 4)[keep], np.asarray(scores, dtype=float)[keep]
            order = np.argsort(-sc, kind="stable")
            iou = pairwise_iou(b[order], gt) if len(gt) else np.zeros((len(order), 0))
            for row in range(len(order)):
                if iou.shape[1] and iou[row].max() >= iou_threshold:
                    j = int(iou[row].argmax())
                    records.append((sc[order[row]], True))
                    iou[:, j] = -1.0  # that true box is taken
                else:
                    records.append((sc[order[row]], False))
        if n:
            per_class[c] = average_precision([r[0] for r in records], [r[1] for r in records], n)
    return float(np.nanmean(per_class)), per_class
'''
MAP_NO_TAKEN = MAP_DICTS.replace("                if j in used:\n                    continue\n", "")
MAP_ANY_CLASS = MAP_DICTS.replace("np.flatnonzero(true_classes == classes[i])", "range(len(true_classes))")
MAP_MEAN_OF_ALL = MAP_DICTS.replace("return float(np.nanmean(per_class)), per_class",
                                    "return float(np.mean(np.nan_to_num(per_class))), per_class")

DECODE_LOOP = '''def decode_grid(grid, cell_size, score_threshold):
    grid = np.asarray(grid, dtype=float)
    rows, columns = grid.shape[:2]
    boxes, scores, classes = [], [], []
    for r in range(rows):
        for c in range(columns):
            score = grid[r, c, 0] * grid[r, c, 1:11].max()
            if score >= score_threshold:
                dy, dx, h, w = grid[r, c, 11:15]
                cy, cx = (r + dy) * cell_size, (c + dx) * cell_size
                h, w = h * rows * cell_size, w * columns * cell_size
                boxes.append([cy - h / 2, cx - w / 2, cy + h / 2, cx + w / 2])
                scores.append(score)
                classes.append(int(np.argmax(grid[r, c, 1:11])))
    return np.array(boxes).reshape(-1, 4), np.array(scores), np.array(classes, dtype=int)
'''
DECODE_MESHGRID = '''def decode_grid(grid, cell_size, score_threshold):
    grid = np.asarray(grid, dtype=float)
    rows, columns = grid.shape[:2]
    r, c = np.meshgrid(np.arange(rows), np.arange(columns), indexing="ij")
    centre = np.stack([(r + grid[..., 11]) * cell_size, (c + grid[..., 12]) * cell_size,
                       grid[..., 13] * rows * cell_size, grid[..., 14] * columns * cell_size], axis=-1)
    score = grid[..., 0] * grid[..., 1:11].max(axis=-1)
    keep = score >= score_threshold
    return centre_to_corners(centre[keep]), score[keep], grid[..., 1:11].argmax(axis=-1)[keep]
'''
DECODE_ARGWHERE = '''def decode_grid(grid, cell_size, score_threshold):
    grid = np.asarray(grid, dtype=np.float32)
    image_height, image_width = grid.shape[0] * cell_size, grid.shape[1] * cell_size
    scores = grid[..., 0] * np.max(grid[..., 1:11], axis=-1)
    cells = np.argwhere(scores >= score_threshold)  # (K, 2): row, column
    values = grid[cells[:, 0], cells[:, 1]]
    centres = (cells + values[:, 11:13]) * cell_size
    sizes = values[:, 13:15] * np.array([image_height, image_width])
    boxes = np.concatenate([centres - sizes / 2, centres + sizes / 2], axis=1)
    return boxes, scores[cells[:, 0], cells[:, 1]], np.argmax(values[:, 1:11], axis=1)
'''
DECODE_SWAPPED = LAB7_DECODE_SWAPPED
DECODE_OBJECTNESS_ONLY = DECODE_MESHGRID.replace("score = grid[..., 0] * grid[..., 1:11].max(axis=-1)",
                                                 "score = grid[..., 0]")
DECODE_CELL_SIZES = DECODE_MESHGRID.replace("grid[..., 13] * rows * cell_size, grid[..., 14] * columns * cell_size",
                                            "grid[..., 13] * cell_size, grid[..., 14] * cell_size")

LOSS_TAKE = '''BOX_WEIGHT = 5.0
EPSILON = 1e-7
ops = keras.ops


def grid_loss(targets, outputs):
    mask = targets[..., 0]
    p = ops.clip(outputs[..., 0], EPSILON, 1 - EPSILON)
    objectness = -ops.mean(mask * ops.log(p) + (1.0 - mask) * ops.log(1.0 - p))
    label = ops.cast(targets[..., 1:2], "int32")
    p_true = ops.take_along_axis(outputs[..., 1:11], label, axis=-1)[..., 0]
    per_cell = -ops.log(ops.maximum(p_true, EPSILON)) + BOX_WEIGHT * ops.sum(ops.abs(outputs[..., 11:] - targets[..., 2:]), axis=-1)
    return objectness + ops.sum(mask * per_cell) / ops.maximum(ops.sum(mask), 1.0)
'''
LOSS_KERAS_OPS_CROSSENTROPY = '''BOX_WEIGHT = 5.0
EPSILON = 1e-7
ops = keras.ops


def grid_loss(targets, outputs):
    present = targets[..., 0]
    objectness = ops.mean(ops.binary_crossentropy(present, outputs[..., 0]))
    classes = ops.sparse_categorical_crossentropy(ops.cast(targets[..., 1], "int32"), outputs[..., 1:11])
    boxes = ops.sum(ops.abs(outputs[..., 11:15] - targets[..., 2:6]), axis=-1)
    n = ops.maximum(ops.sum(present), 1.0)
    return objectness + ops.sum(present * (classes + BOX_WEIGHT * boxes)) / n
'''
LOSS_WHERE = '''BOX_WEIGHT = 5.0
EPSILON = 1e-7
ops = keras.ops


def grid_loss(targets, outputs):
    is_digit = targets[..., 0] > 0.5
    o = ops.clip(outputs[..., 0], EPSILON, 1 - EPSILON)
    bce = ops.where(is_digit, -ops.log(o), -ops.log(1 - o))
    one_hot = ops.one_hot(ops.cast(targets[..., 1], "int32"), 10)
    class_ce = -ops.log(ops.clip(ops.sum(one_hot * outputs[..., 1:11], axis=-1), EPSILON, 1.0))
    l1 = ops.sum(ops.abs(outputs[..., 11:15] - targets[..., 2:6]), axis=-1)
    digit_terms = ops.where(is_digit, class_ce + BOX_WEIGHT * l1, ops.zeros_like(l1))
    count = ops.sum(ops.cast(is_digit, "float32"))
    return ops.mean(bce) + ops.sum(digit_terms) / ops.maximum(count, 1.0)
'''
LOSS_EVERY_CELL = LOSS_TAKE.replace("ops.sum(mask * per_cell)", "ops.sum(per_cell)")
LOSS_SUMMED_OBJECTNESS = LOSS_TAKE.replace("objectness = -ops.mean(", "objectness = -ops.sum(")
LOSS_NO_MAX = LOSS_TAKE.replace("ops.maximum(ops.sum(mask), 1.0)", "ops.sum(mask)")
LOSS_MEAN_BOX = LOSS_TAKE.replace("BOX_WEIGHT * ops.sum(ops.abs(", "BOX_WEIGHT * ops.mean(ops.abs(")
LOSS_NUMPY = '''BOX_WEIGHT = 5.0
EPSILON = 1e-7


def grid_loss(targets, outputs):
    targets, outputs = np.asarray(targets, dtype=float), np.asarray(outputs, dtype=float)
    present = targets[..., 0]
    o = np.clip(outputs[..., 0], EPSILON, 1 - EPSILON)
    bce = np.mean(-(present * np.log(o) + (1 - present) * np.log(1 - o)))
    p = np.take_along_axis(outputs[..., 1:11], targets[..., 1:2].astype(int), axis=-1)[..., 0]
    per_cell = -np.log(np.clip(p, EPSILON, 1)) + BOX_WEIGHT * np.abs(outputs[..., 11:] - targets[..., 2:]).sum(-1)
    return float(bce + np.sum(present * per_cell) / max(1.0, present.sum()))
'''

# A wrong IoU costs the exercises that call it as well (their checks test it first and say so).
IOU_CASCADE = {"pairwise-iou-check": 2, "proposal-recall-check": 1, "nms-check": 2, "mean-average-precision-check": 2}

ANSWERS = [
    # Exercise 1: box formats
    right("boxes-concatenate", {"box-formats": BOX_FORMATS_CONCATENATE}),
    right("boxes-matrix", {"box-formats": BOX_FORMATS_MATRIX}),
    right("boxes-moveaxis-float32", {"box-formats": BOX_FORMATS_MOVEAXIS}),
    wrong("boxes-plus-one", {"box-formats": BOX_FORMATS_PLUS_ONE}, {"box-formats-check": 1, "decode-grid-check": 2}, "no + 1"),
    wrong("boxes-columns-first", {"box-formats": BOX_FORMATS_COLUMNS_FIRST}, {"box-formats-check": 1, "decode-grid-check": 2},
          "rows come first"),
    wrong("boxes-full-size", {"box-formats": BOX_FORMATS_FULL_SIZE}, {"box-formats-check": 1, "decode-grid-check": 2},
          "half a size"),
    wrong("boxes-only-2d", {"box-formats": BOX_FORMATS_ONLY_2D}, {"box-formats-check": 1}, "too many indices"),

    # Exercise 2: pairwise IoU
    right("iou-outer", {"pairwise-iou": IOU_OUTER}),
    right("iou-corner-pairs-float32", {"pairwise-iou": IOU_CORNER_PAIRS}),
    right("iou-split", {"pairwise-iou": IOU_SPLIT}),
    wrong("iou-unclamped", {"pairwise-iou": IOU_UNCLAMPED}, IOU_CASCADE, "without clamping"),
    wrong("iou-plus-one", {"pairwise-iou": IOU_PLUS_ONE}, IOU_CASCADE, "no + 1"),
    wrong("iou-loops", {"pairwise-iou": IOU_LOOPS}, {"pairwise-iou-check": 2}, "broadcast"),
    wrong("iou-transposed", {"pairwise-iou": IOU_TRANSPOSED}, IOU_CASCADE, "wrong order"),

    # Exercise 3: proposal recall
    right("recall-hits-list", {"proposal-recall": RECALL_HITS_LIST}),
    right("recall-counts", {"proposal-recall": RECALL_COUNTS}),
    right("recall-every-box", {"proposal-recall": RECALL_EVERY_BOX}),
    wrong("recall-strict", {"proposal-recall": RECALL_STRICT}, {"proposal-recall-check": 1}, "IoU >= iou_threshold"),
    wrong("recall-per-scene", {"proposal-recall": RECALL_PER_SCENE}, {"proposal-recall-check": 1},
          "over all true boxes"),
    wrong("recall-counts-proposals", {"proposal-recall": RECALL_COUNTS_PROPOSALS}, {"proposal-recall-check": 1},
          "not proposals"),
    wrong("recall-fixed-threshold", {"proposal-recall": RECALL_FIXED_THRESHOLD}, {"proposal-recall-check": 1},
          "threshold argument"),

    # Exercise 4: NMS
    right("nms-while", {"nms": NMS_WHILE}),
    right("nms-per-class", {"nms": NMS_PER_CLASS}),
    right("nms-offset", {"nms": NMS_OFFSET}),
    wrong("nms-unsorted", {"nms": NMS_UNSORTED}, {"nms-check": 2}, "does not sort by score"),
    wrong("nms-across-classes", {"nms": NMS_ACROSS_CLASSES}, {"nms-check": 2}, "suppresses across classes"),
    wrong("nms-at-or-above", {"nms": NMS_AT_OR_ABOVE}, {"nms-check": 2}, "greater than"),

    # Exercise 5: average precision
    right("ap-loops", {"average-precision": AP_LOOPS}),
    right("ap-argmax", {"average-precision": AP_ARGMAX}),
    right("ap-float-counts", {"average-precision": AP_FLOAT_COUNTS}),
    wrong("ap-no-envelope", {"average-precision": AP_NO_ENVELOPE},
          {"average-precision-check": 2, "mean-average-precision-check": 2}, "without the precision envelope"),
    wrong("ap-unsorted", {"average-precision": AP_UNSORTED},
          {"average-precision-check": 2, "mean-average-precision-check": 2}, "sort the detections by score"),
    wrong("ap-area", {"average-precision": AP_AREA},
          {"average-precision-check": 2, "mean-average-precision-check": 2}, "101 recall points"),

    # Exercise 6: mAP
    right("map-dicts", {"mean-average-precision": MAP_DICTS}),
    right("map-per-class-helper", {"mean-average-precision": MAP_PER_CLASS_FIRST}),
    right("map-greedy-matrix", {"mean-average-precision": MAP_GREEDY_MATRIX}),
    wrong("map-no-taken", {"mean-average-precision": MAP_NO_TAKEN}, {"mean-average-precision-check": 2},
          "already taken"),
    wrong("map-any-class", {"mean-average-precision": MAP_ANY_CLASS}, {"mean-average-precision-check": 2},
          "same class"),
    wrong("map-mean-of-all", {"mean-average-precision": MAP_MEAN_OF_ALL}, {"mean-average-precision-check": 2},
          "classes that have true boxes"),

    # Exercise 7: decoding the grid
    right("decode-loop", {"decode-grid": DECODE_LOOP}),
    right("decode-meshgrid", {"decode-grid": DECODE_MESHGRID}),
    right("decode-argwhere-float32", {"decode-grid": DECODE_ARGWHERE}),
    wrong("decode-swapped", {"decode-grid": DECODE_SWAPPED}, {"decode-grid-check": 2}, "rows and columns swapped"),
    wrong("decode-objectness-only", {"decode-grid": DECODE_OBJECTNESS_ONLY}, {"decode-grid-check": 2},
          "objectness x the best class probability"),
    wrong("decode-cell-sizes", {"decode-grid": DECODE_CELL_SIZES}, {"decode-grid-check": 2}, "fractions of the whole image"),

    # Exercise 8: the grid loss, and the short training run that uses it
    right("loss-take-along-axis", {"grid-loss": LOSS_TAKE}),
    right("loss-keras-crossentropies", {"grid-loss": LOSS_KERAS_OPS_CROSSENTROPY}),
    right("loss-where", {"grid-loss": LOSS_WHERE}),
    wrong("loss-every-cell", {"grid-loss": LOSS_EVERY_CELL}, {"grid-loss-check": 2}, "only in cells that hold a digit"),
    wrong("loss-summed-objectness", {"grid-loss": LOSS_SUMMED_OBJECTNESS}, {"grid-loss-check": 2}, "not a sum"),
    wrong("loss-no-max", {"grid-loss": LOSS_NO_MAX}, {"grid-loss-check": 2}, "max(1, n)"),
    wrong("loss-mean-box", {"grid-loss": LOSS_MEAN_BOX}, {"grid-loss-check": 2}, "sums the four absolute errors"),
    wrong("loss-numpy", {"grid-loss": LOSS_NUMPY}, {"grid-training-check": 1}, "numpy"),
]
