"""Scoring endpoints: journey, questionnaire, score runs, comparisons and tenant models.

Guards check the role can ever do the action; services check it in the project's workspace
(another tenant's or workspace's object is 404). Client viewers cannot read runs: SCORE_READ
is for owners and consultants.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, Response, get, post, put
from litestar.di import NamedDependency
from litestar.pagination import OffsetPagination
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_202_ACCEPTED

from cxsuite.access.permissions import Action
from cxsuite.access.principal import Principal
from cxsuite.api.guards import requires
from cxsuite.api.pagination import ListPage, list_params
from cxsuite.api.problems import errors
from cxsuite.db.session import Database
from cxsuite.jobs.idempotency import IdempotencyKeyHeader, once
from cxsuite.scoring import (
    journey,
    journey_evidence,
    journey_mapping,
    priorities,
    questionnaire,
    service,
    tenant_models,
    trend,
    value_inputs,
)
from cxsuite.scoring.jobs import start_score_job
from cxsuite.scoring.schemas import (
    AnswersIn,
    CompareOut,
    JourneyIn,
    JourneyOut,
    ModelIn,
    ModelOut,
    QuestionnaireOut,
    ScoreRunAccepted,
    ScoreRunOut,
    ScoreRunSummary,
)
from cxsuite.settings import Settings


class ProjectScoringController(Controller):
    """A project's journey, questionnaire and score runs."""

    path = "/projects/{project_id:uuid}"
    tags = ["scoring"]

    @get("/journey", guards=[requires(Action.PROJECT_READ)], responses=errors(401, 403, 404))
    async def get_journey(self, project_id: FromPath[UUID], db: NamedDependency[Database],
                          principal: NamedDependency[Principal]) -> JourneyOut:
        """The newest journey version (version 1, the model's seven stages, on first read)."""
        return (await journey.current(db, principal, project_id, Action.PROJECT_READ)).to_out()

    @put("/journey", guards=[requires(Action.JOURNEY_EDIT)],
         responses=errors(400, 401, 403, 404, 409, 422))
    async def put_journey(self, project_id: FromPath[UUID], data: JSONBody[JourneyIn],
                          db: NamedDependency[Database], principal: NamedDependency[Principal]) -> JourneyOut:
        """Store a new journey version over ``version`` (409 when someone saved a newer one)."""
        return (await journey.update(db, principal, project_id, data)).to_out()

    @get("/questionnaire", guards=[requires(Action.QUESTIONNAIRE_ANSWER)], responses=errors(401, 403, 404))
    async def get_questionnaire(self, project_id: FromPath[UUID], db: NamedDependency[Database],
                                principal: NamedDependency[Principal]) -> QuestionnaireOut:
        """The model's items for the journey's stages, with the current answers."""
        return await questionnaire.questionnaire(db, principal, project_id, Action.QUESTIONNAIRE_ANSWER)

    @put("/questionnaire/answers", guards=[requires(Action.QUESTIONNAIRE_ANSWER)],
         responses=errors(400, 401, 403, 404, 422))
    async def put_answers(self, project_id: FromPath[UUID], data: JSONBody[AnswersIn],
                          db: NamedDependency[Database],
                          principal: NamedDependency[Principal]) -> QuestionnaireOut:
        """Record a batch of answers (all or nothing); 422 names unknown items and stages."""
        return await questionnaire.record_answers(db, principal, project_id, data.answers)

    @get("/value-inputs", guards=[requires(Action.SCORE_READ)], responses=errors(401, 403, 404))
    async def get_value_inputs(self, project_id: FromPath[UUID], db: NamedDependency[Database],
                               principal: NamedDependency[Principal]) -> value_inputs.ValueInputsOut:
        """Business figures or judgements per stage, effort and confidence per recommendation,
        and where each stage's business value comes from (``estimate`` when nothing was set)."""
        return await value_inputs.get_inputs(db, principal, project_id)

    @put("/value-inputs", guards=[requires(Action.JOURNEY_EDIT)],
         responses=errors(400, 401, 403, 404, 409, 422))
    async def put_value_inputs(self, project_id: FromPath[UUID], data: JSONBody[value_inputs.ValueInputs],
                               db: NamedDependency[Database],
                               principal: NamedDependency[Principal]) -> value_inputs.ValueInputsOut:
        """Replace the value inputs; they apply to every run's priorities from now on."""
        return await value_inputs.put_inputs(db, principal, project_id, data)

    @get("/journey-mapping", guards=[requires(Action.PROJECT_READ)], responses=errors(401, 403, 404))
    async def get_journey_mapping(self, project_id: FromPath[UUID], db: NamedDependency[Database],
                                  principal: NamedDependency[Principal]) -> journey_mapping.JourneyMappingOut:
        """The consultant's rules attributing records to stages and touchpoints, and the
        defaults tried after them (a record's own journey stage wins over both)."""
        return await journey_mapping.get_mapping(db, principal, project_id)

    @put("/journey-mapping", guards=[requires(Action.JOURNEY_EDIT)],
         responses=errors(400, 401, 403, 404, 409, 422))
    async def put_journey_mapping(self, project_id: FromPath[UUID],
                                  data: JSONBody[journey_mapping.JourneyMapping],
                                  db: NamedDependency[Database],
                                  principal: NamedDependency[Principal]) -> journey_mapping.JourneyMappingOut:
        """Replace the rules; the next report and journey evidence use them."""
        return await journey_mapping.put_mapping(db, principal, project_id, data)

    @post("/score-runs", status_code=HTTP_202_ACCEPTED, guards=[requires(Action.SCORE_RUN)],
          responses=errors(401, 403, 404, 409, 422))
    async def start_run(self, project_id: FromPath[UUID], request: Request, db: NamedDependency[Database],
                        settings: NamedDependency[Settings], principal: NamedDependency[Principal],
                        idempotency_key: IdempotencyKeyHeader = None) -> Response[ScoreRunAccepted]:
        """Start a score run; the answer carries the run and its job (``Idempotency-Key``: once)."""
        async def start() -> Response[ScoreRunAccepted]:
            accepted = await start_score_job(db, request.app.state.queue, principal, project_id)
            return Response(accepted, status_code=HTTP_202_ACCEPTED)
        return await once(request, db, principal, idempotency_key, start)

    @get("/score-runs", guards=[requires(Action.SCORE_READ)], responses=errors(400, 401, 403, 404),
         dependencies={"page": list_params(service.RUN_LIST)})
    async def list_runs(self, project_id: FromPath[UUID], db: NamedDependency[Database],
                        principal: NamedDependency[Principal],
                        page: NamedDependency[ListPage]) -> OffsetPagination[ScoreRunSummary]:
        """The project's runs, newest first."""
        runs, total = await service.list_runs(db, principal, project_id, page.limit, page.offset,
                                              page.listing)
        return OffsetPagination(runs, page.limit, page.offset, total)


