"""ChamberDesk (商会台账): the ledger, standards and reports of a county federation of industry and commerce."""

__version__ = "0.1.0"
APP_NAME = "ChamberDesk"
APP_TITLE = "商会台账"
