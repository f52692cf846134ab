"""Helpers for the Deep Learning for Computer Vision labs.

Importing this package is cheap: TensorFlow and Keras are imported only inside the
functions that need them.  Students can read every line here, so nothing in this
package solves a graded exercise.
"""
import os
import warnings

# TensorFlow prints start-up lines to stderr from C++ unless both of these are set
# before it is first imported, and nbgrader scores a test cell 0 when it writes to
# stderr.  The labs import this package first, so graded runs are quiet by design.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
# On Keras' JAX backend, without 64-bit mode, Keras' metrics ask JAX for int64 counts
# and JAX warns (on stderr) that it uses int32: harmless for counts of pixels in a lab,
# and a warning in a graded cell would cost the student the cell.
warnings.filterwarnings("ignore", message=r"Explicitly requested dtype .* is not available")

__version__ = "0.1.0"
