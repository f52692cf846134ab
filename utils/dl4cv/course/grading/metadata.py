"""nbgrader's cell-metadata validation, with its schema checked once per process.

nbgrader 0.9 validates each cell's metadata with ``jsonschema.validate(metadata, schema)``,
and that function first checks the schema itself against JSON Schema's meta-schema, for
every cell: for one Lab 4 submission (three passes over 59 cells) that check was 0.35 s of
the 0.4 s nbgrader spent validating.  ``check_schema_once()`` hands nbgrader's validator a
``jsonschema`` whose ``validate`` checks each schema once and keeps its validator; every
cell is still validated, and a bad one raises jsonschema's own error, as before.
"""
import json
import types

import jsonschema


class _SchemaCheckedOnce(types.ModuleType):
    """``jsonschema`` itself, but for ``validate``."""

    def __init__(self):
        super().__init__("jsonschema")
        self.validators = {}

    def __getattr__(self, name):
        return getattr(jsonschema, name)

    def validate(self, instance, schema):
        # nbgrader reads its schema afresh for every notebook: key by content, not identity.
        key = json.dumps(schema, sort_keys=True)
        if key not in self.validators:
            validator_class = jsonschema.validators.validator_for(schema)
            validator_class.check_schema(schema)
            self.validators[key] = validator_class(schema)
        error = jsonschema.exceptions.best_match(self.validators[key].iter_errors(instance))
        if error is not None:
            raise error


def check_schema_once():
    """Make nbgrader's metadata validator, in this process, check its schema only once."""
    from nbgrader.nbgraderformat import common

    if not isinstance(common.jsonschema, _SchemaCheckedOnce):
        common.jsonschema = _SchemaCheckedOnce()
