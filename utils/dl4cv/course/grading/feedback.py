"""Feedback HTML without the hidden tests: their regions are cut from the sources and
every output line that quotes one (a traceback of a failed hidden assert) is blanked."""
import functools
import re

from jinja2 import BytecodeCache
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor, Preprocessor
from nbgrader.preprocessors import GetGrades
from traitlets import Bool

HIDDEN_BEGIN, HIDDEN_END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
REDACTED = "[hidden test: not shown]"


class _MemoryBytecodeCache(BytecodeCache):
    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


# An <img> tag with no alt attribute, up to its name.
IMAGE_WITHOUT_ALT = re.compile(r"<img(?![^>]*\salt=)")
NO_IMAGE_DESCRIPTION = "No description has been provided for this image"


class _RememberedHighlight(Highlight2HTML):
    """nbconvert's code highlighter, which remembers the HTML of the last sources it
    highlighted: most of a lab's code cells (the given code, the checks) are the same in
    every submission, and highlighting them took a fifth of the feedback's time."""

    def __call__(self, source, language=None, metadata=None):
        options = tuple(sorted(self.extra_formatter_options.items()))
        try:
            hash(options)
        except TypeError:  # an option that cannot be a key: highlight afresh
            return super().__call__(source, language, metadata)
        magics = (metadata or {}).get("magics_language")
        return _highlighted(source, language or self.pygments_lexer, magics, options)


@functools.lru_cache(maxsize=1024)
def _highlighted(source, language, magics_language, options):
    highlight = Highlight2HTML(pygments_lexer=language, extra_formatter_options=dict(options))
    return highlight(source, language, {"magics_language": magics_language} if magics_language else None)


class FeedbackHTMLExporter(HTMLExporter):
    """nbconvert's HTMLExporter, made cheaper for one page per submission:

    - its compiled Jinja templates are kept for the whole worker process (nbgrader makes
      a new exporter for each submission, which would compile them again every time), and
      so is the highlighted HTML of the code cells it last rendered;
    - the page is not parsed again with BeautifulSoup after rendering.  That pass took a
      third of the feedback's time, and on nbgrader's (classic) feedback template it only
      gives images their placeholder alt text, which is added here as the page is made."""
    compiled_templates = _MemoryBytecodeCache()

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = self.compiled_templates
        return environment

    def from_notebook_node(self, nb, resources=None, **kw):
        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name"))
        resources = self._init_resources(resources)
        highlight = self.filters.get("highlight_code", _RememberedHighlight(pygments_lexer=lexer, parent=self))
        self.register_filter("highlight_code", highlight)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata,
                                                                       parent=self, resources=resources))
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return IMAGE_WITHOUT_ALT.sub(f'<img alt="{NO_IMAGE_DESCRIPTION}"', html), resources


class RedactHiddenTests(Preprocessor):
    """For feedback: remove hidden test regions from sources and blank every output line
    (tracebacks included) that quotes a hidden test line."""
    enabled = Bool(True)

    def preprocess(self, nb, resources):
        hidden = set()
        for cell in nb.cells:
            if cell.cell_type == "code" and HIDDEN_BEGIN in cell.source:
                cell.source, lines = split_hidden(cell.source)
                hidden.update(line.strip() for line in lines if len(line.strip()) >= 12)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                _redact_output(output, hidden)
        return nb, resources


# nbgrader's GenerateFeedback preprocessors, with the hidden tests redacted first.
FEEDBACK_PREPROCESSORS = (RedactHiddenTests, GetGrades, CSSHTMLHeaderPreprocessor)


def split_hidden(source):
    """(source without its hidden test regions, the hidden lines)."""
    kept, hidden, inside = [], [], False
    for line in source.splitlines():
        if HIDDEN_BEGIN in line:
            inside = True
            kept.append("# (hidden tests ran here)")
        elif HIDDEN_END in line:
            inside = False
        elif inside:
            hidden.append(line)
        else:
            kept.append(line)
    return "\n".join(kept), hidden


ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _redact_text(text, hidden):
    lines = text.split("\n")
    plain_lines = [ANSI_ESCAPE.sub("", line) for line in lines]  # once per line, not once per hidden line
    return "\n".join(REDACTED if any(h in plain for h in hidden) else line for line, plain in zip(lines, plain_lines))


def _redact_output(output, hidden):
    if not hidden:
        return
    if "text" in output:
        output["text"] = _redact_text(output["text"], hidden)
    if "traceback" in output:
        output["traceback"] = [_redact_text(frame, hidden) for frame in output["traceback"]]
    if "evalue" in output:
        output["evalue"] = _redact_text(output["evalue"], hidden)
    for key, value in output.get("data", {}).items():
        if key.startswith("text/") and isinstance(value, str):
            output["data"][key] = _redact_text(value, hidden)
