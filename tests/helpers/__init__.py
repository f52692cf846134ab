"""Tests of the helper package that students install (dl4cv)."""
