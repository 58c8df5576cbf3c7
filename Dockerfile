# syntax=docker/dockerfile:1
# One image, five processes: `sbe serve <gateway|registry|monitoring|evaluation|events>`.

ARG PYTHON_IMAGE=python:3.11.13-slim-bookworm
ARG NODE_IMAGE=node:20.19.5-bookworm-slim

# --- console: the web console built from its lock file (nothing fetched at run time) ------
FROM ${NODE_IMAGE} AS console
WORKDIR /console
COPY console/package.json console/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY console ./
RUN npm run build

# --- build: a virtual environment with the pinned dependency tree and the platform ---------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/sbe
# Runtime dependencies first (pinned by constraints.txt, no test tools), so code changes do
# not reinstall them.
COPY pyproject.toml constraints.txt README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
 && /opt/sbe/bin/pip install -c constraints.txt -r requirements.txt
COPY shared ./shared
COPY policy ./policy
COPY services ./services
COPY gateway ./gateway
COPY launcher ./launcher
RUN /opt/sbe/bin/pip install --no-deps -c constraints.txt . \
 && /opt/sbe/bin/python -m compileall -q /opt/sbe/lib

# --- runtime: the environment only, run by an unprivileged user ---------------------------
FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="苏州楼宇经济智慧平台" \
      org.opencontainers.image.description="Suzhou Building Economy Smart Platform: gateway, registry, monitoring, evaluation and events"
# Chromium prints the blue book's PDF; the Noto CJK fonts give it its Chinese text.
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 sbe \
 && useradd --system --uid 10001 --gid sbe --home-dir /var/lib/sbe --create-home sbe
COPY --from=build /opt/sbe /opt/sbe
COPY --from=console /console/dist /opt/sbe/console
ENV PATH=/opt/sbe/bin:$PATH \
    SBE_CONSOLE_DIR=/opt/sbe/console \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    SBE_HOST=0.0.0.0 \
    SBE_DATA_DIR=/var/lib/sbe
WORKDIR /var/lib/sbe
USER 10001:10001
EXPOSE 8000 8001 8002 8003 8004
ENTRYPOINT ["sbe"]
CMD ["serve", "gateway"]
