"""Small data files the labs read, shipped inside the package (read them through
``dl4cv.data``; ``data/make_data.py`` in the repository rebuilds them)."""
