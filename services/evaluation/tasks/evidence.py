"""Evidence of key-task reports (文件, 批复, 纪要…): files and links, in the evaluation database."""

from policy import AttachmentColumns, BlobColumns, DatabaseBlobs, evidence_router
from services.evaluation.db import EvaluationTable
from services.evaluation.tasks import service
from services.evaluation.tasks.router import ReporterDep, TaskId
from shared import PrincipalDep, SessionDep
from shared.params import RowId


class ReportAttachment(EvaluationTable, AttachmentColumns, table=True):
    """A file or a link attached to a key-task report."""

    __tablename__ = "attachment"


class ReportBlob(EvaluationTable, BlobColumns, table=True):
    """The bytes of the reports' files, once per distinct content."""

    __tablename__ = "blob"


async def readable(
    session: SessionDep, principal: PrincipalDep, task_id: TaskId, report_id: RowId
) -> str:
    """The report, for those who may see it (its unit, the administrator, the supervision)."""
    await service.ensure_may_see_report(session, principal, task_id, report_id)
    return f"{task_id}/{report_id}"


async def writable(
    session: SessionDep, principal: ReporterDep, task_id: TaskId, report_id: RowId
) -> str:
    """The report, for its own unit and the administrator."""
    await service.ensure_may_attach(session, principal, task_id, report_id)
    return f"{task_id}/{report_id}"


router = evidence_router(
    "/api/v1/evaluation/tasks/{task_id}/reports/{report_id}/evidence",
    tag="evaluation",
    table=ReportAttachment,
    blobs=DatabaseBlobs(ReportBlob),
    readable=readable,
    writable=writable,
)
