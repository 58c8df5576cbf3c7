"""Publishing a year's assessment freezes it; today's figures can be compared with it."""

from __future__ import annotations

import orjson
from sqlmodel.ext.asyncio.session import AsyncSession

from services.evaluation.bluebook import service as bluebook
from services.evaluation.bluebook.peers import Peers
from services.evaluation.metrics import timed
from services.evaluation.publications import repository
from services.evaluation.publications.models import Publication, PublicationPreface
from services.evaluation.publications.schemas import (
    DistrictChange,
    IndicatorChange,
    PrefacePublic,
    PrefaceWrite,
    PublicationCreate,
    PublicationDiff,
    PublicationPublic,
    PublicationSummary,
)
from services.evaluation.scoring import formula
from services.evaluation.scoring import service as scoring
from services.evaluation.scoring.schemas import SchemeDefinition, ScoreBoard
from shared import NotFound, Principal, utcnow


def _summary(p: Publication) -> PublicationSummary:
    return PublicationSummary(
        id=p.id or 0,
        year=p.year,
        scheme=p.scheme_id,
        targets_version=p.targets_version,
        inputs_digest=p.inputs_digest,
        published_by=p.published_by,
        published_at=p.published_at,
    )


def _public(p: Publication, principal: Principal) -> PublicationPublic:
    frozen = orjson.loads(p.snapshot)
    scores = scoring.visible_to(principal, ScoreBoard.model_validate(frozen["scores"]))
    return PublicationPublic(
        **_summary(p).model_dump(),
        scheme_definition=SchemeDefinition.model_validate(frozen["scheme"]),
        scores=scores,
    )


async def publish(
    session: AsyncSession, principal: Principal, data: PublicationCreate, peers: Peers
) -> PublicationPublic:
    """Freeze the year's assessment: scheme, target version, inputs digest, every figure, and
    the blue book made from them (with the registry's and monitoring's figures of the day)."""
    with timed("publish"):
        scheme = await scoring.load_scheme(session, data.scheme)
        version, inputs = await scoring.gather(session, data.year, scheme)
        board = scoring.board(data.year, scheme, formula.score(scheme, inputs), inputs)
        book = await bluebook.assemble(session, board, await peers.figures(data.year))
    snapshot = {
        "scheme": scoring.definition_of(scheme).model_dump(mode="json"),
        "scores": board.model_dump(mode="json"),
        "bluebook": book.model_dump(mode="json"),
    }
    publication = await repository.add(
        session,
        Publication(
            year=data.year,
            scheme_id=scheme.id,
            targets_version=version,
            inputs_digest=scoring.inputs_digest(data.year, version, inputs),
            snapshot=orjson.dumps(snapshot).decode(),
            published_by=principal.name,
        ),
    )
    return _public(publication, principal)


async def _existing(session: AsyncSession, publication_id: int) -> Publication:
    publication = await repository.get(session, publication_id)
    if publication is None:
        raise NotFound(f"No publication {publication_id}.")
    return publication


async def read(
    session: AsyncSession, principal: Principal, publication_id: int
) -> PublicationPublic:
    return _public(await _existing(session, publication_id), principal)


async def list_all(session: AsyncSession, year: int | None) -> list[PublicationSummary]:
    publications = await repository.of_year(session, year)
    with_preface = await repository.with_preface(session, [p.id or 0 for p in publications])
    summaries = [_summary(p) for p in publications]
    for summary in summaries:
        summary.has_preface = summary.id in with_preface
    return summaries


async def diff(session: AsyncSession, principal: Principal, publication_id: int) -> PublicationDiff:
    """What moved between the publication and today's figures (same scheme, today's targets)."""
    publication = await _existing(session, publication_id)
    published = _public(publication, principal).scores
    scheme = scoring.scheme_from_definition(
        SchemeDefinition.model_validate(orjson.loads(publication.snapshot)["scheme"])
    )
    version, inputs = await scoring.gather(session, publication.year, scheme)
    current = scoring.visible_to(
        principal, scoring.board(publication.year, scheme, formula.score(scheme, inputs), inputs)
    )
    now = {d.district_id: d for d in current.districts}
    changes = []
    for before in published.districts:
        after = now[before.district_id]
        moved = [
            IndicatorChange(key=b.key, published=b.actual, current=a.actual)
            for b, a in zip(before.indicators, after.indicators, strict=True)
            if b.actual != a.actual
        ]
        if moved or before.total != after.total or before.rank != after.rank:
            changes.append(
                DistrictChange(
                    district_id=before.district_id,
                    published_total=before.total,
                    current_total=after.total,
                    published_rank=before.rank,
                    current_rank=after.rank,
                    indicators=moved,
                )
            )
    digest = scoring.inputs_digest(publication.year, version, inputs)
    return PublicationDiff(
        publication_id=publication.id or 0,
        year=publication.year,
        inputs_changed=digest != publication.inputs_digest,
        current_digest=digest,
        districts=changes,
    )


def _preface(p: PublicationPreface) -> PrefacePublic:
    return PrefacePublic.model_validate(p, from_attributes=True)


async def read_preface(session: AsyncSession, publication_id: int) -> PrefacePublic:
    await _existing(session, publication_id)
    preface = await repository.preface(session, publication_id)
    if preface is None:
        raise NotFound(f"Publication {publication_id} has no preface yet.")
    return _preface(preface)


async def write_preface(
    session: AsyncSession, principal: Principal, publication_id: int, data: PrefaceWrite
) -> PrefacePublic:
    """The preface is the administrator's words; the figures stay as published."""
    await _existing(session, publication_id)
    preface = await repository.save_preface(
        session,
        PublicationPreface(
            publication_id=publication_id,
            markdown=data.markdown,
            updated_by=principal.name,
            updated_at=utcnow(),
        ),
    )
    return _preface(preface)
