"""Reading the AIID snapshot CSVs: rows with their line numbers, and typed cells.

Every problem is an :class:`~graph.errors.InputError` naming the file, the line
where the offending record starts, and the column.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = path.write_text('a,b\\n1,"two\\nlines"\\n3,x\\n', encoding="utf-8")
>>> [(row.line, row["a"]) for row in read_rows(path, ("a", "b"))]
[(2, '1'), (4, '3')]
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.errors import InputError


@dataclass(frozen=True)
class Row:
    """One CSV record: the line it starts on and its cells by column name.

    When a header repeats a column name (CSETv1 has two ``AI System`` columns),
    the first column of that name wins.
    """

    file: str
    line: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells[column]

    def error(self, detail: str, column: str) -> InputError:
        """An :class:`InputError` pointing at this row and ``column``."""
        return InputError(detail, file=self.file, line=self.line, field=column)

    def integer(self, column: str) -> int:
        """The cell as an integer.

        >>> Row("f.csv", 3, {"n": "12"}).integer("n")
        12
        >>> Row("f.csv", 3, {"n": "x"}).integer("n")
        Traceback (most recent call last):
        graph.errors.InputError: f.csv:3 [n]: expected an integer, got 'x'
        """
        text = self.cells[column].strip()
        try:
            return int(text)
        except ValueError:
            raise self.error(f"expected an integer, got {text!r}", column) from None

    def date(self, column: str) -> dt.date:
        """The cell as an ISO 8601 date (``YYYY-MM-DD``).

        >>> Row("f.csv", 3, {"d": "2015-05-19"}).date("d")
        datetime.date(2015, 5, 19)
        """
        text = self.cells[column].strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise self.error(f"expected a date YYYY-MM-DD, got {text!r}", column) from None

    def text(self, column: str) -> str:
        """The cell, stripped; an empty cell is an error."""
        text = self.cells[column].strip()
        if not text:
            raise self.error("empty value", column)
        return text

    def slug_list(self, column: str) -> list[str]:
        """The cell as a JSON list of entity slugs, e.g. ``["youtube","google"]``.

        >>> Row("f.csv", 3, {"c": '["a", "b"]'}).slug_list("c")
        ['a', 'b']
        >>> Row("f.csv", 3, {"c": "[a"}).slug_list("c")
        Traceback (most recent call last):
        graph.errors.InputError: f.csv:3 [c]: expected a JSON list of strings, got '[a'
        """
        text = self.cells[column].strip()
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(f"expected a JSON list of strings, got {text[:60]!r}", column)
        return [v.strip() for v in value if v.strip()]


def read_rows(path: Path, required: Sequence[str]) -> Iterator[Row]:
    """Yield the records of a CSV file with a header row.

    Quoted fields may span lines; ``Row.line`` is the line a record starts on
    (the header is line 1). Blank lines are skipped.

    Raises:
        InputError: the file is missing, or the header lacks a ``required`` column.
    """
    name = str(path)
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=name) from None
    with handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader)
            missing = [c for c in required if c not in header]
            if missing:
                raise InputError(
                    f"missing column {missing[0]!r}", file=name, line=1, field=missing[0]
                )
            index: dict[str, int] = {}
            for i, column in enumerate(header):
                index.setdefault(column, i)
            start = reader.line_num + 1
            for record in reader:
                line, start = start, reader.line_num + 1
                if not any(record):
                    continue
                cells = {c: (record[i] if i < len(record) else "") for c, i in index.items()}
                yield Row(name, line, cells)
        except StopIteration:
            raise InputError("empty file, expected a header row", file=name, line=1) from None
        except csv.Error as exc:
            raise InputError(f"malformed CSV: {exc}", file=name, line=reader.line_num) from None
