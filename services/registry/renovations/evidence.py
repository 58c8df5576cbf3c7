"""Evidence of renovations (验收材料, 照片…): files and links, in the registry database."""

from policy import AttachmentColumns, BlobColumns, DatabaseBlobs, evidence_router
from services.registry.db import RegistryTable
from services.registry.renovations import service
from shared import PrincipalDep, SessionDep, WriterDep
from shared.params import TextId


class RenovationAttachment(RegistryTable, AttachmentColumns, table=True):
    """A file or a link attached to a renovation."""

    __tablename__ = "attachment"


class RenovationBlob(RegistryTable, BlobColumns, table=True):
    """The bytes of the renovations' files, once per distinct content."""

    __tablename__ = "blob"


async def readable(session: SessionDep, principal: PrincipalDep, renovation_id: TextId) -> str:
    """The renovation, for those who may read its building's district."""
    await service.read(session, principal, renovation_id)
    return renovation_id


async def writable(session: SessionDep, principal: WriterDep, renovation_id: TextId) -> str:
    """The renovation, for those who may change it (its district, the administrator)."""
    await service.ensure_may_change(session, principal, renovation_id)
    return renovation_id


router = evidence_router(
    "/api/v1/renovations/{renovation_id}/evidence",
    tag="renovations",
    table=RenovationAttachment,
    blobs=DatabaseBlobs(RenovationBlob),
    readable=readable,
    writable=writable,
)
