"""Lab 6's fixture submissions beyond the full solution and the blank lab (13 points)."""
from tests.support.submissions import Submission

LAB6_UNCLAMPED_IOU = '''def box_iou(box_a, box_b):
    top, left = max(box_a[0], box_b[0]), max(box_a[1], box_b[1])
    bottom, right = min(box_a[2], box_b[2]), min(box_a[3], box_b[3])
    intersection = (bottom - top) * (right - left)
    union = (box_a[2] - box_a[0]) * (box_a[3] - box_a[1]) + (box_b[2] - box_b[0]) * (box_b[3] - box_b[1]) - intersection
    return intersection / union if union else 0.0
'''
LAB6_GRAD_CAM_WITHOUT_RELU = '''def grad_cam(feature_maps, gradients):
    return np.asarray(feature_maps) @ np.asarray(gradients).mean(axis=(0, 1))
'''
LAB6_CAM_FROM_KERNEL_ROW = '''def class_activation_map(feature_maps, dense_kernel, class_index):
    return np.asarray(feature_maps) @ np.asarray(dense_kernel)[class_index]
'''

SUBMISSIONS = [
    # IoU without clamping the intersection (2 points lost) and Grad-CAM without its ReLU
    # (3 points lost); everything else right.
    Submission("partly_wrong", expected=8,
               edits={"box-iou": LAB6_UNCLAMPED_IOU, "grad-cam": LAB6_GRAD_CAM_WITHOUT_RELU}),
    # A CAM from a row of the kernel whose visible check was replaced by `pass`: nbgrader
    # restores the check (with its hidden tests), so the 2 points are lost all the same.
    Submission("replaced_check", expected=11,
               edits={"class-activation-map": LAB6_CAM_FROM_KERNEL_ROW, "class-activation-map-check": "pass"}),
]
