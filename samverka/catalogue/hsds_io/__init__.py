"""Open Referral HSDS 3 datasets in and out: `samverka import-hsds PATH` and `samverka export-hsds DIR`.

Two formats, both read and written: the JSON of the API (services.json: a list of fully nested services, or an
API page/list/single object) and the tabular data package (datapackage.json with one CSV per HSDS table).
"""

from .export import export_dataset
from .importer import ImportReport, import_dataset
from .reader import Dataset, HsdsFileError, read_dataset

__all__ = ["Dataset", "HsdsFileError", "ImportReport", "export_dataset", "import_dataset", "read_dataset"]
