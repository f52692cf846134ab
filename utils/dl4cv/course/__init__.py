"""Instructor tools: ``release`` builds the student labs from the solutions, ``grading``
grades submissions.  No lab imports this package; it needs the ``lab`` extra
(``pip install "dl4cv-labs[lab]"``: nbgrader and JupyterLab)."""
