"""Tests of the instructor tools (dl4cv.course): releasing and grading."""
