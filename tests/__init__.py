"""The course's tests, one folder per part: ``helpers`` (the dl4cv package students
install), ``labs`` (every notebook end to end) and ``course`` (the instructor tools);
``support`` is their shared code and ``submissions`` the fixture submissions per lab."""
