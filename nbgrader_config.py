"""nbgrader's configuration for this course: `solutions/` is the source, `labs/` the
release, so `nbgrader generate_assignment <lab>` (run from this folder) writes labs/."""
import os

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "labs"
# Labs that train a model need more than nbgrader's 30 s for some cells; a cell that
# runs past this is stopped and scored as failed.
c.Execute.timeout = 180
# What an answer cell holds in labs/: a stub that says, when a check runs into it, that
# the exercise is not done (rather than a bare NotImplementedError).
c.ClearSolutions.code_stub = {
    "python": "# YOUR CODE HERE\n"
              'raise NotImplementedError("not done yet: replace this line with your answer to this exercise")',
}
