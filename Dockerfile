# One image for the gateway and the three services; docker-compose.yml picks the command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072
WORKDIR /app

COPY pyproject.toml README.md ./
COPY kit ./kit
COPY gateway ./gateway
COPY services ./services
COPY tools ./tools
COPY migrations ./migrations
COPY alembic.ini ./
RUN pip install --no-cache-dir . && useradd --create-home --uid 10001 app \
    && mkdir -p /app/var && chown app /app/var
USER app

EXPOSE 8000
CMD ["uvicorn", "--factory", "gateway.app:create_app", "--host", "0.0.0.0", "--port", "8000", "--no-proxy-headers"]
