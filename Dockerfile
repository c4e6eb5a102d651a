# The production image: the runtime lock only, WeasyPrint's libraries, static files collected, a non-root user.
# Every role starts through deploy/entrypoint.sh (see compose.yaml and docs/deploy.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Pango and HarfBuzz for WeasyPrint's PDF letters, fonts with Latin, Cyrillic and Greek; gettext compiles
# the interface's catalogues (.po to .mo) at build time.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 app
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=app:app . .
# A throwaway key: collectstatic needs the settings to load; the real one comes from the environment.
RUN DEBUG=false SECRET_KEY=build-only-collectstatic-key-never-used-at-run-time ENV_FILE= \
    python manage.py collectstatic --no-input --verbosity 0 \
 && DEBUG=false SECRET_KEY=build-only-collectstatic-key-never-used-at-run-time ENV_FILE= \
    python manage.py compilemessages --verbosity 0 \
 && chown -R app:app staticfiles campaigns/locale

USER app
EXPOSE 8000
ENTRYPOINT ["deploy/entrypoint.sh"]
CMD ["web"]
