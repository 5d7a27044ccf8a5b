"""In-memory implementations of the service-layer ports, for the unit tier.

The unit of work copies the store on entry and publishes the copy only on commit, so a use case
that forgets to commit (or fails half-way) is caught by the unit tests, as it would be on
PostgreSQL. Redis-backed ports are not faked here: the unit tier runs the real Redis adapters on
`fakeredis` (see `make_world`).
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from types import TracebackType

from fakeredis import FakeAsyncRedis

from jobpipe.adapters.redis_concurrency_limiter import RedisConcurrencyLimiter
from jobpipe.adapters.redis_job_queue import RedisJobQueue
from jobpipe.adapters.redis_keys import KeySpace
from jobpipe.adapters.redis_usage_counter import RedisUsageCounter
from jobpipe.domain.artifacts import Artifact, ArtifactDraft
from jobpipe.domain.feature_flags import FeatureFlags
from jobpipe.domain.jobs import Job, JobState
from jobpipe.domain.projects import Project
from jobpipe.domain.usage_policy import Plan
from jobpipe.domain.users import User, hash_api_key
from jobpipe.service_layer.ports import JobFailed, Ports


@dataclass
class InMemoryStore:
    users: dict[uuid.UUID, User] = field(default_factory=dict)
    projects: dict[uuid.UUID, Project] = field(default_factory=dict)
    jobs: dict[uuid.UUID, Job] = field(default_factory=dict)
    artifacts: dict[uuid.UUID, Artifact] = field(default_factory=dict)
    commits: int = 0


class InMemoryUserRepository:
    def __init__(self, users: dict[uuid.UUID, User]) -> None:
        self.users = users

    async def add(self, user: User) -> None:
        if any(
            u.name == user.name or u.api_key_hash == user.api_key_hash for u in self.users.values()
        ):
            raise ValueError(f"duplicate user {user.name!r}")
        self.users[user.id] = copy.deepcopy(user)

    async def get(self, user_id: uuid.UUID) -> User | None:
        return copy.deepcopy(self.users.get(user_id))

    async def get_by_api_key_hash(self, api_key_hash: str) -> User | None:
        found = [u for u in self.users.values() if u.api_key_hash == api_key_hash]
        return copy.deepcopy(found[0]) if found else None


class InMemoryProjectRepository:
    def __init__(self, projects: dict[uuid.UUID, Project]) -> None:
        self.projects = projects

    async def add(self, project: Project) -> None:
        self.projects[project.id] = copy.deepcopy(project)

    async def get(self, owner_id: uuid.UUID, project_id: uuid.UUID) -> Project | None:
        project = self.projects.get(project_id)
        return copy.deepcopy(project) if project and project.owner_id == owner_id else None

    async def get_by_name(self, owner_id: uuid.UUID, name: str) -> Project | None:
        for project in self.projects.values():
            if project.owner_id == owner_id and project.name == name:
                return copy.deepcopy(project)
        return None

    async def list_for_owner(self, owner_id: uuid.UUID) -> list[Project]:
        owned = [p for p in self.projects.values() if p.owner_id == owner_id]
        return copy.deepcopy(sorted(owned, key=lambda p: (p.created_at, str(p.id))))

    async def update(self, project: Project) -> None:
        self.projects[project.id] = copy.deepcopy(project)


class InMemoryJobRepository:
    def __init__(self, jobs: dict[uuid.UUID, Job] | None = None) -> None:
        self.jobs = {} if jobs is None else jobs

    async def add(self, job: Job) -> None:
        self.jobs[job.id] = copy.deepcopy(job)

    async def get(self, job_id: uuid.UUID, *, for_update: bool = False) -> Job | None:
        return copy.deepcopy(self.jobs.get(job_id))

    async def get_for_owner(self, owner_id: uuid.UUID, job_id: uuid.UUID) -> Job | None:
        job = self.jobs.get(job_id)
        return copy.deepcopy(job) if job and job.owner_id == owner_id else None

    async def list_for_project(self, owner_id: uuid.UUID, project_id: uuid.UUID) -> list[Job]:
        found = [
            j for j in self.jobs.values() if j.owner_id == owner_id and j.project_id == project_id
        ]
        return copy.deepcopy(sorted(found, key=lambda j: (j.created_at, str(j.id))))

    async def update(self, job: Job) -> None:
        self.jobs[job.id] = copy.deepcopy(job)

    async def count_by_state(
        self, owner_id: uuid.UUID, project_id: uuid.UUID | None = None
    ) -> dict[JobState, int]:
        counts: dict[JobState, int] = {}
        for job in self.jobs.values():
            if job.owner_id == owner_id and project_id in (None, job.project_id):
                counts[job.state] = counts.get(job.state, 0) + 1
        return counts

    async def recent_durations(self, limit: int) -> list[float]:
        done = [
            j
            for j in self.jobs.values()
            if j.state is JobState.SUCCEEDED and j.duration_seconds is not None
        ]
        done.sort(key=lambda j: j.finished_at, reverse=True)  # type: ignore[arg-type, return-value]
        return [j.duration_seconds for j in done[:limit]]  # type: ignore[misc]


class InMemoryArtifactRepository:
    def __init__(self, artifacts: dict[uuid.UUID, Artifact]) -> None:
        self.artifacts = artifacts

    async def add(self, artifact: Artifact) -> None:
        if any(
            a.job_id == artifact.job_id and a.name == artifact.name for a in self.artifacts.values()
        ):
            raise ValueError(f"job {artifact.job_id} already has an artifact {artifact.name!r}")
        self.artifacts[artifact.id] = artifact

    async def get_for_owner(self, owner_id: uuid.UUID, artifact_id: uuid.UUID) -> Artifact | None:
        artifact = self.artifacts.get(artifact_id)
        return artifact if artifact and artifact.owner_id == owner_id else None

    async def list_for_project(self, owner_id: uuid.UUID, project_id: uuid.UUID) -> list[Artifact]:
        found = [
            a
            for a in self.artifacts.values()
            if a.owner_id == owner_id and a.project_id == project_id
        ]
        return sorted(found, key=lambda a: (a.name, str(a.id)))

    async def list_for_job(self, owner_id: uuid.UUID, job_id: uuid.UUID) -> list[Artifact]:
        found = [
            a for a in self.artifacts.values() if a.owner_id == owner_id and a.job_id == job_id
        ]
        return sorted(found, key=lambda a: (a.name, str(a.id)))


class InMemoryUnitOfWork:
    def __init__(self, store: InMemoryStore) -> None:
        self.store = store

    async def __aenter__(self) -> InMemoryUnitOfWork:
        self._working = copy.deepcopy(self.store)
        self.users = InMemoryUserRepository(self._working.users)
        self.projects = InMemoryProjectRepository(self._working.projects)
        self.jobs = InMemoryJobRepository(self._working.jobs)
        self.artifacts = InMemoryArtifactRepository(self._working.artifacts)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        del self._working

    async def commit(self) -> None:
        self.store.users = copy.deepcopy(self._working.users)
        self.store.projects = copy.deepcopy(self._working.projects)
        self.store.jobs = copy.deepcopy(self._working.jobs)
        self.store.artifacts = copy.deepcopy(self._working.artifacts)
        self.store.commits += 1

    async def rollback(self) -> None:
        self._working = copy.deepcopy(self.store)


class FakeRunner:
    """Returns fixed drafts (or raises `JobFailed`) and records what it was asked to run."""

    def __init__(
        self, drafts: list[ArtifactDraft] | None = None, fail_with: str | None = None
    ) -> None:
        self.drafts = (
            drafts if drafts is not None else [ArtifactDraft("out.txt", "text/plain", "built")]
        )
        self.fail_with = fail_with
        self.calls: list[tuple[uuid.UUID, int]] = []
        self.before_return = None  # optional async hook, to interleave other actions mid-run

    async def run(self, job: Job, project: Project) -> list[ArtifactDraft]:
        self.calls.append((job.id, job.attempts))
        if self.before_return is not None:
            await self.before_return(job)
        if self.fail_with is not None:
            raise JobFailed(self.fail_with)
        return list(self.drafts)


class FakeClock:
    """Starts at noon (UTC) today: fakeredis expires keys on the real clock, so day-scoped
    counters must belong to the real current day, and noon leaves room either side."""

    def __init__(self, now: datetime | None = None) -> None:
        today_noon = datetime.now(timezone.utc).replace(hour=12, minute=0, second=0, microsecond=0)
        self.now = now or today_noon

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class FakeWorld:
    """Everything a unit test needs: ports on fakes plus handles to inspect them."""

    store: InMemoryStore
    redis: FakeAsyncRedis
    keys: KeySpace
    clock: FakeClock
    runner: FakeRunner
    ports: Ports

    def uow(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.store)

    def add_user(
        self, name: str, plan: Plan = Plan.FREE, *, beta: bool = False
    ) -> tuple[User, str]:
        """A user stored directly (bypassing the use case) with a known API key."""
        api_key = f"jp_test_{name}_{uuid.uuid4().hex}"
        user = User(name=name, plan=plan, api_key_hash=hash_api_key(api_key), beta=beta)
        self.store.users[user.id] = user
        return user, api_key

    def add_project(self, owner: User, name: str = "demo") -> Project:
        project = Project(owner_id=owner.id, name=name, created_at=self.clock())
        self.store.projects[project.id] = project
        return project


def make_world(flags: FeatureFlags | None = None) -> FakeWorld:
    store = InMemoryStore()
    redis = FakeAsyncRedis()
    keys = KeySpace(prefix="unit")
    clock = FakeClock()
    runner = FakeRunner()
    ports = Ports(
        uow_factory=lambda: InMemoryUnitOfWork(store),
        queue=RedisJobQueue(redis, keys),
        limiter=RedisConcurrencyLimiter(redis, keys),
        usage=RedisUsageCounter(redis, keys),
        runner=runner,
        flags=flags or FeatureFlags(),
        clock=clock,
    )
    return FakeWorld(store, redis, keys, clock, runner, ports)
