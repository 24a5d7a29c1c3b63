"""Text the API accepts: the same refusal of control characters and hidden direction marks as every
form (`kopdes.core.text.refuse_control_characters`), for the JSON API, which does not go through Django forms.

Every `str` the API takes (path, query or body) is annotated with `OneLine` (names, codes, identifiers: TAB, LF and
CR refused too) or `MultiLine` (free text: TAB, LF and CR kept). A refused value answers 422 before the operation
runs, so nothing is read or written; the error names the field (`loc`, and the Indonesian `msg`):
    {"detail": [{"type": "control_characters", "loc": ["path", "code"], "msg": "Isian “code”: Hapus karakter ..."}]}
The schema of such a field carries `"x-control-characters": "refused"`; `kopdes/api/tests/test_api_text.py` walks
the OpenAPI document and fails on a text input without it.
"""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field, ValidationInfo
from pydantic_core import PydanticCustomError

from kopdes.core.text import refuse_control_characters

MARK = "x-control-characters"


def _checker(*, multiline: bool):
    def check(value: str, info: ValidationInfo) -> str:
        try:
            refuse_control_characters(value, multiline=multiline)
        except ValidationError as error:
            message = _("The field “%(field)s”: %(problem)s") % {
                "field": info.field_name or "",
                "problem": error.messages[0],
            }
            raise PydanticCustomError("control_characters", "{message}", {"message": message}) from None
        return value

    return check


OneLine = Annotated[str, AfterValidator(_checker(multiline=False)), Field(json_schema_extra={MARK: "refused"})]
MultiLine = Annotated[str, AfterValidator(_checker(multiline=True)), Field(json_schema_extra={MARK: "refused"})]
