"""Exports: records in, bytes out. One module a format: ics (calendar),
spreadsheet (CSV), fhir (FHIR R4 JSON), pdf (the doctor's report) and
archive (everything as a zip, and back)."""
