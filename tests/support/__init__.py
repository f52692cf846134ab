"""What the tests share: running and grading notebooks (``notebooks``) and fixture
submissions (``submissions``)."""
