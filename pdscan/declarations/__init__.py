"""Declarations: what personal data each source holds and why, checked against findings and the policies.

The declaration file (``pdscan.yaml`` in the working directory, or ``--declarations PATH``) is YAML,
validated against ``schema.json`` (shipped beside this module); FORMAT.md beside it is the full
description (pasted into the README). In short::

    version: 1                                # required; the only version is 1
    sources:
      - name: nginx access logs               # required, unique: names the source in every verdict
        note: "front proxies, rotated daily"  # optional
        paths: ["logs/nginx/*.log*"]          # files: globs on the file path
        categories:                           # categories found anywhere in these files
          ip_address:
            purposes: [operation_logs, security_anti_fraud]   # purpose ids from the catalog
            legal_basis: legitimate_interests # contract | consent | legitimate_interests | legal_obligation
            retention: 90d                    # how long it is kept: <number>d|w|m|y (a month is 30 days, a year 365)
            note: "abuse investigations"      # optional free text
        fields:                               # categories of one field only (a log key here)
          user:
            user_id: {purposes: [operation_logs], legal_basis: legitimate_interests, retention: 90d}

      - name: users table
        database: "sqlite:///*app.db"         # databases: a glob on the database URL (password redacted) or SQLite path
        tables: [users, "public.customer*"]   # globs on the table (schema.table or table)
        fields:                               # column, JSON key path, CSV header or log key -> categories
          email:
            email:
              purposes: [account_creation]
              legal_basis: contract
              retention: 3y
              age_column: created_at          # optional: a date/timestamp column giving each row's age
          "payload.$.device.imei":            # a key path inside a JSON column
            imei: {purposes: [security_anti_fraud], legal_basis: legitimate_interests, retention: 180d}
          "*phone*":                          # field names may be globs
            phone:                            # declared, no purpose yet: verdict no_purpose

- ``paths``: globs on file paths (``*``/``?`` within a component, ``**`` across; relative patterns match
  the last components of the path; a directory covers the files below it).
- ``database``: glob on the redacted database URL or SQLite path (``*`` matches anything);
  ``tables``: globs on ``schema.table`` or ``table`` (case-insensitive).
- ``fields``: field name or glob (column, JSON key path ``$.a.b``, CSV header, log key) -> categories;
  ``categories``: categories anywhere in the source (free text included).
- per category: ``purposes`` (catalog ids), ``legal_basis`` (contract, consent,
  legitimate_interests, legal_obligation; required with purposes), ``retention`` (``90d``, ``6w``,
  ``18m``, ``3y``), ``note``, ``age_column`` (database tables named without globs).

Verdicts, by precedence: the order of ``models.VerdictKind``. Exit status precedence: 2 (usage) > 1 (failing findings) >
3 (incomplete scan) > 0.

Modules: ``loader`` (load_declarations, DeclarationError), ``model`` (records, matching),
``verdicts`` (judge), ``gate`` (exit_code), ``baseline`` (keyed-hash suppressions),
``init_draft`` (render_draft), ``fides`` (export_fides).
"""
