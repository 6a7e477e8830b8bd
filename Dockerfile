# One image for web (gunicorn), worker and beat; docker-compose.yml picks the command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PREFLIGHT_VAR_DIR=/var/lib/preflight

WORKDIR /app
COPY pyproject.toml README.md ./
COPY config ./config
COPY apps ./apps
COPY mlcore ./mlcore
COPY cli ./cli
RUN pip install --upgrade pip && pip install .
COPY manage.py ./
COPY templates ./templates
COPY static ./static

# Static files are collected into the image and served by whitenoise.
RUN DEBUG=false SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput \
    && useradd --system --uid 10001 --home /app preflight \
    && mkdir -p /var/lib/preflight/media \
    && chown -R preflight /var/lib/preflight

USER preflight
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
