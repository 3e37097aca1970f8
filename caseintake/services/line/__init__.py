"""This line and the lines it knows (issue 24): its identity, keys and public card
(``identity``), partner lines' cards pinned in the directory (``cards``) and their drop
folders (``drop_folders``)."""

from caseintake.services import public_surface

_NAMES = {
    "LineIdentity": "identity",
    "LineInfo": "identity",
    "LineService": "identity",
    "LineDirectoryService": "cards",
    "PartnerCard": "cards",
    "read_card_file": "cards",
    "DropFolder": "drop_folders",
    "DropFolderService": "drop_folders",
    "DirectoryExchange": "hsds",
    "HsdsImport": "hsds",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = public_surface(__name__, _NAMES)
