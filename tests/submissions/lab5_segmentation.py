"""Lab 5's fixture submissions beyond the full solution and the blank lab (15 points)."""
from tests.support.submissions import Submission

LAB5_MEAN_WITH_BACKGROUND = '''def mean_iou(truth, prediction, num_classes):
    return float(np.nanmean(iou_per_class(truth, prediction, num_classes)))
'''
LAB5_IOU_DIVIDING_ZERO_BY_ZERO = '''def iou_per_class(truth, prediction, num_classes):
    truth, prediction = np.asarray(truth), np.asarray(prediction)
    intersection = np.array([np.sum((truth == c) & (prediction == c)) for c in range(num_classes)])
    union = np.array([np.sum((truth == c) | (prediction == c)) for c in range(num_classes)])
    return intersection / union
'''
LAB5_ACCURACY_AS_A_COUNT = '''def pixel_accuracy(truth, prediction):
    return int(np.sum(np.asarray(truth) == np.asarray(prediction)))
'''

SUBMISSIONS = [
    # mIoU averages background in as well (inflated): the 2 points of the mIoU check are lost.
    Submission("background_in_miou", expected=13, edits={"mean-iou": LAB5_MEAN_WITH_BACKGROUND}),
    # IoU computes 0/0 for the classes in neither mask: the values are right (NaN) but NumPy
    # warns on stderr, in the IoU check (2 points) and again in the mIoU check, which calls
    # it (2 points): nbgrader scores a cell that writes to stderr 0.
    Submission("iou_zero_by_zero", expected=11, edits={"iou-per-class": LAB5_IOU_DIVIDING_ZERO_BY_ZERO}),
    # A wrong pixel accuracy whose visible check was replaced by `pass`: nbgrader restores
    # the check (with its hidden tests), so its point is lost all the same.
    Submission("replaced_check", expected=14,
               edits={"pixel-accuracy": LAB5_ACCURACY_AS_A_COUNT, "pixel-accuracy-check": "pass"}),
]
