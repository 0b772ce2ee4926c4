# Circles on the embedded default: SQLite in /data and the in-process hub.
# For several instances, set CIRCLES_DATABASE_URL (PostgreSQL) and see docs/.
#
# The base is pinned to one Python release on one Debian release, so that a rebuild gives the same image.
# To update it (for a Python or Debian security release), change the tag to the newest 3.11.x (see
# https://hub.docker.com/_/python), rebuild, and run the tests in it; docs/deploy.md says more.
FROM python:3.11.17-slim-trixie

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
# Alive: /livez answers. (Load balancers should follow /readyz instead; see docs/deploy.md.) Python, as the
# image has no curl; no proxy is used, whatever the environment says.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request as r; r.build_opener(r.ProxyHandler({})).open('http://127.0.0.1:%s/livez' % os.environ.get('CIRCLES_PORT', '8000'), timeout=4)"
VOLUME ["/data"]
CMD ["circles", "serve"]
