"""Field types of the HTTP API's input schemas (接口输入类型), shared by every app's API.

pydantic's lax mode turns JSON `true` into the integer 1 and `1` into `True`: a client that
sent `"item_id": true` created a case for item 1. These types keep lax parsing of query and
form strings (`?page=2`, `?joint=true` arrive as text) but refuse a JSON boolean where an
integer is expected, and a JSON number where a boolean is expected. Every integer is
bounded, so that no value reaches the database or an offset beyond a 64-bit column.

`tests/api/test_api_types.py` walks every operation of the API and sends each integer and
boolean field the wrong kind of JSON value: a new schema with a plain `int` fails it.
"""

from __future__ import annotations

from typing import Annotated, Any

from annotated_types import Ge, Le
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

#: The largest value of a signed 64-bit database column (BigAutoField, BigIntegerField).
MAX_DB_INT = 2**63 - 1


def _not_a_boolean(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be an integer, not a boolean")
    return value


def _not_a_number(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise PydanticCustomError("bool_type", "Input should be a boolean, not a number")
    return value


#: An integer that is not a boolean (bounds are the caller's: use `Field(ge=, le=)`).
Int = Annotated[int, BeforeValidator(_not_a_boolean)]
#: A database id: positive, inside a 64-bit column, never a boolean.
Id = Annotated[int, Ge(1), Le(MAX_DB_INT), BeforeValidator(_not_a_boolean)]
#: A boolean that is not a number (query strings "true"/"false" are still read).
Bool = Annotated[bool, BeforeValidator(_not_a_number)]
