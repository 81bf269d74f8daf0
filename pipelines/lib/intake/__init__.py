"""Intake: read delivered files, type them, find every problem, quarantine or archive them.

Typical use, per file in the inbox::

    parsed = parse_file(path, today)
    problems = parsed.problems
    if parsed.ok and parsed.kind is not None:
        for table, frame in parsed.tables.items():
            problems += validate_frame(parsed.kind.name, frame, parsed.name)
    if problems:
        quarantine(path, problems, home / "quarantine")
    else:
        sha256, archived = archive(path, home / "archive")

Importing this package does not import great-expectations (seconds); `validate_frame` does, on
first use.
"""

from .amounts import (
    BELOPP_DTYPE,
    belopp_expr,
    integer_expr,
    number_expr,
    parse_belopp,
    parse_number,
)
from .decoding import DecodingError, decode_bytes, sniff_delimiter
from .expectations import validate_frame
from .kinds import (
    KINDS,
    KINDS_BY_NAME,
    KNOWN_PREFIXES,
    FileKind,
    Reader,
    kind_for,
    register_reader,
    supported_suffixes,
)
from .parse import ParsedFile, parse_file, parse_files, type_table
from .personnummer import PERSONNUMMER_PATTERN, looks_like_personnummer, mask_personnummer
from .problems import IntakeError, Problem, format_problems
from .quarantine import archive, fel_path, quarantine, sha256_file
from .readers import SOURCE_ROW, cell_text, normalise_header, read_table

__all__ = [
    "BELOPP_DTYPE",
    "KINDS",
    "KINDS_BY_NAME",
    "KNOWN_PREFIXES",
    "PERSONNUMMER_PATTERN",
    "SOURCE_ROW",
    "DecodingError",
    "FileKind",
    "IntakeError",
    "ParsedFile",
    "Problem",
    "Reader",
    "archive",
    "belopp_expr",
    "cell_text",
    "decode_bytes",
    "fel_path",
    "format_problems",
    "integer_expr",
    "kind_for",
    "looks_like_personnummer",
    "mask_personnummer",
    "normalise_header",
    "number_expr",
    "parse_belopp",
    "parse_file",
    "parse_files",
    "parse_number",
    "quarantine",
    "read_table",
    "register_reader",
    "sha256_file",
    "sniff_delimiter",
    "supported_suffixes",
    "type_table",
    "validate_frame",
]
