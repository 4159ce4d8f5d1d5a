"""`flask demo load`: a believable Department of Health to try the system with."""

from flask.cli import AppGroup

cli = AppGroup("demo", help="Dữ liệu mẫu.")
