"""The national procedure database (Cơ sở dữ liệu quốc gia về TTHC) in the catalog.

The National Public Service Portal publishes every procedure: a list of all of them and
a full record for each. This package reads that record format and keeps it in the
database, reporting what changed at each import so that staff can review a new export
before it goes live:

- `export`: read a portal export (a folder as the portal serves it, or the compact
  snapshot this project ships in `data/`) and pack a folder into a snapshot
- `records`: check each record and pick the fields the assistant relies on
- `models`: the tables (`national_procedure`, `national_import`)
- `importer`: the all-or-nothing import and its change report
"""
