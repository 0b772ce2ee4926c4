# Circles on the embedded default: SQLite in /data and the in-process hub.
# For several instances, set CIRCLES_DATABASE_URL (PostgreSQL) and see docs/.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md alembic.ini ./
COPY src ./src
COPY migrations ./migrations
RUN pip install . \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin circles \
    && mkdir /data && chown circles:circles /data

USER circles
WORKDIR /data
ENV CIRCLES_HOST=0.0.0.0 \
    CIRCLES_PORT=8000 \
    CIRCLES_DATABASE_URL=sqlite:////data/circles.db
EXPOSE 8000
VOLUME ["/data"]
CMD ["circles", "serve"]
