# confbot in a container: one bot, its SQLite database on the /data volume, health on port 8080.
#   docker build -t confbot .
#   docker run --rm -v confbot-data:/data confbot import https://example.org/schedule.json
#   docker run -d -v confbot-data:/data -e SLACK_BOT_TOKEN -e SLACK_APP_TOKEN confbot
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY catalog ./catalog
COPY bot ./bot
COPY adapters ./adapters
RUN pip install . \
    && useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin confbot \
    && mkdir -p /data \
    && chown confbot:confbot /data

USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
# The database (and a confbot.toml, if you put one there) live on the volume; logs are JSON lines on stderr.
ENV CONFBOT_DB=/data/confbot.db \
    CONFBOT_HEALTH_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["python", "-m", "adapters.healthcheck"]

ENTRYPOINT ["confbot"]
# Slack in Socket Mode (no public URL needed). For Discord: `run discord`; for Slack over HTTP:
# `run slack --http --port 3000` and publish that port too.
CMD ["run", "slack"]
