"""dl4cv.course.grading.metadata: nbgrader's metadata validation, its schema checked once."""
import copy

import jsonschema
import nbformat
import pytest
from nbgrader.nbgraderformat import MetadataValidator, common

from dl4cv.course.grading.metadata import check_schema_once
from tests.support.notebooks import solution_path


@pytest.fixture
def checked_once(monkeypatch):
    """check_schema_once() in effect, afresh, for one test; as it was again after it."""
    monkeypatch.setattr(common, "jsonschema", jsonschema)
    check_schema_once()
    checks = []
    schema_class = jsonschema.validators.validator_for(MetadataValidator().schema)
    original = schema_class.check_schema
    monkeypatch.setattr(schema_class, "check_schema", classmethod(
        lambda cls, schema, **kw: checks.append(1) or original.__func__(cls, schema, **kw)))
    return checks


def test_every_cell_is_validated_and_the_schema_checked_once(checked_once):
    notebook = nbformat.read(solution_path("lab4_mnist_cnn"), as_version=4)
    graded = [cell for cell in notebook.cells if "nbgrader" in cell.metadata]
    for _ in range(3):
        MetadataValidator().validate_nb(notebook)
    assert len(graded) > 20 and len(checked_once) == 1


@pytest.mark.parametrize("key, value", [("points", "two"), ("grade", "yes"), ("grade_id", 7)])
def test_bad_metadata_fails_with_jsonschemas_own_error(monkeypatch, key, value):
    monkeypatch.setattr(common, "jsonschema", jsonschema)
    notebook = nbformat.read(solution_path("lab4_mnist_cnn"), as_version=4)
    cell = copy.deepcopy(next(cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")))
    cell.metadata["nbgrader"][key] = value
    with pytest.raises(jsonschema.ValidationError) as nbgraders:
        MetadataValidator().validate_cell(cell)
    check_schema_once()
    with pytest.raises(jsonschema.ValidationError) as ours:
        MetadataValidator().validate_cell(cell)
    assert str(ours.value) == str(nbgraders.value)
