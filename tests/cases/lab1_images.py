"""Lab 1's fixture submissions beyond the full solution and the blank lab."""
from notebooks import Submission

LAB1_WRAPPING_BRIGHTEN = '''def brighten(image, amount):
    return (np.asarray(image) + np.uint8(amount % 256)).astype(np.uint8)
'''
LAB1_MEAN_GREY = '''LUMINANCE_WEIGHTS = (0.299, 0.587, 0.114)

def to_grayscale(rgb):
    return np.asarray(rgb, dtype=float).mean(axis=-1)
'''

SUBMISSIONS = [
    # brighten wraps around (2 points lost); everything else right.
    Submission("partly_wrong", expected=9, edits={"brighten": LAB1_WRAPPING_BRIGHTEN}),
    # A wrong grayscale whose visible check was replaced by `pass`: nbgrader restores
    # the check (with its hidden tests), so the 2 points are lost all the same.
    Submission("replaced_check", expected=9,
               edits={"to-grayscale": LAB1_MEAN_GREY, "to-grayscale-check": "pass"}),
]