class ScoreRunController(Controller):
    """One score run and comparisons between runs."""

    path = "/score-runs"
    tags = ["scoring"]

    @get("/{run_id:uuid}", guards=[requires(Action.SCORE_READ)], responses=errors(401, 403, 404))
    async def get_run(self, run_id: FromPath[UUID], db: NamedDependency[Database],
                      principal: NamedDependency[Principal]) -> ScoreRunOut:
        """The run's grid (every cell with its evidence), dimensions, overall and opportunities."""
        return await service.get_run(db, principal, run_id)

    @get("/{run_id:uuid}/priorities", guards=[requires(Action.SCORE_READ)], responses=errors(401, 403, 404))
    async def get_priorities(self, run_id: FromPath[UUID], db: NamedDependency[Database],
                             principal: NamedDependency[Principal]) -> priorities.PrioritiesOut:
        """The run's actions in the one order the report and the CLI use, valued with the
        project's current value inputs, with the formula and tie-break."""
        return await priorities.run_priorities(db, principal, run_id)

    @get("/{run_id:uuid}/journey-evidence", guards=[requires(Action.SCORE_READ)],
         responses=errors(401, 403, 404))
    async def get_journey_evidence(self, run_id: FromPath[UUID], db: NamedDependency[Database],
                                   principal: NamedDependency[Principal]) -> journey_evidence.JourneyEvidence:
        """Per stage over the run's period: touchpoints, volume, CSAT and NPS, pain points."""
        return await journey_evidence.run_evidence(db, principal, run_id)

    @get("/{run_id:uuid}/compare/{other_run_id:uuid}", guards=[requires(Action.SCORE_READ)],
         responses=errors(401, 403, 404, 409))
    async def compare(self, run_id: FromPath[UUID], other_run_id: FromPath[UUID],
                      db: NamedDependency[Database], principal: NamedDependency[Principal]) -> CompareOut:
        """The trend from ``other_run_id`` (baseline) to ``run_id``."""
        return await trend.compare(db, principal, run_id, other_run_id)


class ScoringModelController(Controller):
    """Tenant scoring models derived from the shipped one."""

    path = "/scoring/models"
    tags = ["scoring"]

    @post("/", status_code=HTTP_201_CREATED, guards=[requires(Action.SCORE_RUN)],
          responses=errors(400, 401, 403, 409, 422))
    async def create_model(self, data: JSONBody[ModelIn], db: NamedDependency[Database],
                           principal: NamedDependency[Principal]) -> ModelOut:
        """Derive a model from overrides (owners and consultants)."""
        return await tenant_models.create_model(db, principal, data.name, data.overrides)

    @get("/", guards=[requires(Action.SCORE_READ)], responses=errors(400, 401, 403),
         dependencies={"page": list_params(tenant_models.LIST)})
    async def list_models(self, db: NamedDependency[Database], principal: NamedDependency[Principal],
                          page: NamedDependency[ListPage]) -> OffsetPagination[ModelOut]:
        """The tenant's models, newest first."""
        models, total = await tenant_models.list_models(db, principal, page.limit, page.offset,
                                                        page.listing)
        return OffsetPagination(models, page.limit, page.offset, total)
