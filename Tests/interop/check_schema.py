#!/usr/bin/env python3
"""check_schema.py SCHEMA FILE.json... -- every record in the files is valid under the schema
(JSON Schema 2020-12, with format checks). The records are the project's examples: they must stay
inside the shared input contract, so any other tool that reads it can read them."""
import json
import sys

import jsonschema


def main(schema_path, paths):
    schema = json.load(open(schema_path, encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    problems = total = 0
    for path in paths:
        data = json.load(open(path, encoding="utf-8"))
        for i, record in enumerate(data if isinstance(data, list) else [data], 1):
            total += 1
            for error in validator.iter_errors(record):
                problems += 1
                where = "/".join(str(p) for p in error.absolute_path)
                print(f"{path}: record {i} ({record.get('id')}): {where}: {error.message}")
    print(f"check_schema: {total} records, {problems} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
