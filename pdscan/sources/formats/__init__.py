"""The readers of file formats, one module each, used by ``sources.readers.read_stream``.

``sniff`` finds a stream's format; ``decoding`` turns bytes into lines or text chunks; ``blocks``
cuts lines and records into bounded blocks; ``text``, ``delimited`` (CSV/TSV), ``json_lines``,
``json_document`` and ``parquet`` read one format each. ``reading.Reading`` is the state of one
stream being read and the errors found on the way.
"""
